using System.Globalization;
using RosPartSeg.Bags;
using RosPartSeg.Bags.Mcap;
using RosPartSeg.Cli.Offline;
using RosPartSeg.Inference;
using Spectre.Console;

namespace RosPartSeg.Cli.Commands;

/// <summary><c>rospartseg process IN_BAG OUT_BAG</c>: segments every image of a bag into a new bag.</summary>
internal sealed class ProcessCommand : ICliCommand
{
    public string Name => "process";

    public string Summary => "segment every image of a bag into a new bag (inputs copied, outputs added)";

    public int Execute(string[] args)
    {
        var a = CliArgs.Parse(args,
            ["--image-topic", "--depth-topic", "--camera-info-topic", "--depth-slop", "--storage", "--config", "--node-name", "--namespace", "--compression", "--distro"],
            ["--overwrite", "--no-progress"]);
        if (a.Help || a.Positional.Count != 2)
        {
            PrintHelp();
            return a.Help ? 0 : 2;
        }
        var options = ParseOptions(a);
        var config = RunCommand.LoadConfig(a.Get("--config"));
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (kill, systemd, docker stop) cancels the same way, so the partial bag is removed too.
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                cancel.Cancel();
            });
        try
        {
            using var pipeline = SegmenterFactory.Create(config, RunCommand.Log);
            var summary = Run(a.Positional[0], a.Positional[1], options, pipeline, !a.Has("--no-progress"), cancel.Token);
            Print(summary);
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("rospartseg process: interrupted; no output bag was written");
            return 130;
        }
        catch (Exception e) when (e is BagException or BagProcessException or McapFormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"rospartseg process: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs the processor with a progress bar when stderr is a terminal.</summary>
    internal static BagProcessSummary Run(string inBag, string outBag, BagProcessOptions options,
        Core.Pipeline.SegmentationPipeline pipeline, bool showProgress, CancellationToken cancellation)
    {
        if (!showProgress || Console.IsErrorRedirected || Console.IsOutputRedirected)
        {
            return BagProcessor.Process(inBag, outBag, options, pipeline, null, cancellation);
        }
        BagProcessSummary? summary = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("processing", maxValue: 1);
                var progress = new SyncProgress<BagProcessProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.MessagesTotal);
                    task.Value = p.MessagesDone;
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{p.Frames} frames");
                });
                summary = BagProcessor.Process(inBag, outBag, options, pipeline, progress, cancellation);
            });
        return summary!;
    }

    internal static void Print(BagProcessSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"wrote {s.OutputPath}"));
        Console.WriteLine(string.Create(c, $"  image topic: {s.ImageTopic}; outputs: {string.Join(", ", s.OutputTopics)}"));
        Console.WriteLine(string.Create(c,
            $"  {s.Frames} frames in {s.ElapsedSeconds:F2} s ({s.FramesPerSecond:F2} fps), {s.MessagesCopied} input messages copied; {s.OutsideShare:P1} of the time outside the pipeline"));
        string perClass = s.RegionsPerClass.Count == 0
            ? "none"
            : string.Join(", ", s.RegionsPerClass.OrderByDescending(p => p.Value).Select(p => string.Create(c, $"{p.Key} {p.Value}")));
        Console.WriteLine(string.Create(c, $"  people: {s.People}; regions per class: {perClass}"));
        if (s.DepthRefused > 0 || s.FramesWithoutDepth > 0)
        {
            Console.WriteLine(string.Create(c, $"  without 3D: {s.FramesWithoutDepth} frames had no depth within the slop, {s.DepthRefused} depth images refused{(s.FirstDepthRefusal is null ? "" : $" (first: {s.FirstDepthRefusal})")}"));
        }
        if (s.SkippedFrames > 0)
        {
            Console.WriteLine(string.Create(c, $"  {s.SkippedFrames} frames skipped: {s.SkippedByCauseText} (first: {s.FirstSkipReason})"));
        }
    }

    private static BagProcessOptions ParseOptions(CliArgs a)
    {
        var output = BagWriterOptions.Default with { Overwrite = a.Has("--overwrite") };
        try
        {
            if (a.Get("--storage") is { } storage)
            {
                output = output with { Storage = BagWriterOptions.ParseStorage(storage) };
            }
            if (a.Get("--compression") is { } compression)
            {
                output = output with { Mcap = output.Mcap with { Compression = McapChunkCodecNames.Parse(compression) } };
            }
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }
        output = a.Get("--distro") switch
        {
            null or "humble" => output,
            "jazzy" => output.AsJazzy(),
            var other => throw new UsageException($"--distro must be humble or jazzy (got '{other}')"),
        };
        double slop = 0.02;
        if (a.Get("--depth-slop") is { } slopText && (!double.TryParse(slopText, NumberStyles.Float, CultureInfo.InvariantCulture, out slop) || slop is < 0 or > 1))
        {
            throw new UsageException($"--depth-slop must be seconds between 0 and 1 (got '{slopText}')");
        }
        return new BagProcessOptions
        {
            ImageTopic = a.Get("--image-topic"),
            DepthTopic = a.Get("--depth-topic"),
            CameraInfoTopic = a.Get("--camera-info-topic"),
            DepthSlop = TimeSpan.FromSeconds(slop),
            NodeName = a.Get("--node-name") ?? "part_segmenter",
            Namespace = a.Get("--namespace") ?? "",
            Output = output,
            Log = RunCommand.Log,
        };
    }

    private static void PrintHelp()
    {
        Console.WriteLine("usage: rospartseg process IN_BAG OUT_BAG [options]");
        Console.WriteLine("  Segments every image of IN_BAG (a folder, .mcap or .db3) and writes OUT_BAG: the input topics unchanged");
        Console.WriteLine("  plus /<node>/labels, color_mask, overlay, detections, parts and label_info, stamped like their inputs.");
        Console.WriteLine("  The output appears only when complete.");
        Console.WriteLine("  --image-topic T     the image topic (default: the bag's only Image or CompressedImage topic)");
        Console.WriteLine("  --depth-topic D     an aligned depth image topic (16UC1 mm or 32FC1 m, the colour size): adds detections_3d and");
        Console.WriteLine("                      markers and the 3D fields of parts; needs --camera-info-topic");
        Console.WriteLine("  --camera-info-topic C  the colour camera's CameraInfo topic (K)");
        Console.WriteLine("  --depth-slop S      seconds a depth stamp may differ from its colour stamp (default 0.02)");
        Console.WriteLine("  --storage S         mcap (default) or sqlite3");
        Console.WriteLine("  --compression C     MCAP chunk compression: zstd (default), lz4 or none");
        Console.WriteLine("  --distro D          humble (default: metadata v5, sqlite3 schema 3) or jazzy (v9, schema 4)");
        Console.WriteLine("  --config FILE       pipeline configuration YAML (default: config/default.yaml)");
        Console.WriteLine("  --node-name N       node name for output topics (default part_segmenter)");
        Console.WriteLine("  --namespace NS      node namespace (default none)");
        Console.WriteLine("  --overwrite         replace OUT_BAG if it exists");
        Console.WriteLine("  --no-progress       no progress bar");
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

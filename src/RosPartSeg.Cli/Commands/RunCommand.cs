using System.Globalization;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;

namespace RosPartSeg.Cli.Commands;

/// <summary><c>rospartseg run</c>: segments image files (by default the demo inputs, see <see cref="DemoInputs"/>) into files a person can open.</summary>
internal sealed class RunCommand : ICliCommand
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    public string Name => "run";

    public string Summary => "segment images (default: the demo photos and sample bag) into label/mask/overlay PNGs and region JSON";

    public int Execute(string[] args)
    {
        var a = CliArgs.Parse(args, ["--out", "--config"]);
        if (a.Help)
        {
            Console.WriteLine("usage: rospartseg run [IMAGES... | DIR] [--out DIR] [--config FILE]");
            Console.WriteLine("  With no images, processes the demo photos from Debian packages (samples/debian/images, fetched by");
            Console.WriteLine("  tools/setup.sh), then the sample bag made from the first seconds of vtest.avi (samples/debian/sample_bag,");
            Console.WriteLine("  made on first use) into DIR/sample_bag_segmented, as 'rospartseg process' would.");
            Console.WriteLine("  Writes NAME.labels.png, NAME.mask.png, NAME.overlay.png and NAME.regions.json per image.");
            return 0;
        }
        string outDir = Path.GetFullPath(a.Get("--out") ?? "out");
        var config = LoadConfig(a.Get("--config"));
        bool defaults = a.Positional.Count == 0;
        int missing = 0;
        var images = defaults ? DemoInputs.FindPhotos(line => { missing++; Console.Error.WriteLine("rospartseg: " + line); })
            : ExpandInputs(a.Positional);
        if (images.Count == 0 && !defaults)
        {
            throw new UsageException("no .jpg, .jpeg or .png images found in the given inputs");
        }
        if (!ImageCodec.IsAvailable)
        {
            Console.Error.WriteLine("rospartseg: " + ImageCodec.UnavailableReason);
            return 1;
        }
        Log(ImageCodec.Description);

        using var pipeline = SegmenterFactory.Create(config, Log);
        int failures = missing;
        foreach (var path in images)
        {
            try
            {
                var decoded = ImageCodec.Read(path);
                var frame = decoded.ToFrame(frameId: Path.GetFileName(path));
                var result = pipeline.Process(frame);
                var timings = pipeline.LastTimings;
                var written = ResultFiles.Write(result, outDir, Path.GetFileNameWithoutExtension(path), path, timings);
                PrintSummary(path, result, timings, written);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or Core.Frames.FrameException or UnauthorizedAccessException)
            {
                failures++;
                Console.Error.WriteLine($"rospartseg: skipped {path}: {e.Message}");
            }
        }
        if (defaults)
        {
            failures += ProcessSampleBag(pipeline, outDir);
        }
        Console.WriteLine($"outputs in {outDir}");
        return failures == 0 ? 0 : 1;
    }

    // The offline path on the sample bag: every image through the pipeline into a new bag beside the PNGs.
    private static int ProcessSampleBag(SegmentationPipeline pipeline, string outDir)
    {
        string outBag = Path.Combine(outDir, "sample_bag_segmented");
        Console.WriteLine();
        try
        {
            var sample = DemoInputs.SampleBag(Console.WriteLine, line => Console.Error.WriteLine("rospartseg: " + line));
            if (sample is null)
            {
                return 1;
            }
            Console.WriteLine($"sample bag {sample} -> {outBag}");
            var options = new Offline.BagProcessOptions { Output = Bags.BagWriterOptions.Default with { Overwrite = true } };
            ProcessCommand.Print(ProcessCommand.Run(sample, outBag, options, pipeline, showProgress: false, CancellationToken.None));
            Console.WriteLine($"  inspect it with: rospartseg info {outBag}   (or ros2 bag info / ros2 bag play / Foxglove)");
            return 0;
        }
        catch (Exception e) when (e is Bags.BagException or Offline.BagProcessException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"rospartseg: the sample bag could not be processed: {e.Message}");
            return 1;
        }
    }

    internal static SegmenterConfig LoadConfig(string? path)
    {
        if (path is not null)
        {
            return SegmenterConfig.Load(path);
        }
        var bundled = Repository.Find(Path.Combine("config", "default.yaml"));
        return bundled is null ? SegmenterConfig.Default : SegmenterConfig.Load(bundled);
    }

    internal static void Log(string line) => Console.Error.WriteLine("[rospartseg] " + line);

    /// <summary>The demo photos that are there (none is an error only where they are required).</summary>
    internal static List<string> DemoImagesOrNone() => DemoInputs.FindPhotos(_ => { });

    internal static List<string> ExpandInputs(IReadOnlyList<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                files.AddRange(Directory.EnumerateFiles(input)
                    .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(input))
            {
                files.Add(input);
            }
            else
            {
                throw new UsageException($"'{input}' is neither a file nor a folder");
            }
        }
        return files;
    }

    private static void PrintSummary(string path, SegmentationResult r, StageTimings t, ResultFiles.Written written)
    {
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine($"{Path.GetFileName(path)}  {r.InputWidth}x{r.InputHeight}  people: {r.People.Length}  regions: {r.Regions.Length}");
        Console.WriteLine(string.Format(ci, "  time ms: preprocess {0:F1}  inference {1:F1}  postprocess {2:F1}  render {3:F1}  regions {4:F1}  total {5:F1}",
            t.PreprocessMs, t.InferenceMs, t.PostprocessMs, t.RenderMs, t.RegionsMs, t.TotalMs));
        if (r.Regions.Length > 0)
        {
            Console.WriteLine($"  {"part",-12}{"person",7}{"box (x,y,w,h)",24}{"pixels",9}{"score",7}");
            foreach (var g in r.Regions)
            {
                string box = string.Create(ci, $"{g.Box.X},{g.Box.Y},{g.Box.Width},{g.Box.Height}");
                Console.WriteLine(string.Format(ci, "  {0,-12}{1,7}{2,24}{3,9}{4,7:F2}", r.ClassNames[g.ClassId], g.PersonId, box, g.PixelCount, g.Score));
            }
        }
        Console.WriteLine($"  -> {Path.GetFileName(written.Overlay)}, {Path.GetFileName(written.ColorMask)}, {Path.GetFileName(written.Labels)}, {Path.GetFileName(written.Regions)}");
    }
}

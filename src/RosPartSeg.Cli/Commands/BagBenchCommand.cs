using System.Diagnostics;
using System.Globalization;
using RosPartSeg.Bags;
using RosPartSeg.Bags.Mcap;
using RosPartSeg.Cli.Offline;
using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Cli.Commands;

/// <summary>
/// <c>rospartseg bench-bag</c>: <c>process</c> throughput on a generated bag of 640x480 frames, and the share of
/// the run spent outside the pipeline (reading, decoding, encoding outputs, writing); the target is under 10%.
/// </summary>
internal sealed class BagBenchCommand : ICliCommand
{
    public string Name => "bench-bag";

    public string Summary => "benchmark 'process' on a generated bag of 640x480 frames (share of time outside the pipeline)";

    public int Execute(string[] args)
    {
        var a = CliArgs.Parse(args, ["--frames", "--size", "--storage", "--compression", "--config", "--input"], ["--keep"]);
        if (a.Help || a.Positional.Count > 0)
        {
            Console.WriteLine("usage: rospartseg bench-bag [--frames N] [--size WxH] [--input raw|jpeg] [--storage mcap|sqlite3]");
            Console.WriteLine("                            [--compression zstd|lz4|none] [--config FILE] [--keep]");
            Console.WriteLine("  Builds a bag of N frames (default 40, 640x480) from a demo photo, processes it, reports fps and");
            Console.WriteLine("  the share of time outside SegmentationPipeline.Process (target < 10%).");
            return a.Help ? 0 : 2;
        }
        int frames = a.GetInt("--frames", 40, 1, 100_000);
        var (width, height) = a.GetSize("--size", 640, 480);
        bool jpeg = (a.Get("--input") ?? "raw") switch
        {
            "raw" => false,
            "jpeg" => true,
            var other => throw new UsageException($"--input must be raw or jpeg (got '{other}')"),
        };
        var output = BagWriterOptions.Default;
        try
        {
            if (a.Get("--storage") is { } s)
            {
                output = output with { Storage = BagWriterOptions.ParseStorage(s) };
            }
            if (a.Get("--compression") is { } c)
            {
                output = output with { Mcap = output.Mcap with { Compression = McapChunkCodecNames.Parse(c) } };
            }
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }

        string dir = Path.Combine(Path.GetTempPath(), "rospartseg-bench-bag-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            string input = Path.Combine(dir, "input");
            var gen = Stopwatch.StartNew();
            MakeInput(input, frames, width, height, jpeg, output.Storage);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"input: {frames} {(jpeg ? "jpeg" : "rgb8")} frames of {width}x{height} in {output.Storage} ({DirSize(input) / 1e6:F1} MB, built in {gen.Elapsed.TotalSeconds:F1} s)"));

            using var pipeline = SegmenterFactory.Create(RunCommand.LoadConfig(a.Get("--config")), RunCommand.Log);
            // Warm the pipeline so one-time session setup is not charged to the bag layer.
            var warm = new byte[width * height * 3];
            pipeline.Process(ImageFrame.Packed(width, height, PixelEncoding.Rgb8, warm, default, "warm"));

            // Warm the bag code too (JIT, pools) on a short bag, so the measured run is steady state.
            string warmInput = Path.Combine(dir, "warm-input");
            MakeInput(warmInput, 3, width, height, jpeg, output.Storage);
            BagProcessor.Process(warmInput, Path.Combine(dir, "warm-output"), new BagProcessOptions { Output = output }, pipeline);

            var summary = BagProcessor.Process(input, Path.Combine(dir, "output"), new BagProcessOptions { Output = output }, pipeline);
            double outside = summary.ElapsedSeconds - summary.PipelineSeconds;
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"provider: {pipeline.Provider}; output {DirSize(summary.OutputPath) / 1e6:F1} MB ({output.Storage}, {output.Mcap.Compression})"));
            Console.WriteLine(string.Create(c, $"frames: {summary.Frames}, total {summary.ElapsedSeconds:F2} s, {summary.FramesPerSecond:F2} fps"));
            Console.WriteLine(string.Create(c, $"pipeline: {summary.PipelineSeconds * 1000 / Math.Max(1, summary.Frames):F1} ms/frame; outside the pipeline: {outside * 1000 / Math.Max(1, summary.Frames):F1} ms/frame"));
            Console.WriteLine("per frame: " + string.Join(", ", summary.Breakdown.Select(p => string.Create(c, $"{p.Key} {p.Value * 1000 / Math.Max(1, summary.Frames):F1} ms"))));
            Console.WriteLine(string.Create(c, $"share outside the pipeline: {summary.OutsideShare:P1} (target < 10%: {(summary.OutsideShare < 0.10 ? "met" : "NOT met")})"));
            return 0;
        }
        finally
        {
            if (!a.Has("--keep"))
            {
                Directory.Delete(dir, recursive: true);
            }
            else
            {
                Console.WriteLine($"kept {dir}");
            }
        }
    }

    private static void MakeInput(string path, int frames, int width, int height, bool jpeg, BagStorageKind storage)
    {
        var demo = DemoInputs.Photos[0];
        string photo = DemoInputs.Locate(demo) ?? throw new UsageException(demo.Missing);
        var rgb = new byte[width * height * 3];
        SampleBag.CropResizeToRgb(ImageCodec.Read(photo), rgb, width, height);
        byte[]? encoded = jpeg ? ImageCodec.EncodeJpeg(rgb, width, height, 3, 90) : null;
        using var writer = BagWriter.Create(path, BagWriterOptions.Default with { Storage = storage });
        string qos = QosProfile.FormatList([QosProfile.SensorData]);
        string type = jpeg ? BagProcessor.CompressedImageType : BagProcessor.ImageType;
        int topic = writer.AddTopic(new BagTopic(jpeg ? SampleBag.CompressedTopic : SampleBag.RawTopic, type, "cdr", qos), BagProcessor.KnownDefinition(type));
        var cdr = new CdrWriter(rgb.Length + 256);
        for (int i = 0; i < frames; i++)
        {
            long t = SampleBag.StartNanoseconds + (i * 33_333_333L);
            var stamp = Timestamp.FromNanoseconds(t);
            if (encoded is null)
            {
                ImageMessages.WriteRgb8(cdr, stamp, SampleBag.FrameId, width, height, rgb);
            }
            else
            {
                cdr.Reset();
                CompressedImage.Write(cdr, stamp, SampleBag.FrameId, "rgb8; jpeg compressed bgr8", encoded);
            }
            writer.Write(topic, t, t, cdr.WrittenSpan);
        }
        writer.Complete();
    }

    private static long DirSize(string dir) => Directory.EnumerateFiles(dir).Sum(f => new FileInfo(f).Length);
}

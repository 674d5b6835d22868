using System.Diagnostics;
using System.Globalization;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;

namespace RosPartSeg.Cli.Commands;

/// <summary>
/// <c>rospartseg bench</c>: times each pipeline stage on a fixed frame and counts the bytes the managed side
/// allocates per warm frame. This is where speed and memory targets are checked, not in unit tests.
/// </summary>
internal sealed class BenchCommand : ICliCommand
{
    private const double OverheadTarget = 0.15;

    public string Name => "bench";

    public string Summary => "time each pipeline stage and count bytes allocated per frame";

    public int Execute(string[] args)
    {
        var a = CliArgs.Parse(args, ["--size", "--frames", "--warmup", "--config", "--encoding", "--net", "--model", "--precision", "--compare", "--images", "--rate"], ["--depth"]);
        if (a.Help)
        {
            Console.WriteLine("usage: rospartseg bench [--size WxH] [--frames N] [--warmup N] [--encoding rgb8|bgr8|...] [--net WxH] [--config FILE]");
            Console.WriteLine("                        [--rate HZ (0: back to back)]");
            Console.WriteLine("                        [--model FILE] [--precision auto|fp32|int8|fp16]");
            Console.WriteLine("       rospartseg bench --compare A.onnx B.onnx [--images DIR] [same options]");
            Console.WriteLine("  Defaults: 640x480 rgb8 input, 100 frames after 10 warm-up frames, the network size from the model (512x288).");
            Console.WriteLine("  --compare runs both models in turns in one process and prints their speed ratio and the share of");
            Console.WriteLine("  pixels whose labels agree on the demo photos (or the photos in --images).");
            Console.WriteLine("  --rate paces the frames like a camera, to measure the process's CPU time per frame between frames.");
            Console.WriteLine("  --depth adds an aligned 16UC1 depth image (a ramp of 1-4 m): every region and person is placed in 3D and tracked.");
            return 0;
        }
        var (width, height) = a.GetSize("--size", 640, 480);
        int frames = a.GetInt("--frames", 100, 1, 100_000);
        int warmup = a.GetInt("--warmup", 10, 1, 10_000);
        double rate = a.GetDouble("--rate", 0, 0, 1000);
        var encoding = PixelEncodings.Parse(a.Get("--encoding") ?? "rgb8");
        var config = RunCommand.LoadConfig(a.Get("--config"));
        if (a.Has("--net"))
        {
            var (nw, nh) = a.GetSize("--net", 512, 288);
            config = config with { ModelOverrides = config.ModelOverrides with { InputWidth = nw, InputHeight = nh } };
        }
        if (a.Get("--precision") is { } precision)
        {
            try
            {
                ModelPrecision.Validate(precision);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            config = config with { Inference = config.Inference with { Precision = precision } };
        }
        if (a.Get("--model") is { } model)
        {
            config = a.Has("--precision") ? config with { ModelPath = Path.GetFullPath(model) } : BenchCompare.ForFile(config, model);
        }
        if (a.Get("--compare") is { } modelA)
        {
            if (a.Positional.Count != 1)
            {
                throw new UsageException("--compare takes two model files: --compare A.onnx B.onnx");
            }
            var photos = a.Get("--images") is { } dir ? RunCommand.ExpandInputs([dir]) : RunCommand.DemoImagesOrNone();
            return BenchCompare.Run(modelA, a.Positional[0], config, MakeFrame(width, height, encoding), frames, warmup, photos);
        }

        using var pipeline = SegmenterFactory.Create(config, RunCommand.Log);
        var frame = MakeFrame(width, height, encoding);
        var depth = a.Has("--depth") ? BenchDepth(width, height) : default;
        for (int i = 0; i < warmup; i++)
        {
            pipeline.Process(frame, PipelineOutputs.All, depth);
        }

        var t = new StageTimings[frames];
        long period = rate > 0 ? (long)(Stopwatch.Frequency / rate) : 0;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < frames; i++)
        {
            // Paced like a camera: the next frame is due one period after the previous one was, not after it ended.
            long wait = start + (i * period) - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                Thread.Sleep(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }
            pipeline.Process(frame, PipelineOutputs.All, depth);
            t[i] = pipeline.LastTimings;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        process.Refresh();
        double cpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / frames;
        Report(pipeline, width, height, encoding, frames, t, allocated);
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "process CPU time per frame: {0:F1} ms (all threads{1}; thread_spinning {2})",
            cpuMs, rate > 0 ? string.Format(CultureInfo.InvariantCulture, ", frames paced at {0:G} Hz", rate) : ", frames back to back",
            config.Inference.ThreadSpinning ? "on" : "off"));
        return 0;
    }

    // A depth ramp from 1 m (top) to 4 m (bottom) in millimetres, with K of a 60-degree camera centred on the frame.
    private static Core.Spatial.DepthInput BenchDepth(int width, int height)
    {
        var mm = new ushort[width * height];
        for (int y = 0; y < height; y++)
        {
            mm.AsSpan(y * width, width).Fill((ushort)(1000 + (3000 * y / Math.Max(height - 1, 1))));
        }
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(mm.AsSpan()).ToArray();
        double f = width / (2 * Math.Tan(Math.PI / 6));
        return new Core.Spatial.DepthInput(new Core.Spatial.DepthImage(width, height, Core.Spatial.DepthFormat.UInt16, width * 2, bytes),
            new Core.Spatial.CameraIntrinsics(f, f, (width - 1) / 2.0, (height - 1) / 2.0));
    }

    private static void Report(SegmentationPipeline p, int width, int height, PixelEncoding encoding, int frames, StageTimings[] t, long allocated)
    {
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine($"input {width}x{height} {encoding.RosName()}, network {p.Model.InputWidth}x{p.Model.InputHeight}, provider {p.Provider}, {frames} frames, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"stage",-12}{"median ms",11}{"p10 ms",9}{"p90 ms",9}");
        Row("preprocess", t.Select(x => x.PreprocessMs));
        Row("inference", t.Select(x => x.InferenceMs));
        Row("postprocess", t.Select(x => x.PostprocessMs));
        Row("render", t.Select(x => x.RenderMs));
        Row("regions", t.Select(x => x.RegionsMs));
        Row("total", t.Select(x => x.TotalMs));
        double inference = Median(t.Select(x => x.InferenceMs));
        double overhead = Median(t.Select(x => x.OverheadMs));
        double total = Median(t.Select(x => x.TotalMs));
        double perFrame = (double)allocated / frames;
        Console.WriteLine(string.Format(ci, "total / inference: {0:F3}   overhead (all but inference): {1:F2} ms = {2:P1} of inference (target < {3:P0}): {4}",
            total / inference, overhead, overhead / inference, OverheadTarget, overhead / inference < OverheadTarget ? "met" : "NOT met"));
        Console.WriteLine(string.Format(ci, "managed bytes allocated per warm frame: {0:F1} (target 0): {1}", perFrame, allocated == 0 ? "met" : "NOT met"));
        Console.WriteLine(string.Format(ci, "throughput: {0:F1} frames/s (pipeline alone, one thread)", 1000.0 / total));

        void Row(string name, IEnumerable<double> values)
        {
            var v = values.Order().ToArray();
            Console.WriteLine(string.Format(ci, "{0,-12}{1,11:F3}{2,9:F3}{3,9:F3}", name, Percentile(v, 0.5), Percentile(v, 0.1), Percentile(v, 0.9)));
        }
    }

    internal static double Median(IEnumerable<double> values) => Percentile(values.Order().ToArray(), 0.5);

    private static double Percentile(double[] sorted, double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];

    // A demo photo of people (messi5.jpg, colour) resized (nearest) to the requested size when it and OpenCV are there; a synthetic scene otherwise.
    private static ImageFrame MakeFrame(int width, int height, PixelEncoding encoding)
    {
        var rgb = new byte[width * height * 3];
        var photo = ImageCodec.IsAvailable ? DemoInputs.Locate(DemoInputs.Photos[0]) : null;
        if (photo is not null)
        {
            var img = ImageCodec.Read(photo);
            for (int y = 0; y < height; y++)
            {
                int sy = y * img.Height / height;
                for (int x = 0; x < width; x++)
                {
                    int s = ((sy * img.Width) + (x * img.Width / width)) * img.Channels, d = ((y * width) + x) * 3;
                    rgb[d] = img.Pixels[s + 2];
                    rgb[d + 1] = img.Pixels[s + 1];
                    rgb[d + 2] = img.Pixels[s];
                }
            }
        }
        else
        {
            for (int i = 0; i < rgb.Length; i++)
            {
                rgb[i] = (byte)((i * 7) ^ (i >> 9));
            }
        }
        return Convert(rgb, width, height, encoding);
    }

    private static ImageFrame Convert(byte[] rgb, int width, int height, PixelEncoding encoding)
    {
        int bpp = encoding.BytesPerPixel();
        var data = new byte[width * height * bpp];
        for (int i = 0; i < width * height; i++)
        {
            byte r = rgb[i * 3], g = rgb[(i * 3) + 1], b = rgb[(i * 3) + 2];
            switch (encoding)
            {
                case PixelEncoding.Rgb8: data[i * 3] = r; data[(i * 3) + 1] = g; data[(i * 3) + 2] = b; break;
                case PixelEncoding.Bgr8: data[i * 3] = b; data[(i * 3) + 1] = g; data[(i * 3) + 2] = r; break;
                case PixelEncoding.Rgba8: data[i * 4] = r; data[(i * 4) + 1] = g; data[(i * 4) + 2] = b; data[(i * 4) + 3] = 255; break;
                case PixelEncoding.Bgra8: data[i * 4] = b; data[(i * 4) + 1] = g; data[(i * 4) + 2] = r; data[(i * 4) + 3] = 255; break;
                case PixelEncoding.Mono8: data[i] = (byte)(((r * 77) + (g * 150) + (b * 29)) >> 8); break;
                default:
                    // 4:2:2: luma per pixel, neutral chroma; enough for timing.
                    int luma = 16 + ((((r * 77) + (g * 150) + (b * 29)) >> 8) * 219 / 255);
                    bool uyvy = encoding == PixelEncoding.Uyvy;
                    data[(i * 2) + (uyvy ? 1 : 0)] = (byte)luma;
                    data[(i * 2) + (uyvy ? 0 : 1)] = 128;
                    break;
            }
        }
        return ImageFrame.Packed(width, height, encoding, data);
    }
}

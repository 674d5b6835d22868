using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Diagnostic;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Cli.Commands;

/// <summary>
/// <c>rospartseg live-bench</c>: the node as a separate process on loopback Cyclone DDS, fed by a camera publisher
/// here at a fixed rate; reports end-to-end latency (input stamp to output receipt), sustained output rate, drops
/// and the node's RSS over the run, next to the pipeline's own time per frame measured first.
/// </summary>
internal sealed class LiveBenchCommand : ICliCommand
{
    public string Name => "live-bench";

    public string Summary => "benchmark the live node over loopback DDS: latency, rate, drops, RSS (default 5 min at 640x480, 30 Hz)";

    public int Execute(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new UsageException($"option {args[i]} needs a value");
            switch (args[i])
            {
                case "--duration": o.Duration = TimeSpan.FromSeconds(Number(args[i], Next())); break;
                case "--short": o.Duration = TimeSpan.FromSeconds(30); o.Warmup = TimeSpan.FromSeconds(5); break;
                case "--warmup": o.Warmup = TimeSpan.FromSeconds(Number(args[i], Next())); break;
                case "--rate": o.Rate = Number(args[i], Next()); o.RateGiven = true; break;
                case "--width": o.Width = (int)Number(args[i], Next()); break;
                case "--height": o.Height = (int)Number(args[i], Next()); break;
                case "--image": o.Image = Next(); break;
                case "--labels-only": o.AllOutputs = false; break;
                case "--fuzz": o.Fuzz = true; break;
                case "--minutes": o.Duration = TimeSpan.FromMinutes(Number(args[i], Next())); break;
                case "--seed": o.Seed = (int)Number(args[i], Next()); break;
                case "--fuzz-rate": o.FuzzRate = Number(args[i], Next()); break;
                case "-h" or "--help":
                    Console.WriteLine("usage: rospartseg live-bench [--duration SEC (300) | --minutes N] [--short (30 s)] [--warmup SEC (10)] [--rate HZ (30)]");
                    Console.WriteLine("                             [--width 640] [--height 480] [--image FILE] [--labels-only] [-- NODE ROS ARGS]");
                    Console.WriteLine("       rospartseg live-bench --fuzz [--minutes N (5)] [--seed S (1)] [--fuzz-rate HZ (2000)] [--rate HZ of valid frames (1)]");
                    Console.WriteLine("  --fuzz publishes malformed sensor_msgs/Image samples (ImageFuzzer) mixed with valid frames and checks that the");
                    Console.WriteLine("  node survives, keeps producing outputs, counts the bad frames by cause and keeps its RSS bounded.");
                    return 0;
                case "--":
                    o.NodeArgs.AddRange(args[(i + 1)..]);
                    i = args.Length;
                    break;
                default:
                    Console.Error.WriteLine($"live-bench: unknown option '{args[i]}'");
                    return 2;
            }
        }

        return o.Fuzz ? LiveFuzz.Run(o) : Run(o);
    }

    private static double Number(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new UsageException($"{option} must be a positive number (got '{text}')");

    private static int Run(Options o)
    {
        DdsConfig.UseForThisProcess(Environment.GetEnvironmentVariable("CYCLONEDDS_URI") is { Length: > 0 } uri ? uri : DdsConfig.Loopback);
        var domain = (uint)(150 + (Environment.ProcessId % 50));
        var frame = MakeFrame(o);
        var pipelineMs = MeasurePipeline(frame, o);
        Console.WriteLine($"pipeline alone: {pipelineMs:0.0} ms per {o.Width}x{o.Height} frame (median of 20, all outputs)");

        using var node = StartNode(domain, o.NodeArgs);
        using var peer = DdsParticipant.Create(domain);
        var latencies = new ConcurrentQueue<(long SentNs, double LatencyMs)>();
        var diag = new ConcurrentQueue<byte[]>();
        var reliable = new DdsQos(DdsReliability.Reliable, 1, DdsDurability.Volatile);
        var readers = new List<DdsReader>();
        string[] outputs = o.AllOutputs ? ["overlay", "color_mask", "detections", "parts"] : [];
        foreach (var name in outputs)
        {
            var type = name switch
            {
                "detections" => "vision_msgs::msg::dds_::Detection2DArray_",
                "parts" => "rospartseg::msg::dds_::PartRegionArray_",
                _ => "sensor_msgs::msg::dds_::Image_",
            };
            readers.Add(peer.CreateReader("rt/part_segmenter/" + name, type, reliable, _ => { }));
        }

        readers.Add(peer.CreateReader("rt/part_segmenter/labels", "sensor_msgs::msg::dds_::Image_", reliable, cdr =>
        {
            var now = NowNs();
            var r = new CdrReader(cdr);
            var stamp = Messages.Std.Header.Read(ref r).Stamp.TotalNanoseconds;
            latencies.Enqueue((stamp, (now - stamp) / 1e6));
        }));
        readers.Add(peer.CreateReader("rt/diagnostics", "diagnostic_msgs::msg::dds_::DiagnosticArray_", new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile), cdr => diag.Enqueue(cdr.ToArray())));
        var camera = peer.CreateWriter("rt/image", "sensor_msgs::msg::dds_::Image_", new DdsQos(DdsReliability.BestEffort, 1, DdsDurability.Volatile));
        var wait = Stopwatch.StartNew();
        while (camera.MatchedReaders == 0 && wait.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(50);
        }

        if (camera.MatchedReaders == 0)
        {
            Console.Error.WriteLine("live-bench: the node's input never matched");
            return 1;
        }

        Thread.Sleep(1000); // let the node see the output subscribers
        var total = o.Warmup + o.Duration;
        Console.WriteLine($"publishing {o.Width}x{o.Height} bgr8 at {o.Rate} Hz for {total.TotalSeconds:0} s (first {o.Warmup.TotalSeconds:0} s warm-up), domain {domain}, loopback");
        var writer = new CdrWriter(frame.Length + 256);
        var rss = new List<(double T, long Kb)>();
        long sent = 0;
        var warmupEndNs = 0L;
        var clock = Stopwatch.StartNew();
        var period = TimeSpan.FromSeconds(1 / o.Rate);
        var nextRss = TimeSpan.Zero;
        while (clock.Elapsed < total)
        {
            var due = period * sent;
            while (clock.Elapsed < due)
            {
                Thread.Sleep(1);
            }

            var stampNs = NowNs();
            if (warmupEndNs == 0 && clock.Elapsed >= o.Warmup)
            {
                warmupEndNs = stampNs;
            }

            writer.Reset();
            Image.Write(writer, Timestamp.FromNanoseconds(stampNs), "bench", (uint)o.Height, (uint)o.Width, "bgr8", (uint)o.Width * 3, frame);
            camera.Write(writer.WrittenSpan);
            sent++;
            if (clock.Elapsed >= nextRss)
            {
                rss.Add((clock.Elapsed.TotalSeconds, ReadRssKb(node.Id)));
                nextRss += TimeSpan.FromSeconds(1);
            }
        }

        Thread.Sleep(2000); // drain
        var timed = latencies.Where(l => l.SentNs >= warmupEndNs && warmupEndNs != 0).OrderBy(l => l.SentNs).ToArray();
        var measured = timed.Select(l => l.LatencyMs).Order().ToArray();
        var dropped = diag.IsEmpty ? -1 : DiagnosticValue(diag.Last(), "frames_dropped");
        var processed = diag.IsEmpty ? -1 : DiagnosticValue(diag.Last(), "frames_processed");
        var provider = diag.IsEmpty ? "?" : RosMessage.Decode<DiagnosticArray>(diag.Last()).Status[0].HardwareId;
        Stop(node);

        if (measured.Length == 0)
        {
            Console.Error.WriteLine("live-bench: no outputs after the warm-up");
            return 1;
        }

        var median = measured[measured.Length / 2];
        static double P99(double[] sorted) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))];
        var p99 = P99(measured);
        var after = rss.Where(r => r.T >= o.Warmup.TotalSeconds).ToArray();
        Console.WriteLine();
        Console.WriteLine($"execution provider      {provider}");
        Console.WriteLine($"frames sent             {sent} ({sent / total.TotalSeconds:0.0} Hz)");
        Console.WriteLine($"outputs after warm-up   {measured.Length} ({measured.Length / o.Duration.TotalSeconds:0.00} Hz sustained)");
        Console.WriteLine($"node: processed         {processed}, dropped {dropped} (newest-frame policy; DDS keep-last 1 may drop more before the node sees them)");
        Console.WriteLine($"latency median          {median:0.0} ms   ({median / pipelineMs:0.00}x the pipeline's {pipelineMs:0.0} ms; target <= 1.3x)");
        Console.WriteLine($"latency p99             {p99:0.0} ms");
        Console.WriteLine($"latency max             {measured[^1]:0.0} ms");
        // A soak's question is whether latency creeps up: p99 of each tenth of the run, in order.
        if (timed.Length >= 100)
        {
            var tenths = Enumerable.Range(0, 10).Select(k =>
                P99(timed[(k * timed.Length / 10)..((k + 1) * timed.Length / 10)].Select(l => l.LatencyMs).Order().ToArray()));
            Console.WriteLine("latency p99 per tenth   " + string.Join(", ", tenths.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture))) + " ms");
        }
        if (after.Length > 1)
        {
            Console.WriteLine($"node RSS after warm-up  start {after[0].Kb / 1024.0:0.0} MiB, end {after[^1].Kb / 1024.0:0.0} MiB, max {after.Max(r => r.Kb) / 1024.0:0.0} MiB, growth {(after[^1].Kb - after[0].Kb) / 1024.0:+0.0;-0.0} MiB");
            var step = Math.Max(1, after.Length / 10);
            Console.WriteLine("node RSS over time      " + string.Join(", ",
                after.Where((_, i) => i % step == 0 || i == after.Length - 1).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.T:0}s {r.Kb / 1024.0:0.0}"))) + " MiB");
        }

        // Where RSS growth is: the node's own memory figures, first diagnostics after the warm-up against the last.
        var warm = diag.FirstOrDefault(d => RosMessage.Decode<DiagnosticArray>(d).Header.Stamp.TotalNanoseconds >= warmupEndNs);
        if (warm is not null)
        {
            foreach (var key in new[] { "managed_heap_bytes", "managed_committed_bytes", "native_heap_in_use_bytes", "native_heap_free_bytes" })
            {
                long first = DiagnosticValue(warm, key), last = DiagnosticValue(diag.Last(), key);
                if (first >= 0 && last >= 0)
                {
                    Console.WriteLine($"node {key,-25} start {first / 1048576.0:0.0} MiB, end {last / 1048576.0:0.0} MiB, growth {(last - first) / 1048576.0:+0.0;-0.0} MiB");
                }
            }
        }

        return 0;
    }

    internal static byte[] MakeFrame(Options o)
    {
        var frame = new byte[o.Width * o.Height * 3];
        if (o.Image is null)
        {
            // A deterministic pattern when no photo is given (latency hardly depends on content).
            for (var y = 0; y < o.Height; y++)
            {
                for (var x = 0; x < o.Width; x++)
                {
                    var p = ((y * o.Width) + x) * 3;
                    frame[p] = (byte)x;
                    frame[p + 1] = (byte)y;
                    frame[p + 2] = (byte)((x ^ y) & 0xff);
                }
            }

            return frame;
        }

        var img = ImageCodec.Read(o.Image);
        for (var y = 0; y < o.Height; y++)
        {
            var sy = y * img.Height / o.Height;
            for (var x = 0; x < o.Width; x++)
            {
                var sx = x * img.Width / o.Width;
                var s = ((sy * img.Width) + sx) * img.Channels;
                var d = ((y * o.Width) + x) * 3;
                for (var c = 0; c < 3; c++)
                {
                    frame[d + c] = img.Pixels[s + Math.Min(c, img.Channels - 1)];
                }
            }
        }

        return frame;
    }

    private static double MeasurePipeline(byte[] frame, Options o)
    {
        using var pipeline = SegmenterFactory.Create(SegmenterConfig.Default);
        var f = new ImageFrame(o.Width, o.Height, PixelEncoding.Bgr8, o.Width * 3, frame, default, "bench");
        for (var i = 0; i < 5; i++)
        {
            pipeline.Process(f);
        }

        var times = new double[20];
        for (var i = 0; i < times.Length; i++)
        {
            var t = Stopwatch.GetTimestamp();
            pipeline.Process(f);
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }

    internal static Process StartNode(uint domain, List<string> nodeArgs)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardError = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            psi.ArgumentList.Add(typeof(LiveBenchCommand).Assembly.Location);
        }

        psi.ArgumentList.Add("node");
        if (nodeArgs.Count > 0)
        {
            psi.ArgumentList.Add("--ros-args");
            nodeArgs.ForEach(psi.ArgumentList.Add);
        }

        psi.Environment["ROS_DOMAIN_ID"] = domain.ToString(CultureInfo.InvariantCulture);
        psi.Environment["CYCLONEDDS_URI"] = Environment.GetEnvironmentVariable("CYCLONEDDS_URI");
        psi.Environment.TryAdd("ROS_DISTRO", "humble");
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start the node");
    }

    internal static void Stop(Process node)
    {
        if (!node.HasExited)
        {
            node.Kill(); // SIGKILL: the bench is over; clean shutdown is tested elsewhere
            node.WaitForExit(5000);
        }
    }

    internal static long ReadRssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    internal static long DiagnosticValue(byte[] cdr, string key)
    {
        var d = RosMessage.Decode<DiagnosticArray>(cdr);
        var kv = d.Status[0].Values.FirstOrDefault(v => v.Key == key);
        return kv is null ? -1 : long.Parse(kv.Value, CultureInfo.InvariantCulture);
    }

    internal static long NowNs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    internal sealed class Options
    {
        public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(5);

        public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(10);

        public double Rate { get; set; } = 30;

        public int Width { get; set; } = 640;

        public int Height { get; set; } = 480;

        public string? Image { get; set; }

        public bool AllOutputs { get; set; } = true;

        public List<string> NodeArgs { get; } = [];

        public bool RateGiven { get; set; }

        public bool Fuzz { get; set; }

        public int Seed { get; set; } = 1;

        public double FuzzRate { get; set; } = 2000;
    }
}

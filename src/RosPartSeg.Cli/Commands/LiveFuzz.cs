using System.Diagnostics;
using System.Globalization;
using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Cli.Commands;

/// <summary>
/// <c>rospartseg live-bench --fuzz</c>: the node as a child process on loopback DDS, fed malformed Images from
/// <see cref="ImageFuzzer"/> at a high rate with a valid frame now and then, for as long as asked (hours if need be).
/// Every 10 s a line: samples sent, the node's counts, outputs received, RSS. It fails (exit 1) when the node dies,
/// produces no output for the valid frames sent after the fuzz, counts a frame as <c>processing_failed</c>, or
/// counts a cause more often than it was sent.
/// </summary>
internal static class LiveFuzz
{
    private const string ImageType = "sensor_msgs::msg::dds_::Image_";

    public static int Run(LiveBenchCommand.Options o)
    {
        DdsConfig.UseForThisProcess(Environment.GetEnvironmentVariable("CYCLONEDDS_URI") is { Length: > 0 } uri ? uri : DdsConfig.Loopback);
        var domain = (uint)(150 + (Environment.ProcessId % 50));
        var frame = LiveBenchCommand.MakeFrame(o);
        var validPeriod = TimeSpan.FromSeconds(1 / (o.RateGiven ? o.Rate : 1));
        var fuzzer = new ImageFuzzer(o.Seed);
        var sentByCause = new BadFrameCounts();

        using var node = LiveBenchCommand.StartNode(domain, ["-p", "diagnostics_period:=1.0", .. o.NodeArgs]);
        using var peer = DdsParticipant.Create(domain);
        long outputs = 0;
        byte[]? lastDiagnostics = null;
        var reliable = new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile);
        using var labels = peer.CreateReader("rt/part_segmenter/labels", ImageType, reliable, _ => Interlocked.Increment(ref outputs));
        using var diagnostics = peer.CreateReader("rt/diagnostics", "diagnostic_msgs::msg::dds_::DiagnosticArray_", reliable,
            cdr => Volatile.Write(ref lastDiagnostics, cdr.ToArray()));
        var camera = peer.CreateWriter("rt/image", ImageType, new DdsQos(DdsReliability.BestEffort, 1, DdsDurability.Volatile));
        var wait = Stopwatch.StartNew();
        while (camera.MatchedReaders == 0 && wait.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(50);
        }

        if (camera.MatchedReaders == 0)
        {
            Console.Error.WriteLine("live-bench --fuzz: the node's input never matched");
            return 1;
        }

        Console.WriteLine($"fuzzing the node's input for {o.Duration.TotalMinutes:0.#} min: malformed Images at {o.FuzzRate:0} Hz (seed {o.Seed}), " +
                          $"a valid {o.Width}x{o.Height} bgr8 frame every {validPeriod.TotalSeconds:0.##} s; domain {domain}, loopback");
        var writer = new CdrWriter(frame.Length + 256);
        var rss = new List<long>();
        long fuzzSent = 0, validSent = 0;
        var clock = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(10);
        while (clock.Elapsed < o.Duration && !node.HasExited)
        {
            var now = clock.Elapsed;
            for (; fuzzSent < now.TotalSeconds * o.FuzzRate; fuzzSent++)
            {
                var sample = fuzzer.Next();
                sentByCause.Add(sample.Cause);
                camera.Write(sample.Cdr);
            }

            if (now >= validPeriod * validSent)
            {
                PublishValid(camera, writer, frame, o);
                validSent++;
            }

            if (now >= nextReport)
            {
                rss.Add(LiveBenchCommand.ReadRssKb(node.Id));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{now.TotalSeconds,6:0} s  sent {fuzzSent} bad + {validSent} valid; node {Summary(Volatile.Read(ref lastDiagnostics))}; outputs {Interlocked.Read(ref outputs)}; RSS {rss[^1] / 1024.0:0.0} MiB{Memory(Volatile.Read(ref lastDiagnostics))}"));
                nextReport += TimeSpan.FromSeconds(10);
            }

            Thread.Sleep(2);
        }

        // After the fuzz: valid frames until one more output arrives, then the node's final counts.
        var before = Interlocked.Read(ref outputs);
        var drain = Stopwatch.StartNew();
        while (!node.HasExited && Interlocked.Read(ref outputs) == before && drain.Elapsed < TimeSpan.FromSeconds(30))
        {
            PublishValid(camera, writer, frame, o);
            Thread.Sleep(500);
        }

        Thread.Sleep(1500); // one more diagnostics period
        var alive = !node.HasExited;
        var final = Volatile.Read(ref lastDiagnostics);
        rss.Add(alive ? LiveBenchCommand.ReadRssKb(node.Id) : 0);
        LiveBenchCommand.Stop(node);
        return Report(alive, Interlocked.Read(ref outputs) > before, final, sentByCause, fuzzSent, rss);
    }

    private static void PublishValid(DdsWriter camera, CdrWriter writer, byte[] frame, LiveBenchCommand.Options o)
    {
        writer.Reset();
        Messages.Sensor.Image.Write(writer, Timestamp.FromNanoseconds(LiveBenchCommand.NowNs()), "fuzz_valid", (uint)o.Height, (uint)o.Width, "bgr8", (uint)o.Width * 3, frame);
        camera.Write(writer.WrittenSpan);
    }

    private static string Summary(byte[]? diagnostics) => diagnostics is null
        ? "(no diagnostics yet)"
        : string.Create(CultureInfo.InvariantCulture,
            $"received {Value(diagnostics, "frames_received")}, bad {Value(diagnostics, "bad_frames")}, dropped {Value(diagnostics, "frames_dropped")}, processed {Value(diagnostics, "frames_processed")}");

    // The node's own memory figures (managed heap, C heap in use and free), where its diagnostics carry them.
    private static string Memory(byte[]? diagnostics)
    {
        if (diagnostics is null || Value(diagnostics, "native_heap_in_use_bytes") < 0)
        {
            return "";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $" (managed {Value(diagnostics, "managed_heap_bytes") / 1048576.0:0.0}, C heap in use {Value(diagnostics, "native_heap_in_use_bytes") / 1048576.0:0.0}, free {Value(diagnostics, "native_heap_free_bytes") / 1048576.0:0.0})");
    }

    private static long Value(byte[] diagnostics, string key) => LiveBenchCommand.DiagnosticValue(diagnostics, key);

    private static int Report(bool alive, bool outputAfter, byte[]? final, BadFrameCounts sent, long fuzzSent, List<long> rss)
    {
        Console.WriteLine();
        Console.WriteLine($"node still running      {(alive ? "yes" : "NO")}");
        Console.WriteLine($"output after the fuzz   {(outputAfter ? "yes" : "NO")}");
        Console.WriteLine($"malformed samples sent  {fuzzSent}");
        var ok = alive && outputAfter && final is not null;
        if (final is not null)
        {
            Console.WriteLine($"node                    {Summary(final)}");
            Console.WriteLine("cause                   sent      counted by the node");
            foreach (var cause in BadFrameCauses.All)
            {
                var counted = Value(final, cause.Name());
                var wrong = counted > sent[cause] || (cause == BadFrameCause.ProcessingFailed && counted > 0);
                ok &= !wrong;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cause.Name(),-22}  {sent[cause],-9} {counted}{(wrong ? "  <- unexpected" : "")}"));
            }
        }

        var measured = rss.Where(r => r > 0).ToList();
        if (measured.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"node RSS                first {measured[0] / 1024.0:0.0} MiB, max {measured.Max() / 1024.0:0.0} MiB, last {measured[^1] / 1024.0:0.0} MiB"));
        }

        Console.WriteLine(ok ? "fuzz: passed" : "fuzz: FAILED");
        return ok ? 0 : 1;
    }
}

using System.Buffers.Binary;
using System.Diagnostics;
using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Rcl;

/// <summary>
/// <c>rospartseg-rcl --bench [frames] [width] [height]</c>: publishes rgb8 images through this transport to its own
/// subscription and reports the cost per frame (time, managed allocation) of the hot path on each side.
/// </summary>
internal static class Bench
{
    public static int Run(string[] args)
    {
        var frames = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
        var width = args.Length > 2 ? uint.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 640u;
        var height = args.Length > 3 ? uint.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 480u;
        using var transport = new RclTransport("rcl_bench", "/", (l, m) => Console.WriteLine($"[{l}] {m}"));
        var sent = new long[frames];
        var latency = new List<double>(frames);
        var receiveAlloc = new List<long>(frames);
        long lastSpinAlloc = -1;
        var qos = new RosQos(RosReliability.Reliable, 10);
        using var sub = transport.Subscribe("/rcl_bench/image", "sensor_msgs/msg/Image", qos, cdr =>
        {
            var now = Stopwatch.GetTimestamp();
            var i = BinaryPrimitives.ReadInt32LittleEndian(cdr[4..]); // header.stamp.sec carries the frame index
            var alloc = GC.GetAllocatedBytesForCurrentThread();
            if (lastSpinAlloc >= 0)
            {
                receiveAlloc.Add(alloc - lastSpinAlloc); // everything the spin thread allocated since the last frame
            }

            lastSpinAlloc = alloc;
            latency.Add(Stopwatch.GetElapsedTime(sent[i], now).TotalMilliseconds);
        });
        var pub = transport.Advertise("/rcl_bench/image", "sensor_msgs/msg/Image", qos);
        while (pub.SubscriberCount == 0 || sub.PublisherCount == 0)
        {
            Thread.Sleep(50);
        }

        var pixels = new byte[width * height * 3];
        var writer = new CdrWriter(pixels.Length + 128);
        var publish = new List<double>(frames);
        var publishAlloc = new List<long>(frames);
        for (var i = 0; i < frames; i++)
        {
            writer.Reset();
            Image.Write(writer, new Timestamp(i, 0), "bench", height, width, "rgb8", width * 3, pixels);
            var before = GC.GetAllocatedBytesForCurrentThread();
            sent[i] = Stopwatch.GetTimestamp();
            pub.Publish(writer.WrittenSpan);
            publish.Add(Stopwatch.GetElapsedTime(sent[i]).TotalMilliseconds);
            publishAlloc.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            Thread.Sleep(50);
        }

        Thread.Sleep(500);
        transport.Shutdown();
        Console.WriteLine($"{width}x{height} rgb8 ({writer.Length} bytes CDR), {frames} sent, {latency.Count} received");
        Console.WriteLine($"publish ms: median {Median(publish):0.###}, p95 {P95(publish):0.###}; managed bytes per publish: median {Median(publishAlloc)}");
        Console.WriteLine($"publish-to-handler ms: median {Median(latency):0.###}, p95 {P95(latency):0.###}; spin-thread managed bytes per received frame: median {Median(receiveAlloc)}");
        return 0;
    }

    private static double Median(List<double> xs) => xs.Count == 0 ? double.NaN : xs.Order().ElementAt(xs.Count / 2);

    private static double P95(List<double> xs) => xs.Count == 0 ? double.NaN : xs.Order().ElementAt(xs.Count * 95 / 100);

    private static long Median(List<long> xs) => xs.Count == 0 ? -1 : xs.Order().ElementAt(xs.Count / 2);
}

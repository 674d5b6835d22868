using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;
using RosPartSeg.Imaging;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Diagnostic;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// <c>dotnet exec RosPartSeg.Node.Tests.dll outputs-check [options] -- COMMAND...</c>: starts COMMAND as the node (any
/// build of it, e.g. the linux-arm64 one under qemu) on a private loopback domain, feeds it camera frames from this
/// process and checks that every output arrives: the five per-frame outputs of one frame with its header, the
/// transient-local label map and diagnostics that count the frame; then SIGTERM must stop the node with exit code 0.
/// Prints one line per output and a verdict; exits 0 only when everything arrived. Used by tools/arm64_check.sh.
/// </summary>
internal static class OutputsCheck
{
    private const string ImageType = "sensor_msgs::msg::dds_::Image_";

    public static int Run(string[] args)
    {
        var startLimit = TimeSpan.FromSeconds(120);
        var limit = TimeSpan.FromSeconds(180);
        var resend = TimeSpan.FromSeconds(10);
        string? imagePath = null;
        int dash = Array.IndexOf(args, "--");
        for (int i = 0; i < (dash < 0 ? args.Length : dash); i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--start-limit": startLimit = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--limit": limit = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--resend": resend = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--image": imagePath = Next(); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (dash < 0 || dash == args.Length - 1)
        {
            Console.Error.WriteLine("usage: outputs-check [--start-limit S (120)] [--limit S (180)] [--resend S (10)] [--image FILE] -- NODE COMMAND...");
            return 2;
        }

        var image = imagePath is null ? Pattern(320, 240) : ImageCodec.Read(imagePath);
        var domain = TestEnvironment.NewDomain();
        var sw = Stopwatch.StartNew();
        using var node = NodeProcess.StartCommand(args[(dash + 1)..], domain, "humble", startLimit);
        Console.WriteLine($"node running after {sw.Elapsed.TotalSeconds:F1} s (domain {domain}, loopback only)");
        using var peer = new TestPeer(domain);
        try
        {
            return Exchange(node, peer, image, limit, resend) && Stop(node) ? 0 : 1;
        }
        finally
        {
            Console.Out.Flush();
        }
    }

    internal static bool Exchange(NodeProcess node, TestPeer peer, DecodedImage image, TimeSpan limit, TimeSpan resendAfter)
    {
        string[] names = ["labels", "color_mask", "overlay", "detections", "parts"];
        string[] types = [ImageType, ImageType, ImageType, "vision_msgs::msg::dds_::Detection2DArray_", "rospartseg::msg::dds_::PartRegionArray_"];
        var received = names.Select(_ => new ConcurrentQueue<byte[]>()).ToArray();
        var readers = new List<DdsReader>();
        for (int i = 0; i < names.Length; i++)
        {
            var queue = received[i];
            readers.Add(peer.Participant.CreateReader("rt/part_segmenter/" + names[i], types[i], TestPeer.ReliableReader, cdr => queue.Enqueue(cdr.ToArray())));
        }

        var labelInfo = new ConcurrentQueue<byte[]>();
        readers.Add(peer.Participant.CreateReader("rt/part_segmenter/label_info", "vision_msgs::msg::dds_::LabelInfo_",
            new DdsQos(DdsReliability.Reliable, 1, DdsDurability.TransientLocal), cdr => labelInfo.Enqueue(cdr.ToArray())));
        var diagnostics = new ConcurrentQueue<byte[]>();
        readers.Add(peer.Participant.CreateReader("rt/diagnostics", "diagnostic_msgs::msg::dds_::DiagnosticArray_", TestPeer.ReliableReader, cdr => diagnostics.Enqueue(cdr.ToArray())));
        var camera = peer.Camera640("rt/image");

        // The node computes only outputs it sees subscribers for: send frames once every endpoint has matched.
        var sw = Stopwatch.StartNew();
        if (!TestEnvironment.WaitUntil(() => camera.MatchedReaders > 0 && readers.All(r => r.MatchedWriters > 0), limit))
        {
            Console.WriteLine($"FAIL: endpoints did not match within {limit.TotalSeconds:F0} s (camera {camera.MatchedReaders}, outputs {string.Join(",", readers.Select(r => r.MatchedWriters))})");
            PrintLog(node);
            return false;
        }

        Console.WriteLine($"all endpoints matched after {sw.Elapsed.TotalSeconds:F1} s; sending {image.Width}x{image.Height} bgr8 frames");
        var sent = new HashSet<Timestamp>();
        var got = new Dictionary<Timestamp, byte[]?[]>();
        Timestamp? complete = null;
        var nextSend = TimeSpan.Zero;
        sw.Restart();
        while (complete is null && sw.Elapsed < limit && !node.HasExited)
        {
            // A best-effort frame may be lost, and one sent while the node is busy replaces the waiting one: resend
            // now and then (each has its own stamp) and take the first frame that comes back on all five outputs.
            if (sw.Elapsed >= nextSend)
            {
                var stamp = new Timestamp(2000 + sent.Count, 5);
                sent.Add(stamp);
                peer.PublishImage(camera, stamp, "camera_optical", image.Width, image.Height, "bgr8", image.Pixels, image.Width * 3);
                nextSend = sw.Elapsed + resendAfter;
            }

            for (int i = 0; i < received.Length; i++)
            {
                while (received[i].TryDequeue(out var cdr))
                {
                    var (stamp, frameId) = LiveNode.HeaderOf(cdr);
                    if (sent.Contains(stamp) && frameId == "camera_optical")
                    {
                        var slots = got.TryGetValue(stamp, out var s) ? s : got[stamp] = new byte[]?[received.Length];
                        slots[i] = cdr;
                        complete = slots.All(x => x is not null) ? stamp : complete;
                    }
                }
            }

            Thread.Sleep(20);
        }

        if (complete is not { } done)
        {
            Console.WriteLine($"FAIL: no frame came back on all five outputs within {limit.TotalSeconds:F0} s ({sent.Count} sent; "
                + string.Join(", ", names.Select((n, i) => $"{n} {got.Values.Count(s => s[i] is not null)}")) + ")");
            PrintLog(node);
            return false;
        }

        Console.WriteLine($"frame {done} came back on all five outputs {sw.Elapsed.TotalSeconds:F1} s after the first was sent");
        var outputs = got[done];
        var ok = true;
        var labels = RosMessage.Decode<Image>(outputs[0]!);
        ok &= Check("labels", labels.Encoding == "mono8" && labels.Width == image.Width && labels.Height == image.Height,
            $"{labels.Width}x{labels.Height} {labels.Encoding}, classes {string.Join(",", labels.Data.ToArray().Distinct().Order())}");
        var mask = RosMessage.Decode<Image>(outputs[1]!);
        ok &= Check("color_mask", mask.Encoding == "rgb8" && mask.Width == labels.Width && mask.Height == labels.Height, $"{mask.Width}x{mask.Height} {mask.Encoding}");
        var overlay = RosMessage.Decode<Image>(outputs[2]!);
        ok &= Check("overlay", overlay.Encoding == "rgb8" && overlay.Width == image.Width && overlay.Height == image.Height, $"{overlay.Width}x{overlay.Height} {overlay.Encoding}");
        var detections = RosMessage.Decode<Detection2DArray>(outputs[3]!);
        var parts = RosMessage.Decode<PartRegionArrayMessage>(outputs[4]!);
        ok &= Check("detections", detections.Detections.Count == parts.People.Count + parts.Regions.Count,
            $"{detections.Detections.Count} detections");
        ok &= Check("parts", parts.ImageWidth == image.Width && parts.ImageHeight == image.Height,
            $"{parts.People.Count} people, {parts.Regions.Count} regions");

        ok &= Check("label_info", TestEnvironment.WaitUntil(() => !labelInfo.IsEmpty, TimeSpan.FromSeconds(10))
            && labelInfo.TryPeek(out var li) && RosMessage.Decode<LabelInfo>(li).ClassMap.Count > 1, $"{labelInfo.Count} received (transient local)");
        long processed = -1;
        TestEnvironment.WaitUntil(() =>
        {
            while (diagnostics.TryDequeue(out var d))
            {
                processed = Math.Max(processed, LiveNode.Value(new Received(d, 0), "frames_processed"));
            }

            return processed > 0;
        }, TimeSpan.FromSeconds(10));
        ok &= Check("diagnostics", processed > 0, $"frames_processed {processed}");
        return ok;
    }

    // SIGTERM: the node must finish the frame in flight, delete its DDS entities and exit 0 (under an emulator too,
    // where one frame takes many seconds).
    private static bool Stop(NodeProcess node)
    {
        var took = node.Terminate(TimeSpan.FromSeconds(90));
        bool ok = took is not null && node.ExitCode == 0;
        Check("shutdown", ok, took is null ? "did not exit within 90 s of SIGTERM" : $"exit code {node.ExitCode} after {took.Value.TotalSeconds:F1} s");
        if (!ok)
        {
            PrintLog(node);
        }

        return ok;
    }

    private static bool Check(string name, bool ok, string detail)
    {
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {name}: {detail}");
        return ok;
    }

    private static void PrintLog(NodeProcess node)
    {
        Console.WriteLine("node log:");
        foreach (var line in node.Log)
        {
            Console.WriteLine("  " + line);
        }
    }

    // A deterministic bgr8 picture when no photo is given (delivery does not depend on content).
    internal static DecodedImage Pattern(int width, int height)
    {
        var px = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int p = ((y * width) + x) * 3;
                (px[p], px[p + 1], px[p + 2]) = ((byte)x, (byte)y, (byte)((x ^ y) & 0xff));
            }
        }

        return new DecodedImage(width, height, 3, px);
    }
}

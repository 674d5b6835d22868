using System.Collections.Concurrent;
using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;
using RosPartSeg.Imaging;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Diagnostic;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// The setup the live tests share: <c>rospartseg node</c> (Humble) as a process on a fresh loopback domain and a
/// <see cref="TestPeer"/> on the same domain, with the helpers that feed it frames and read what it sends back.
/// Disposing closes the peer, then stops the node. (Compiled into RosPartSeg.Node.Tests only.)
/// </summary>
internal sealed class LiveNode : IDisposable
{
    public const string ImageType = "sensor_msgs::msg::dds_::Image_";
    public const string DiagnosticsType = "diagnostic_msgs::msg::dds_::DiagnosticArray_";

    private LiveNode(uint domain, NodeProcess node)
    {
        Domain = domain;
        Node = node;
        Peer = new TestPeer(domain);
    }

    public uint Domain { get; }

    public NodeProcess Node { get; }

    public TestPeer Peer { get; }

    /// <summary>Starts the node with <paramref name="nodeArgs"/> and waits until it runs.</summary>
    public static LiveNode Start(params string[] nodeArgs)
    {
        var domain = TestEnvironment.NewDomain();
        return new LiveNode(domain, NodeProcess.Start(domain, "humble", nodeArgs));
    }

    /// <summary>Starts the node publishing /diagnostics every half second, for tests that read its counters.</summary>
    public static LiveNode StartWithFastDiagnostics() => Start("--ros-args", "-p", "diagnostics_period:=0.5");

    public BlockingCollection<Received> Labels(DdsQos? qos = null) => Peer.Subscribe("rt/part_segmenter/labels", ImageType, qos);

    public BlockingCollection<Received> Diagnostics() => Peer.Subscribe("rt/diagnostics", DiagnosticsType);

    /// <summary>
    /// Subscribes to the five per-frame outputs (so the node renders them all, see <see cref="TestPeer.SubscribeOutputs"/>)
    /// and to /diagnostics, then returns them with a camera the node's input has matched.
    /// </summary>
    public (BlockingCollection<Received>[] Outputs, BlockingCollection<Received> Diagnostics, DdsWriter Camera) WatchEveryOutput(TimeSpan limit) =>
        (Peer.SubscribeOutputs(), Diagnostics(), MatchedCamera(limit));

    /// <summary>A best-effort camera on <c>/image</c>, returned once the node's input has matched it.</summary>
    public DdsWriter MatchedCamera(TimeSpan limit) => MatchedCamera(Peer, limit);

    /// <summary>A best-effort camera on <c>/image</c> of <paramref name="peer"/> (another camera process), once matched.</summary>
    public static DdsWriter MatchedCamera(TestPeer peer, TimeSpan limit)
    {
        var camera = peer.Camera640("rt/image");
        Assert.True(TestPeer.WaitMatched(camera, 1, limit), "the node's input never matched a best-effort camera");
        return camera;
    }

    /// <summary>Publishes a bgr8 image on <paramref name="camera"/>.</summary>
    public void Publish(DdsWriter camera, DecodedImage image, Timestamp stamp, string frameId = "cam") => Publish(Peer, camera, image, stamp, frameId);

    public static void Publish(TestPeer peer, DdsWriter camera, DecodedImage image, Timestamp stamp, string frameId = "cam") =>
        peer.PublishImage(camera, stamp, frameId, image.Width, image.Height, "bgr8", image.Pixels, image.Width * 3);

    /// <summary>
    /// A generated bgr8 frame (colour ramps), for tests about the node rather than about what it sees: every clone
    /// has it, unlike the photos in shared/fixtures.
    /// </summary>
    public static DecodedImage GeneratedFrame(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i / 3 % width) + (i / (width * 3)) + (i % 3 * 60));
        }

        return new DecodedImage(width, height, 3, pixels);
    }

    /// <summary>
    /// Publishes <paramref name="image"/> stamped <paramref name="sec"/> s (again, as best-effort delivery may lose
    /// it) until labels with that stamp arrive: whether the node still segments.
    /// </summary>
    public static bool ProducesLabels(TestPeer peer, DdsWriter camera, BlockingCollection<Received> labels, DecodedImage image, int sec, TimeSpan limit)
    {
        var stamp = new Timestamp(sec, 1);
        var sw = TestPeer.Timer();
        while (sw.Elapsed < limit)
        {
            Publish(peer, camera, image, stamp);
            var until = TestPeer.Timer();
            while (until.Elapsed < TimeSpan.FromSeconds(1) && labels.TryTake(out var r, TimeSpan.FromMilliseconds(200)))
            {
                if (HeaderOf(r.Cdr).Item1 == stamp)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The stamp and frame id of a message that starts with a std_msgs/Header.</summary>
    public static (Timestamp, string) HeaderOf(byte[] cdr)
    {
        var reader = new CdrReader(cdr);
        var h = Messages.Std.Header.Read(ref reader);
        return (h.Stamp, h.FrameId);
    }

    /// <summary>A counter of the node's /diagnostics status, or -1 where it has none.</summary>
    public static long Value(Received r, string key)
    {
        var d = RosMessage.Decode<DiagnosticArray>(r.Cdr);
        var kv = d.Status[0].Values.FirstOrDefault(v => v.Key == key);
        return kv is null ? -1 : long.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        Peer.Dispose();
        Node.Dispose();
    }
}

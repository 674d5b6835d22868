using System.Collections.Concurrent;
using System.Diagnostics;
using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;
using RosPartSeg.Imaging;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>A received sample with the time it arrived.</summary>
internal sealed record Received(byte[] Cdr, long ArrivalUnixNs);

/// <summary>The test side of an end-to-end run: a camera publisher and subscribers on the node's outputs.</summary>
internal sealed class TestPeer : IDisposable
{
    public static readonly DdsQos Camera = new(DdsReliability.BestEffort, 1, DdsDurability.Volatile);
    public static readonly DdsQos ReliableReader = new(DdsReliability.Reliable, 10, DdsDurability.Volatile);

    private readonly CdrWriter _writer = new(1 << 20);

    public TestPeer(uint domain) => Participant = DdsParticipant.Create(domain);

    /// <summary>A peer with SROS2 credentials (see <see cref="TestKeystore"/>).</summary>
    public TestPeer(uint domain, DdsSecurity security) => Participant = DdsParticipant.Create(domain, security.UserData, security.Properties);

    public DdsParticipant Participant { get; }

    /// <summary>A photo of people from the shared fixtures; tests that use it are [SharedFact].</summary>
    public static DecodedImage Photo(string name) => ImageCodec.Read(SharedData.People(name));

    public static long NowNs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    public DdsWriter Camera640(string topic) => Participant.CreateWriter(topic, "sensor_msgs::msg::dds_::Image_", Camera);

    public BlockingCollection<Received> Subscribe(string topic, string ddsType, DdsQos? qos = null)
    {
        var q = new BlockingCollection<Received>();
        Participant.CreateReader(topic, ddsType, qos ?? ReliableReader, cdr => q.Add(new Received(cdr.ToArray(), NowNs())));
        return q;
    }

    /// <summary>
    /// Subscribes to the node's five per-frame outputs under <c>/part_segmenter</c>, in the order labels, color_mask,
    /// overlay, detections, parts.
    /// </summary>
    public BlockingCollection<Received>[] SubscribeOutputs() =>
    [
        Subscribe("rt/part_segmenter/labels", "sensor_msgs::msg::dds_::Image_"),
        Subscribe("rt/part_segmenter/color_mask", "sensor_msgs::msg::dds_::Image_"),
        Subscribe("rt/part_segmenter/overlay", "sensor_msgs::msg::dds_::Image_"),
        Subscribe("rt/part_segmenter/detections", "vision_msgs::msg::dds_::Detection2DArray_"),
        Subscribe("rt/part_segmenter/parts", "rospartseg::msg::dds_::PartRegionArray_"),
    ];

    /// <summary>Publishes an image (bgr8 or converted) stamped with <paramref name="stamp"/>.</summary>
    public void PublishImage(DdsWriter w, Timestamp stamp, string frameId, int width, int height, string encoding, ReadOnlySpan<byte> pixels, int step)
    {
        _writer.Reset();
        Image.Write(_writer, stamp, frameId, (uint)height, (uint)width, encoding, (uint)step, pixels);
        w.Write(_writer.WrittenSpan);
    }

    public static bool WaitMatched(DdsWriter w, int readers, TimeSpan timeout) => TestEnvironment.WaitUntil(() => w.MatchedReaders >= readers, timeout);

    public static Stopwatch Timer() => Stopwatch.StartNew();

    public void Dispose() => Participant.Dispose();
}

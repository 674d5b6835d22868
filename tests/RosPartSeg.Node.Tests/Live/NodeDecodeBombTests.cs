using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;
using RosPartSeg.Imaging;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using Xunit.Abstractions;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// Decode bombs on the live compressed input (real DDS, the node in its own process): a 2 MB PNG of 16384x16384
/// 16-bit RGBA zeros (4.3 GB once decoded) and a JPEG whose header says 16384x16384 are refused as
/// size_too_large without the memory, and the next frame is segmented.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class NodeDecodeBombTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);
    private const long PeakLimitKb = 400 * 1024;

    [Fact]
    public void Decode_bombs_are_refused_as_too_large_with_a_bounded_peak_and_the_node_keeps_segmenting()
    {
        var domain = TestEnvironment.NewDomain();
        // Reliable input, so that the 2 MB sample is not lost to a dropped fragment.
        using var node = NodeProcess.Start(domain, "humble", "--ros-args", "-p", "input_transport:=compressed",
            "-p", "input_reliability:=reliable", "-p", "diagnostics_period:=0.2");
        using var peer = new TestPeer(domain);
        var parts = peer.Subscribe("rt/part_segmenter/parts", "rospartseg::msg::dds_::PartRegionArray_");
        var diagnostics = peer.Subscribe("rt/diagnostics", "diagnostic_msgs::msg::dds_::DiagnosticArray_");
        var camera = peer.Participant.CreateWriter("rt/image/compressed", "sensor_msgs::msg::dds_::CompressedImage_",
            new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile));
        Assert.True(TestPeer.WaitMatched(camera, 1, Limit), "the node's input never matched");
        var small = ImageCodec.EncodeJpeg(OutputsCheck.Pattern(160, 120).Pixels, 160, 120, 3);
        var w = new CdrWriter(1 << 22);
        void Send(byte[] encoded, string format, int stamp)
        {
            w.Reset();
            CompressedImage.Write(w, new Timestamp(stamp, 0), "cam", format, encoded);
            camera.Write(w.WrittenSpan);
        }

        var before = node.PeakRssKb();
        Send(DecodeBombs.ZeroPng(16384), "png", 1);
        Assert.True(WaitFor(diagnostics, "size_too_large", 1), "the PNG bomb was not counted as size_too_large");
        Send(DecodeBombs.HugeJpeg(small, 16384, 16384), "jpeg", 2);
        Assert.True(WaitFor(diagnostics, "size_too_large", 2), "the JPEG bomb was not counted as size_too_large");
        var peak = node.PeakRssKb();
        Assert.False(node.HasExited);
        output.WriteLine($"peak RSS {peak / 1024} MiB after both bombs ({before / 1024} MiB before)");
        Assert.True(peak < PeakLimitKb, $"peak RSS {peak / 1024} MiB (before the bombs {before / 1024} MiB)");

        var segmented = TestEnvironment.WaitUntil(() =>
        {
            Send(small, "jpeg", 3);
            return parts.TryTake(out _, TimeSpan.FromSeconds(1));
        }, Limit);
        Assert.True(segmented, "no ~/parts after the bombs");
    }

    private static bool WaitFor(System.Collections.Concurrent.BlockingCollection<Received> diagnostics, string key, long count) =>
        TestEnvironment.WaitUntil(() => diagnostics.TryTake(out var d) && LiveNode.Value(d, key) == count, Limit);
}

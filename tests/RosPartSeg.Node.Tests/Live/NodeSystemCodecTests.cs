using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;
using RosPartSeg.Imaging;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// The node in its own process with ROSPARTSEG_IMAGE_CODEC=system (the codec a Jetson takes) and a compressed input
/// over real loopback DDS: it names the codec, segments JPEG and PNG frames, and once warm its worker allocates
/// nothing (<c>worker_allocated_bytes</c> in /diagnostics), as on the OpenCV path.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class NodeSystemCodecTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    [Fact]
    public void Jpeg_and_png_frames_are_segmented_and_the_warm_worker_allocates_nothing()
    {
        var domain = TestEnvironment.NewDomain();
        var env = new Dictionary<string, string> { [ImageCodec.EnvironmentVariable] = "system" };
        using var node = NodeProcess.StartWith(env, domain, "humble", "--ros-args", "-p", "input_transport:=compressed",
            "-p", "input_reliability:=reliable", "-p", "diagnostics_period:=0.5");
        Assert.Contains(node.Log, l => l.Contains("image codec: libjpeg-turbo (libturbojpeg.so.0) and libpng", StringComparison.Ordinal));
        using var peer = new TestPeer(domain);
        var outputs = peer.SubscribeOutputs();
        var diagnostics = peer.Subscribe("rt/diagnostics", LiveNode.DiagnosticsType);
        var camera = peer.Participant.CreateWriter("rt/image/compressed", "sensor_msgs::msg::dds_::CompressedImage_",
            new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile));
        Assert.True(TestPeer.WaitMatched(camera, 1, Limit), "the node's input never matched");

        var pattern = OutputsCheck.Pattern(320, 240).Pixels;
        (byte[] Data, string Format)[] frames = [(ImageCodec.OpenCv.EncodeJpeg(pattern, 320, 240, 3), "jpeg"), (ImageCodec.OpenCv.EncodePng(pattern, 320, 240, 3), "png")];
        var w = new CdrWriter(1 << 20);
        var seen = new bool[outputs.Length];
        long warmFrom = -1, lastProcessed = -1, lastBad = 0;
        int zeroPeriods = 0;
        var report = new List<string>();
        var sw = TestPeer.Timer();
        for (var k = 1; sw.Elapsed < Limit && zeroPeriods < 2; k++)
        {
            var (data, format) = frames[k % 2];
            w.Reset();
            CompressedImage.Write(w, new Timestamp(k, 0), "cam", format, data);
            camera.Write(w.WrittenSpan);
            Thread.Sleep(250);
            for (var i = 0; i < outputs.Length; i++)
            {
                while (outputs[i].TryTake(out _))
                {
                    seen[i] = true;
                }
            }

            while (diagnostics.TryTake(out var d))
            {
                var processed = LiveNode.Value(d, "frames_processed");
                var allocated = LiveNode.Value(d, "worker_allocated_bytes");
                lastBad = LiveNode.Value(d, "bad_frames");
                if (warmFrom < 0 && seen.All(s => s))
                {
                    warmFrom = processed + 5;
                }

                if (warmFrom >= 0 && lastProcessed >= warmFrom && processed > lastProcessed)
                {
                    report.Add($"{processed - lastProcessed} frames: {allocated} bytes");
                    zeroPeriods = allocated == 0 ? zeroPeriods + 1 : 0;
                }

                lastProcessed = processed;
            }
        }

        Assert.True(seen.All(s => s), "not every output arrived");
        Assert.Equal(0, lastBad);
        Assert.True(zeroPeriods >= 2, $"no two consecutive warm periods without allocation; the last periods: [{string.Join("; ", report.TakeLast(8))}]");
        Assert.False(node.HasExited);
    }
}

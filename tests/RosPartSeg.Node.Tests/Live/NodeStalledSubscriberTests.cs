using System.Diagnostics;
using System.Runtime.InteropServices;
using RosPartSeg.Core.Frames;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// A reliable subscriber of ~/overlay that stops acknowledging (its process stopped with SIGSTOP, as RViz behind a
/// dead Wi-Fi link) must not cost another subscriber any message on the other outputs, and the newest overlay still
/// reaches it. (That a publish that does fail costs
/// only its own output is shown with a failing publisher in PartSegmenterNodeTests.AFailingOutputCostsThatOutputOnly.)
/// </summary>
[Collection(LiveCollection.Name)]
public sealed partial class NodeStalledSubscriberTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);
    private const int SigStop = 19, SigCont = 18;

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public void A_stalled_reliable_subscriber_costs_another_subscriber_nothing(int outputDepth)
    {
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.Start(domain, "humble", "--ros-args", "-p", $"output_depth:={outputDepth}", "-p", "diagnostics_period:=0.5");
        var stalled = TestEnvironment.StartPeer(domain, "peer-listen", "rt/part_segmenter/overlay", "sensor_msgs::msg::dds_::Image_", "10");
        try
        {
            Assert.Equal("ready", stalled.StandardOutput.ReadLine());
            using var peer = new TestPeer(domain);
            var outputs = peer.SubscribeOutputs(); // labels, color_mask, overlay, detections, parts
            var diagnostics = peer.Subscribe("rt/diagnostics", "diagnostic_msgs::msg::dds_::DiagnosticArray_");
            var camera = peer.Camera640("rt/image");
            Assert.True(TestPeer.WaitMatched(camera, 1, Limit), "the node's input never matched");
            var image = OutputsCheck.Pattern(640, 480);

            // Warm up with both subscribers acknowledging, until the stalled one has received an overlay.
            var warm = TestEnvironment.WaitUntil(() =>
            {
                peer.PublishImage(camera, new Timestamp(1, 0), "cam", 640, 480, "bgr8", image.Pixels, 640 * 3);
                return outputs[4].TryTake(out _, TimeSpan.FromSeconds(1)) && stalled.StandardOutput.ReadLine() == "sample";
            }, Limit);
            Assert.True(warm, "no output before the stall");
            foreach (var q in outputs)
            {
                while (q.TryTake(out _))
                {
                }
            }

            // The overlay subscriber stops; its 921 KB samples fill the writer's unacknowledged window at once. Within
            // Cyclone's 10 s lease, every frame must still reach the other subscriber on every other output.
            Assert.Equal(0, Kill(stalled.Id, SigStop));
            const int frames = 12;
            var missing = new List<string>();
            for (var k = 2; k < 2 + frames; k++)
            {
                peer.PublishImage(camera, new Timestamp(k, 0), "cam", 640, 480, "bgr8", image.Pixels, 640 * 3);
                foreach (var (q, name) in new[] { (outputs[3], "detections"), (outputs[4], "parts"), (outputs[0], "labels"), (outputs[1], "color_mask") })
                {
                    if (!Receives(q, name, new Timestamp(k, 0)))
                    {
                        missing.Add($"{name} {k}");
                    }
                }
            }

            // The stalled reader's own topic: the writer may hold back or replace (KEEP_LAST) what the other reader
            // has not taken yet while the stopped one fills its window, so on ~/overlay only the newest frame is owed.
            var lastOverlay = TestEnvironment.WaitUntil(
                () => outputs[2].TryTake(out var r, TimeSpan.FromSeconds(1)) && Stamp("overlay", r.Cdr) == new Timestamp(1 + frames, 0),
                TimeSpan.FromSeconds(10));
            if (!lastOverlay)
            {
                missing.Add($"overlay {1 + frames} (the newest)");
            }

            // Cyclone 0.10.2 lets a KEEP_LAST writer drop samples a stopped reader never acknowledged rather than
            // block on them, so publishes rarely fail here; what fails is counted apart (publish_failed), never as a bad frame.
            long failed = -1, bad = -1;
            TestEnvironment.WaitUntil(() =>
            {
                while (diagnostics.TryTake(out var d))
                {
                    (failed, bad) = (LiveNode.Value(d, "publish_failed"), LiveNode.Value(d, "bad_frames"));
                }
                return failed >= 0;
            }, TimeSpan.FromSeconds(5));
            output.WriteLine($"output_depth {outputDepth}: {frames} frames during the stall, publish_failed {failed}");
            Assert.True(missing.Count == 0, $"missing after the stall: {string.Join(", ", missing)}");
            Assert.Equal(0, bad);
            Assert.False(node.HasExited);
        }
        finally
        {
            _ = Kill(stalled.Id, SigCont);
            TestEnvironment.Kill(stalled);
        }
    }

    // Frame `stamp` arrives within 3 s; a late sample of an earlier frame (the warm-up's, arriving after the drain) is
    // skipped, a later frame first means this one was lost.
    private static bool Receives(System.Collections.Concurrent.BlockingCollection<Received> q, string name, Timestamp stamp)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            if (!q.TryTake(out var r, TimeSpan.FromSeconds(3) - watch.Elapsed))
            {
                return false;
            }

            var got = Stamp(name, r.Cdr);
            if (got == stamp)
            {
                return true;
            }

            if (got.Seconds > stamp.Seconds)
            {
                return false;
            }
        }

        return false;
    }

    private static Timestamp Stamp(string output, byte[] cdr) => output switch
    {
        "detections" => RosMessage.Decode<Detection2DArray>(cdr).Header.Stamp,
        "parts" => RosMessage.Decode<PartRegionArrayMessage>(cdr).Header.Stamp,
        _ => RosMessage.Decode<Messages.Sensor.Image>(cdr).Header.Stamp,
    };

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}

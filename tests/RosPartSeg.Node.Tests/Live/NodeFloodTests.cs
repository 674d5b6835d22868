using System.Collections.Concurrent;
using RosPartSeg.Core.Frames;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>A camera far faster than the model: the node keeps only the newest frame, so latency stays bounded.</summary>
[Collection(LiveCollection.Name)]
public sealed class NodeFloodTests
{
    [SharedFact]
    public void HundredHertzFloodIsDroppedNotQueued()
    {
        using var live = LiveNode.StartWithFastDiagnostics();
        var (node, peer) = (live.Node, live.Peer);
        var labels = live.Labels();
        var diagnostics = live.Diagnostics();
        var camera = live.MatchedCamera(TimeSpan.FromSeconds(30));
        var photo = TestPeer.Photo("humans_1.jpg");
        Assert.True(LiveNode.ProducesLabels(peer, camera, labels, photo, 1, TimeSpan.FromSeconds(30)), "no output before the flood");
        while (labels.TryTake(out _))
        {
        }

        // 640x480 bgr8 frames at 100 Hz for 3 s, each stamped with the time it is sent.
        var frame = new byte[640 * 480 * 3];
        for (var y = 0; y < 388; y++)
        {
            photo.Pixels.AsSpan(y * photo.Width * 3, photo.Width * 3).CopyTo(frame.AsSpan(y * 640 * 3));
        }

        const int count = 300;
        var sw = TestPeer.Timer();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * 10);
            while (sw.Elapsed < due)
            {
                Thread.Sleep(1);
            }

            peer.PublishImage(camera, Timestamp.FromNanoseconds(TestPeer.NowNs()), "flood", 640, 480, "bgr8", frame, 640 * 3);
        }

        // Everything that comes out was processed from a frame at most a few inference times old.
        var latencies = new List<double>();
        while (labels.TryTake(out var r, TimeSpan.FromSeconds(3)))
        {
            var (stamp, id) = LiveNode.HeaderOf(r.Cdr);
            if (id == "flood")
            {
                latencies.Add((r.ArrivalUnixNs - stamp.TotalNanoseconds) / 1e6);
            }
        }

        Assert.True(latencies.Count >= 3, $"only {latencies.Count} outputs during the flood");
        Assert.True(latencies.Count < count, "every frame was processed: nothing was dropped");
        latencies.Sort();
        var median = latencies[latencies.Count / 2];
        Assert.True(median < 2000, $"median latency {median:0} ms: frames are queued, not dropped");
        Assert.True(latencies[^1] < 4000, $"max latency {latencies[^1]:0} ms");

        long dropped = 0;
        Assert.True(TestEnvironment.WaitUntil(() => diagnostics.TryTake(out var d) && (dropped = LiveNode.Value(d, "frames_dropped")) > 0, TimeSpan.FromSeconds(5)),
            "diagnostics report no dropped frames");
        Assert.True(dropped + latencies.Count <= count + 2);
        Assert.False(node.HasExited);
    }
}

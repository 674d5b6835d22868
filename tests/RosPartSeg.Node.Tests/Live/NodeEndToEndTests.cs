using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Dds;
using RosPartSeg.Inference;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// The node as a separate process on real Cyclone DDS (loopback): a camera publisher and output subscribers in
/// this process; outputs compared with the pipeline run here on the same frames.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class NodeEndToEndTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [SharedFact]
    public void EveryOutputCarriesTheInputHeaderAndMatchesThePipelineRunDirectly()
    {
        using var live = LiveNode.Start();
        var (queues, diagnostics, camera) = live.WatchEveryOutput(Limit);

        var photo = TestPeer.Photo("humans_1.jpg");
        var got = new Received[queues.Length];

        // The node renders only outputs it has seen subscribers for, so repeat the frame until all five arrive.
        var stamp = new Timestamp(0, 0);
        var sw = TestPeer.Timer();
        for (var k = 1; sw.Elapsed < Limit && got.Any(g => g is null); k++)
        {
            Array.Clear(got);
            stamp = new Timestamp(1000 + k, 123_456_789);
            live.Publish(camera, photo, stamp, "camera_optical");
            for (var i = 0; i < queues.Length; i++)
            {
                while (got[i] is null && queues[i].TryTake(out var r, TimeSpan.FromMilliseconds(i == 0 ? 1500 : 300)))
                {
                    if (LiveNode.HeaderOf(r.Cdr) == (stamp, "camera_optical"))
                    {
                        got[i] = r;
                    }
                }
            }
        }

        Assert.All(got, g => Assert.NotNull(g));

        using var pipeline = SegmenterFactory.Create(SegmenterConfig.Default);
        var frame = new ImageFrame(photo.Width, photo.Height, PixelEncoding.Bgr8, photo.Width * 3, photo.Pixels, stamp, "camera_optical");
        var expected = pipeline.Process(frame);

        var l = RosMessage.Decode<Image>(got[0].Cdr);
        Assert.Equal(("mono8", (uint)expected.LabelWidth, (uint)expected.LabelHeight, (uint)expected.LabelWidth), (l.Encoding, l.Width, l.Height, l.Step));
        Assert.Equal((uint)photo.Width, l.Width); // labels at input size
        Assert.True(expected.Labels.SequenceEqual(l.Data.Span), "labels differ from the pipeline's");

        var c = RosMessage.Decode<Image>(got[1].Cdr);
        Assert.Equal(("rgb8", (uint)expected.LabelWidth, (uint)expected.LabelHeight, (uint)expected.LabelWidth * 3), (c.Encoding, c.Width, c.Height, c.Step));
        Assert.True(expected.ColorMask.SequenceEqual(c.Data.Span), "colour mask differs from the pipeline's");

        var o = RosMessage.Decode<Image>(got[2].Cdr);
        Assert.Equal(("rgb8", (uint)photo.Width, (uint)photo.Height, (uint)photo.Width * 3), (o.Encoding, o.Width, o.Height, o.Step));
        Assert.True(expected.Overlay.SequenceEqual(o.Data.Span), "overlay differs from the pipeline's");

        var w = new CdrWriter();
        // With its track ids: the same photo again and again keeps each person's id, here and in the node.
        SegmentationMessages.WriteDetections(w, expected);
        Assert.True(SameMessage(w.WrittenSpan, got[3].Cdr), "Detection2DArray differs from the pipeline's regions");
        var d = RosMessage.Decode<Detection2DArray>(got[3].Cdr);
        Assert.Equal(expected.People.Length + expected.Regions.Length, d.Detections.Count);
        Assert.True(expected.People.Length > 0, "the photo of five adults should yield people");

        SegmentationMessages.WriteParts(w, expected);
        Assert.True(SameMessage(w.WrittenSpan, got[4].Cdr), "PartRegionArray differs from the pipeline's regions");

        Assert.True(TestEnvironment.WaitUntil(() => diagnostics.TryTake(out var dm) && LiveNode.Value(dm, "frames_processed") > 0, TimeSpan.FromSeconds(5)),
            "no /diagnostics with processed frames");
    }

    [SharedFact]
    public void LateJoinerGetsLabelInfoAndAReliablePublisherAndSubscriberMatch()
    {
        using var live = LiveNode.Start();
        var reliableCamera = live.Peer.Participant.CreateWriter("rt/image", LiveNode.ImageType, new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile));
        var reliableLabels = live.Labels(new DdsQos(DdsReliability.Reliable, 1, DdsDurability.Volatile));
        Assert.True(TestPeer.WaitMatched(reliableCamera, 1, Limit), "a reliable publisher did not match the best-effort input");

        // Joins well after the node published its label map: transient local durability delivers it.
        Thread.Sleep(500);
        var labelInfo = live.Peer.Subscribe("rt/part_segmenter/label_info", "vision_msgs::msg::dds_::LabelInfo_",
            new DdsQos(DdsReliability.Reliable, 1, DdsDurability.TransientLocal));
        Assert.True(labelInfo.TryTake(out var li, Limit), "a late subscriber did not get ~/label_info");
        var info = RosMessage.Decode<LabelInfo>(li.Cdr);
        Assert.Equal(9, info.ClassMap.Count);
        Assert.Equal(("background", (ushort)0), (info.ClassMap[0].ClassName, info.ClassMap[0].ClassId));
        Assert.Equal(("foot", (ushort)8), (info.ClassMap[8].ClassName, info.ClassMap[8].ClassId));

        var photo = TestPeer.Photo("humans_0.jpg");
        var sw = TestPeer.Timer();
        Received? got = null;
        while (got is null && sw.Elapsed < Limit)
        {
            live.Publish(reliableCamera, photo, new Timestamp(7, 7));
            reliableLabels.TryTake(out got, TimeSpan.FromMilliseconds(1000));
        }

        Assert.NotNull(got);
        Assert.Equal((new Timestamp(7, 7), "cam"), LiveNode.HeaderOf(got.Cdr));
    }

    [SharedFact]
    public void GarbageAndBadFramesAreCountedAndTheNodeKeepsRunningAndPicksUpARestartedPublisher()
    {
        using var live = LiveNode.StartWithFastDiagnostics();
        var node = live.Node;
        var labels = live.Labels();
        var diagnostics = live.Diagnostics();
        var photo = TestPeer.Photo("humans_0.jpg");

        using (var first = new TestPeer(live.Domain))
        {
            var camera = LiveNode.MatchedCamera(first, Limit);
            Assert.True(LiveNode.ProducesLabels(first, camera, labels, photo, 1, Limit), "no output before the garbage");

            // Each bad message is sent (again, if best-effort delivery lost it) until the node has counted it.
            var rng = new Random(42);
            var bad = new List<Action>();
            for (var i = 0; i < 5; i++)
            {
                var junk = new byte[rng.Next(4, 4000)];
                rng.NextBytes(junk);
                junk[0] = 0;
                junk[1] = 1;
                bad.Add(() => camera.Write(junk));
            }

            // Well-formed messages the pipeline must refuse: unsupported encoding, data shorter than the size says.
            bad.Add(() => camera.Write(BadImages.Of("bad_encoding")));
            bad.Add(() => camera.Write(BadImages.Of("data_truncated")));
            long counted = 0;
            for (var k = 0; k < bad.Count; k++)
            {
                var sw = TestPeer.Timer();
                while (counted < k + 1 && sw.Elapsed < Limit)
                {
                    bad[k]();
                    var wait = TestPeer.Timer();
                    while (counted < k + 1 && wait.Elapsed < TimeSpan.FromSeconds(1.5) && diagnostics.TryTake(out var dm, TimeSpan.FromMilliseconds(600)))
                    {
                        counted = LiveNode.Value(dm, "bad_frames");
                    }
                }

                Assert.True(counted >= k + 1, $"bad message {k} was not counted ({counted}):\n{string.Join('\n', node.Log)}");
            }

            Assert.True(LiveNode.ProducesLabels(first, camera, labels, photo, 2, Limit), "no output after the garbage");
        }

        Assert.True(node.WaitForLog("UnsupportedEncoding", TimeSpan.FromSeconds(5)), "the unsupported encoding was not logged");
        Assert.True(node.WaitForLog("DataTooShort", TimeSpan.FromSeconds(5)), "the truncated image was not logged");
        Assert.True(node.WaitForLog("malformed", TimeSpan.FromSeconds(5)), "the garbage was not logged");

        // Rate limited per cause (one line per 5 s): five garbage messages over a few seconds give fewer lines.
        Assert.InRange(node.Log.Count(l => l.Contains("dropping a malformed", StringComparison.Ordinal)), 1, 2);

        // The camera process restarts: a new participant and writer on the same topic.
        using var second = new TestPeer(live.Domain);
        var camera2 = LiveNode.MatchedCamera(second, Limit);
        Assert.True(LiveNode.ProducesLabels(second, camera2, labels, photo, 3, Limit), "no output after the publisher restarted");
        Assert.False(node.HasExited);
    }

    [Fact]
    public void SigtermShutsTheNodeDownCleanly()
    {
        var domain = TestEnvironment.NewDomain();
        var node = NodeProcess.Start(domain, null);
        try
        {
            Assert.True(node.WaitForLog("not publishing ros_discovery_info", TimeSpan.FromSeconds(1)), "unknown distro not reported");
            var took = node.Terminate(TimeSpan.FromSeconds(5));
            Assert.NotNull(took);
            Assert.Equal(0, node.ExitCode);
            Assert.Contains(node.Log, l => l.Contains("shut down after", StringComparison.Ordinal));
            Assert.True(took < TimeSpan.FromSeconds(2), $"shutdown took {took}");
        }
        finally
        {
            node.Dispose();
        }
    }

    // Frames keep coming faster than inference, so the worker is inside the network when the signal arrives. The
    // node must finish that frame, delete its DDS entities (the camera's writer sees its reader go at once, not
    // after a lease expires) and exit 0, all within a second. A generated frame: the network takes as long on it
    // as on a photo, and every clone has it.
    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public void SignalDuringInferenceStopsTheNodeWithinOneSecond(int signal)
    {
        using var live = LiveNode.Start();
        var node = live.Node;
        var labels = live.Labels(TestPeer.ReliableReader);
        var camera = live.MatchedCamera(Limit);
        var frame = LiveNode.GeneratedFrame(640, 480);

        var sw = TestPeer.Timer();
        var outputs = 0;
        for (var k = 1; sw.Elapsed < Limit && outputs < 2; k++)
        {
            live.Publish(camera, frame, new Timestamp(k, 0));
            outputs += labels.TryTake(out _, TimeSpan.FromMilliseconds(20)) ? 1 : 0;
        }

        Assert.True(outputs >= 2, "the node produced no labels");
        for (var k = 0; k < 3; k++)
        {
            live.Publish(camera, frame, new Timestamp(1000 + k, 0));
            Thread.Sleep(20);
        }

        var took = node.Signal(signal, TimeSpan.FromSeconds(10));
        Assert.True(took is not null, "the node did not exit within 10 s");
        Assert.True(took < TimeSpan.FromSeconds(1), $"exit took {took!.Value.TotalMilliseconds:0} ms:\n{string.Join('\n', node.Log)}");
        Assert.Equal(0, node.ExitCode);
        Assert.Contains(node.Log, l => l.Contains("shut down after", StringComparison.Ordinal));
        Assert.True(TestEnvironment.WaitUntil(() => camera.MatchedReaders == 0, TimeSpan.FromSeconds(1)),
            "the node's image reader was still matched a second after it exited: its DDS entities were not deleted");
    }

    // Equal after the encapsulation header, whose options may carry the writer's padding count.
    private static bool SameMessage(ReadOnlySpan<byte> expected, byte[] actual) =>
        actual.Length == expected.Length && expected[..3].SequenceEqual(actual.AsSpan(0, 3)) && expected[4..].SequenceEqual(actual.AsSpan(4));
}

using System.Collections.Concurrent;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Dds;
using RosPartSeg.Inference;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Diagnostic;
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
    private const string ImageType = "sensor_msgs::msg::dds_::Image_";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [SharedFact]
    public void EveryOutputCarriesTheInputHeaderAndMatchesThePipelineRunDirectly()
    {
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.Start(domain, "humble");
        using var peer = new TestPeer(domain);
        var queues = peer.SubscribeOutputs();
        var diagnostics = peer.Subscribe("rt/diagnostics", "diagnostic_msgs::msg::dds_::DiagnosticArray_");
        var camera = peer.Camera640("rt/image");
        Assert.True(TestPeer.WaitMatched(camera, 1, Limit), "the node's input never matched a best-effort camera");

        var photo = TestPeer.Photo("humans_1.jpg");
        var got = new Received[queues.Length];

        // The node renders only outputs it has seen subscribers for, so repeat the frame until all five arrive.
        var stamp = new Timestamp(0, 0);
        var sw = TestPeer.Timer();
        for (var k = 1; sw.Elapsed < Limit && got.Any(g => g is null); k++)
        {
            Array.Clear(got);
            stamp = new Timestamp(1000 + k, 123_456_789);
            peer.PublishImage(camera, stamp, "camera_optical", photo.Width, photo.Height, "bgr8", photo.Pixels, photo.Width * 3);
            for (var i = 0; i < queues.Length; i++)
            {
                while (got[i] is null && queues[i].TryTake(out var r, TimeSpan.FromMilliseconds(i == 0 ? 1500 : 300)))
                {
                    if (HeaderOf(r.Cdr) == (stamp, "camera_optical"))
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
        ResultMessages.WriteDetections(w, stamp, "camera_optical", expected.Regions, expected.People, expected.ClassNames);
        Assert.True(SameMessage(w.WrittenSpan, got[3].Cdr), "Detection2DArray differs from the pipeline's regions");
        var d = RosMessage.Decode<Detection2DArray>(got[3].Cdr);
        Assert.Equal(expected.People.Length + expected.Regions.Length, d.Detections.Count);
        Assert.True(expected.People.Length > 0, "the photo of five adults should yield people");

        ResultMessages.WritePartRegionArray(w, stamp, "camera_optical", expected.InputWidth, expected.InputHeight, expected.People, expected.Regions, expected.ClassNames);
        Assert.True(SameMessage(w.WrittenSpan, got[4].Cdr), "PartRegionArray differs from the pipeline's regions");

        Assert.True(TestEnvironment.WaitUntil(() => diagnostics.TryTake(out var dm) && Processed(dm) > 0, TimeSpan.FromSeconds(5)),
            "no /diagnostics with processed frames");
    }

    [SharedFact]
    public void LateJoinerGetsLabelInfoAndAReliablePublisherAndSubscriberMatch()
    {
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.Start(domain, "humble");
        using var peer = new TestPeer(domain);
        var reliableCamera = peer.Participant.CreateWriter("rt/image", ImageType, new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile));
        var reliableLabels = peer.Subscribe("rt/part_segmenter/labels", ImageType, new DdsQos(DdsReliability.Reliable, 1, DdsDurability.Volatile));
        Assert.True(TestPeer.WaitMatched(reliableCamera, 1, Limit), "a reliable publisher did not match the best-effort input");

        // Joins well after the node published its label map: transient local durability delivers it.
        Thread.Sleep(500);
        var labelInfo = peer.Subscribe("rt/part_segmenter/label_info", "vision_msgs::msg::dds_::LabelInfo_",
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
            peer.PublishImage(reliableCamera, new Timestamp(7, 7), "cam", photo.Width, photo.Height, "bgr8", photo.Pixels, photo.Width * 3);
            reliableLabels.TryTake(out got, TimeSpan.FromMilliseconds(1000));
        }

        Assert.NotNull(got);
        Assert.Equal((new Timestamp(7, 7), "cam"), HeaderOf(got.Cdr));
    }

    [SharedFact]
    public void GarbageAndBadFramesAreCountedAndTheNodeKeepsRunningAndPicksUpARestartedPublisher()
    {
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.Start(domain, "humble", "--ros-args", "-p", "diagnostics_period:=0.5");
        using var peer = new TestPeer(domain);
        var labels = peer.Subscribe("rt/part_segmenter/labels", ImageType);
        var diagnostics = peer.Subscribe("rt/diagnostics", "diagnostic_msgs::msg::dds_::DiagnosticArray_");
        var photo = TestPeer.Photo("humans_0.jpg");

        using (var first = new TestPeer(domain))
        {
            var camera = first.Camera640("rt/image");
            Assert.True(TestPeer.WaitMatched(camera, 1, Limit));
            Assert.True(ProducesLabels(first, camera, labels, photo, 1), "no output before the garbage");

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
            bad.Add(() => first.PublishImage(camera, new Timestamp(2, 0), "cam", 4, 4, "16UC1", new byte[32], 8));
            bad.Add(() => first.PublishImage(camera, new Timestamp(3, 0), "cam", 64, 64, "rgb8", new byte[100], 192));
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
                        counted = Value(dm, "bad_frames");
                    }
                }

                Assert.True(counted >= k + 1, $"bad message {k} was not counted ({counted}):\n{string.Join('\n', node.Log)}");
            }

            Assert.True(ProducesLabels(first, camera, labels, photo, 2), "no output after the garbage");
        }

        Assert.True(node.WaitForLog("UnsupportedEncoding", TimeSpan.FromSeconds(5)), "the unsupported encoding was not logged");
        Assert.True(node.WaitForLog("DataTooShort", TimeSpan.FromSeconds(5)), "the truncated image was not logged");
        Assert.True(node.WaitForLog("malformed", TimeSpan.FromSeconds(5)), "the garbage was not logged");

        // Rate limited per cause (one line per 5 s): five garbage messages over a few seconds give fewer lines.
        Assert.InRange(node.Log.Count(l => l.Contains("dropping a malformed", StringComparison.Ordinal)), 1, 2);

        // The camera process restarts: a new participant and writer on the same topic.
        using var second = new TestPeer(domain);
        var camera2 = second.Camera640("rt/image");
        Assert.True(TestPeer.WaitMatched(camera2, 1, Limit));
        Assert.True(ProducesLabels(second, camera2, labels, photo, 3), "no output after the publisher restarted");
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
    // after a lease expires) and exit 0, all within a second.
    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public void SignalDuringInferenceStopsTheNodeWithinOneSecond(int signal)
    {
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.Start(domain, "humble");
        using var peer = new TestPeer(domain);
        var labels = peer.Subscribe("rt/part_segmenter/labels", "sensor_msgs::msg::dds_::Image_", TestPeer.ReliableReader);
        var camera = peer.Camera640("rt/image");
        Assert.True(TestPeer.WaitMatched(camera, 1, Limit), "the node's input never matched");
        var photo = TestPeer.Photo("humans_1.jpg");

        var sw = TestPeer.Timer();
        var outputs = 0;
        for (var k = 1; sw.Elapsed < Limit && outputs < 2; k++)
        {
            peer.PublishImage(camera, new Timestamp(k, 0), "cam", photo.Width, photo.Height, "bgr8", photo.Pixels, photo.Width * 3);
            outputs += labels.TryTake(out _, TimeSpan.FromMilliseconds(20)) ? 1 : 0;
        }

        Assert.True(outputs >= 2, "the node produced no labels");
        for (var k = 0; k < 3; k++)
        {
            peer.PublishImage(camera, new Timestamp(1000 + k, 0), "cam", photo.Width, photo.Height, "bgr8", photo.Pixels, photo.Width * 3);
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

    internal static bool ProducesLabels(TestPeer peer, DdsWriter camera, BlockingCollection<Received> labels, Imaging.DecodedImage photo, int sec)
    {
        var sw = TestPeer.Timer();
        while (sw.Elapsed < Limit)
        {
            peer.PublishImage(camera, new Timestamp(sec, 1), "cam", photo.Width, photo.Height, "bgr8", photo.Pixels, photo.Width * 3);
            var until = TestPeer.Timer();
            while (until.Elapsed < TimeSpan.FromSeconds(1) && labels.TryTake(out var r, TimeSpan.FromMilliseconds(200)))
            {
                if (HeaderOf(r.Cdr).Item1 == new Timestamp(sec, 1))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Equal after the encapsulation header, whose options may carry the writer's padding count.
    private static bool SameMessage(ReadOnlySpan<byte> expected, byte[] actual) =>
        actual.Length == expected.Length && expected[..3].SequenceEqual(actual.AsSpan(0, 3)) && expected[4..].SequenceEqual(actual.AsSpan(4));

    internal static (Timestamp, string) HeaderOf(byte[] cdr)
    {
        var reader = new CdrReader(cdr);
        var h = Messages.Std.Header.Read(ref reader);
        return (h.Stamp, h.FrameId);
    }

    internal static long Processed(Received r) => Value(r, "frames_processed");

    internal static long Value(Received r, string key)
    {
        var d = RosMessage.Decode<DiagnosticArray>(r.Cdr);
        var kv = d.Status[0].Values.FirstOrDefault(v => v.Key == key);
        return kv is null ? -1 : long.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}

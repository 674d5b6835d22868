using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>The depth input over the in-memory transport with the real model: pairing by stamp, refusals, 3D outputs.</summary>
[Collection(LiveCollection.Name)]
public sealed class DepthInputTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private static readonly CameraIntrinsics K = new(525, 525, 319.5, 239.5);
    private readonly InMemoryNode _host = new("diagnostics_period:=60", "depth_topic:=/camera/depth", "camera_info_topic:=/camera/info", "depth_slop:=0.01");
    private readonly Imaging.DecodedImage _photo = TestPeer.Photo("humans_1.jpg");

    public void Dispose() => _host.Dispose();

    private InMemoryTransport.Publisher Pub(string name) => _host.Publisher(name);

    private void SendDepthAndInfo(Timestamp stamp, int width, int height, float metres = 2.5f)
    {
        var w = new CdrWriter();
        DepthMessages.WriteCameraInfo(w, stamp, "cam", width, height, K);
        _host.Transport.Inputs["/camera/info"](w.WrittenSpan);
        DepthMessages.WriteDepth(w, stamp, "cam", width, height, Enumerable.Repeat((ushort)(metres * 1000), width * height).ToArray());
        _host.Transport.Inputs["/camera/depth"](w.WrittenSpan);
    }

    private byte[] Colour(Timestamp stamp)
    {
        var w = new CdrWriter(1 << 20);
        var frame = _photo.ToFrame(stamp, "cam");
        Image.Write(w, stamp, "cam", (uint)frame.Height, (uint)frame.Width, frame.Encoding.ToString().ToLowerInvariant(), (uint)frame.Step, frame.Data.Span);
        return w.ToArray();
    }

    [SharedFact]
    public void APairedFrameGets3DAndAnUnpairedOneStillPublishesTheRest()
    {
        Pub("detections_3d").SubscriberCount = 1;
        Pub("parts").SubscriberCount = 1;
        var (width, height) = (_photo.Width, _photo.Height);

        // Depth 5 ms after the colour stamp: within the 10 ms slop.
        SendDepthAndInfo(new Timestamp(10, 5_000_000), width, height);
        _host.Transport.Input!(Colour(new Timestamp(10, 0)));
        Assert.True(TestEnvironment.WaitUntil(() => Pub("detections_3d").Count == 1 && Pub("parts").Count == 1, Limit), _host.Log);
        var d3 = RosMessage.Decode<Detection3DArray>(Pub("detections_3d").Last!);
        Assert.Equal(new Timestamp(10, 0), d3.Header.Stamp);
        Assert.NotEmpty(d3.Detections);
        var person = d3.Detections[0];
        Assert.Equal("person", person.Results[0].Hypothesis.ClassId);
        Assert.Equal(2.5, person.BBox.Center.Position.Z, 3);
        var parts = RosMessage.Decode<PartRegionArrayMessage>(Pub("parts").Last!);
        Assert.True(parts.People[0].Place.HasPosition);
        Assert.Equal($"person{parts.People[0].TrackId}", person.Id);

        // A colour frame 50 ms from any depth: no 3D output, ~/parts without 3D, counted.
        _host.Transport.Input!(Colour(new Timestamp(10, 50_000_000)));
        Assert.True(TestEnvironment.WaitUntil(() => Pub("parts").Count == 2, Limit));
        Assert.Equal(1, Pub("detections_3d").Count);
        parts = RosMessage.Decode<PartRegionArrayMessage>(Pub("parts").Last!);
        Assert.All(parts.People, p => Assert.False(p.Place.HasPosition));
        Assert.Equal(1, _host.Node.FramesWithoutDepth);
        Assert.Equal(0, _host.Node.DepthRefused);
    }

    [SharedFact]
    public void ADepthImageOfAnotherSizeIsRefusedWithALogLineAndCounted()
    {
        Pub("detections_3d").SubscriberCount = 1;
        Pub("parts").SubscriberCount = 1;
        var (width, height) = (_photo.Width, _photo.Height);
        SendDepthAndInfo(new Timestamp(20, 0), width / 2, height / 2);
        _host.Transport.Input!(Colour(new Timestamp(20, 0)));
        Assert.True(TestEnvironment.WaitUntil(() => Pub("parts").Count == 1, Limit));
        Assert.Equal(0, Pub("detections_3d").Count);
        Assert.Equal(1, _host.Node.DepthRefused);
        Assert.Contains($"depth image of {width / 2}x{height / 2} on /camera/depth is not the colour frame's {width}x{height}", _host.Log, StringComparison.Ordinal);

        // The node goes on: the next frame with aligned depth is placed.
        SendDepthAndInfo(new Timestamp(21, 0), width, height);
        _host.Transport.Input!(Colour(new Timestamp(21, 0)));
        Assert.True(TestEnvironment.WaitUntil(() => Pub("detections_3d").Count == 1, Limit));
    }

    [SharedFact]
    public void WithoutDepthTopicThe3DOutputsAreNotAdvertised()
    {
        using var plain = new InMemoryNode("diagnostics_period:=60");
        Assert.False(plain.Transport.Publishers.ContainsKey("/part_segmenter/detections_3d"));
        Assert.False(plain.Transport.Publishers.ContainsKey("/part_segmenter/markers"));
        Assert.True(_host.Transport.Publishers.ContainsKey("/part_segmenter/markers"));
    }

    [SharedFact]
    public void WarmNodeWithDepthAllocatesNothing()
    {
        foreach (var name in FrameOutputs.All.Select(o => o.Name))
        {
            Pub(name).SubscriberCount = 1;
        }
        var (width, height) = (_photo.Width, _photo.Height);
        SendDepthAndInfo(new Timestamp(30, 0), width, height);
        var frame = Colour(new Timestamp(30, 0));
        Assert.Equal(0, _host.WarmAllocatedBytes(frame, Limit));
        Assert.True(Pub("markers").Count > 0 && Pub("detections_3d").Count > 0, "the 3D outputs were not published");
    }
}

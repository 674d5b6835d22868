using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Dds;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// The depth input over real Cyclone DDS (loopback): a peer publishes a colour Image, an aligned 16UC1 depth image
/// and a CameraInfo with the same stamp, as an RGB-D driver does; the node answers with ~/detections_3d and
/// ~/markers in the colour frame's header, the person at the depth it was given.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class NodeDepthTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    [SharedFact]
    public void ColourDepthAndCameraInfoGiveDetections3DAndMarkers()
    {
        using var live = LiveNode.Start("--ros-args", "-p", "depth_topic:=/camera/depth", "-p", "camera_info_topic:=/camera/color/camera_info");
        var detections = live.Peer.Subscribe("rt/part_segmenter/detections_3d", "vision_msgs::msg::dds_::Detection3DArray_");
        var markers = live.Peer.Subscribe("rt/part_segmenter/markers", "visualization_msgs::msg::dds_::MarkerArray_");
        var camera = live.MatchedCamera(Limit);
        var depth = live.Peer.Participant.CreateWriter("rt/camera/depth", LiveNode.ImageType, TestPeer.Camera);
        var info = live.Peer.Participant.CreateWriter("rt/camera/color/camera_info", "sensor_msgs::msg::dds_::CameraInfo_", TestPeer.Camera);
        Assert.True(TestPeer.WaitMatched(depth, 1, Limit) && TestPeer.WaitMatched(info, 1, Limit), "the node's depth inputs never matched");

        var photo = TestPeer.Photo("humans_1.jpg");
        var millimetres = Enumerable.Repeat((ushort)3000, photo.Width * photo.Height).ToArray();
        var w = new CdrWriter(1 << 20);
        Received? got3D = null, gotMarkers = null;
        var stamp = default(Timestamp);
        var sw = TestPeer.Timer();
        // Repeated until both arrive: the node computes an output only once it has matched a subscriber for it.
        for (var k = 1; sw.Elapsed < Limit && (got3D is null || gotMarkers is null); k++)
        {
            stamp = new Timestamp(2000 + k, 500);
            DepthMessages.WriteCameraInfo(w, stamp, "camera_optical", photo.Width, photo.Height, new CameraIntrinsics(525, 525, (photo.Width - 1) / 2.0, (photo.Height - 1) / 2.0));
            info.Write(w.WrittenSpan);
            DepthMessages.WriteDepth(w, stamp, "camera_optical", photo.Width, photo.Height, millimetres);
            depth.Write(w.WrittenSpan);
            Thread.Sleep(50); // depth first, as a driver that publishes both before the node looks
            live.Publish(camera, photo, stamp, "camera_optical");
            got3D = TakeStamped(detections, stamp) ?? got3D;
            gotMarkers = TakeStamped(markers, stamp, markersArray: true) ?? gotMarkers;
        }

        Assert.NotNull(got3D);
        Assert.NotNull(gotMarkers);
        var array = RosMessage.Decode<Detection3DArray>(got3D.Cdr);
        Assert.Equal("camera_optical", array.Header.FrameId);
        var person = array.Detections[0];
        Assert.Equal("person", person.Results[0].Hypothesis.ClassId);
        Assert.StartsWith("person", person.Id, StringComparison.Ordinal);
        Assert.Equal(3.0, person.BBox.Center.Position.Z, 3);
        Assert.All(array.Detections, d => Assert.Equal(3.0, d.BBox.Center.Position.Z, 3));
        Assert.False(live.Node.HasExited);
    }

    // The message of this stamp, waiting up to 2 s; older ones are skipped.
    private static Received? TakeStamped(System.Collections.Concurrent.BlockingCollection<Received> queue, Timestamp stamp, bool markersArray = false)
    {
        var sw = TestPeer.Timer();
        while (sw.Elapsed < TimeSpan.FromSeconds(2) && queue.TryTake(out var r, TimeSpan.FromMilliseconds(500)))
        {
            if (StampOf(r.Cdr, markersArray) == stamp)
            {
                return r;
            }
        }
        return null;
    }

    // Detection3DArray begins with the header; MarkerArray with the count, then the first marker's header.
    private static Timestamp StampOf(byte[] cdr, bool markersArray)
    {
        var reader = new CdrReader(cdr);
        if (markersArray)
        {
            _ = reader.ReadUInt32();
        }
        return new Timestamp(reader.ReadInt32(), reader.ReadUInt32());
    }
}

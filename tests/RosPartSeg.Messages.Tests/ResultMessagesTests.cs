using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Messages.Tests;

public sealed class ResultMessagesTests
{
    private static readonly string[] Classes = ["background", "head", "torso", "left_hand", "right_hand"];
    private static readonly Timestamp Stamp = new(100, 200);

    private static readonly PersonRegion[] People =
    [
        new(0, new PixelBox(10, 20, 100, 200), 5000, 60f, 120f, 0.9f),
        new(1, new PixelBox(300, 40, 50, 100), 1200, 325f, 90f, 0.7f),
    ];

    private static readonly PartRegion[] Regions =
    [
        new(3, 0, new PixelBox(12, 100, 10, 12), 90, 17f, 106f, 0.8f),
        new(1, 0, new PixelBox(40, 20, 30, 30), 700, 55f, 35f, 0.95f),
        new(3, 0, new PixelBox(90, 110, 8, 8), 40, 94f, 114f, 0.6f),
        new(4, 1, new PixelBox(340, 90, 6, 6), 30, 343f, 93f, 0.5f),
    ];

    [Fact]
    public void DetectionsCarryPeopleThenPartsWithReadableIds()
    {
        var w = new CdrWriter();
        ResultMessages.WriteDetections(w, Stamp, "cam", Regions, People, Classes);
        var msg = RosMessage.Decode<Detection2DArray>(w.WrittenMemory);
        Assert.Equal(new Std.Header(Stamp, "cam"), msg.Header);
        Assert.Equal(["person0", "person1", "person0/left_hand/0", "person0/head/0", "person0/left_hand/1", "person1/right_hand/0"],
            msg.Detections.Select(d => d.Id).ToArray());
        Assert.All(msg.Detections, d => Assert.Equal(msg.Header, d.Header));
        var hand = msg.Detections[2];
        var hyp = Assert.Single(hand.Results);
        Assert.Equal("left_hand", hyp.Hypothesis.ClassId);
        Assert.Equal(0.8f, (float)hyp.Hypothesis.Score);
        Assert.Equal(17.0, hyp.Pose.Pose.Position.X);
        Assert.Equal(106.0, hyp.Pose.Pose.Position.Y);
        Assert.Equal(1.0, hyp.Pose.Pose.Orientation.W);
        Assert.Equal(new BoundingBox2D(new Pose2D(new Point2D(16.5, 105.5), 0), 10, 12), hand.BBox);
        Assert.Equal("person", msg.Detections[0].Results[0].Hypothesis.ClassId);
        Assert.Equal(new BoundingBox2D(new Pose2D(new Point2D(59.5, 119.5), 0), 100, 200), msg.Detections[0].BBox);
    }

    [Fact]
    public void A_symmetric_regions_pose_and_box_centre_are_the_same_point()
    {
        // A filled 10x12 rectangle at (12, 100): its centroid, the mean pixel index, is (16.5, 105.5), and so must be
        // its box centre (both in pixel-index coordinates, not half a pixel apart).
        PartRegion[] rectangle = [new(3, 0, new PixelBox(12, 100, 10, 12), 120, 16.5f, 105.5f, 0.8f)];
        var w = new CdrWriter();
        ResultMessages.WriteDetections(w, Stamp, "cam", rectangle, [], Classes);
        var d = Assert.Single(RosMessage.Decode<Detection2DArray>(w.WrittenMemory).Detections);
        var pose = d.Results[0].Pose.Pose.Position;
        Assert.Equal((pose.X, pose.Y), (d.BBox.Center.Position.X, d.BBox.Center.Position.Y));
        Assert.Equal((10.0, 12.0), (d.BBox.SizeX, d.BBox.SizeY));
    }

    [Fact]
    public void DetectionsCanLeaveOutPeople()
    {
        var w = new CdrWriter();
        ResultMessages.WriteDetections(w, Stamp, "cam", Regions, People, Classes, includePeople: false);
        Assert.Equal(4, RosMessage.Decode<Detection2DArray>(w.WrittenMemory).Detections.Count);
    }

    [Fact]
    public void PartRegionArrayCarriesEverything()
    {
        var w = new CdrWriter();
        ResultMessages.WritePartRegionArray(w, Stamp, "cam", 640, 480, People, Regions, Classes);
        var msg = RosMessage.Decode<PartRegionArrayMessage>(w.WrittenMemory);
        Assert.Equal(new Std.Header(Stamp, "cam"), msg.Header);
        Assert.Equal(640u, msg.ImageWidth);
        Assert.Equal(480u, msg.ImageHeight);
        Assert.Equal(2, msg.People.Count);
        Assert.Equal(new RegionOfInterest(300, 40, 100, 50), msg.People[1].Box);
        Assert.Equal(1200u, msg.People[1].PixelCount);
        Assert.Equal(4, msg.Regions.Count);
        var r = msg.Regions[3];
        Assert.Equal((ushort)4, r.ClassId);
        Assert.Equal("right_hand", r.ClassName);
        Assert.Equal((ushort)1, r.PersonId);
        Assert.Equal(new RegionOfInterest(340, 90, 6, 6), r.Box);
        Assert.Equal(30u, r.PixelCount);
        Assert.Equal(343f, r.CentroidX);
        Assert.Equal(93f, r.CentroidY);
        Assert.Equal(0.5f, r.Score);
        // The question the message is shaped for: where are the hands of the nearest (largest) person?
        var nearest = msg.People.MaxBy(p => p.PixelCount)!;
        var hands = msg.Regions.Where(x => x.PersonId == nearest.PersonId && x.ClassName.EndsWith("hand", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, hands.Length);
    }

    [Fact]
    public void LabelInfoWriterMatchesTheRecord()
    {
        var w = new CdrWriter();
        ResultMessages.WriteLabelInfo(w, Stamp, "cam", Classes, 0.25f);
        var expected = RosMessage.EncodeToArray(LabelInfo.FromClassNames(new Std.Header(Stamp, "cam"), Classes, 0.25f));
        Assert.Equal(expected, w.ToArray());
    }

    [Fact]
    public void ClassIdWithoutANameIsRefused()
    {
        PartRegion[] bad = [new(9, 0, new PixelBox(0, 0, 1, 1), 1, 0, 0, 1)];
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultMessages.WriteDetections(new CdrWriter(), Stamp, "cam", bad, [], Classes));
    }

    [Fact]
    public void ResultWritersAllocateNothingOnceWarm()
    {
        var w = new CdrWriter();
        void Once()
        {
            ResultMessages.WriteDetections(w, Stamp, "cam", Regions, People, Classes);
            ResultMessages.WritePartRegionArray(w, Stamp, "cam", 640, 480, People, Regions, Classes);
            ResultMessages.WriteLabelInfo(w, Stamp, "cam", Classes);
        }
        Once();
        Assert.Equal(0, ThreadAllocations.Least(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                Once();
            }
        }));
    }
}

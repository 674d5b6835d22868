using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Builtin;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Diagnostic;
using RosPartSeg.Messages.Geometry;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Rcl;
using RosPartSeg.Messages.Rmw;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Messages.Tests;

public sealed class RoundTripTests
{
    private static readonly Header SampleHeader = new(new Timestamp(1_700_000_000, 123_456_789), "camera_optical_frame");

    [Fact]
    public void Time() => Assert.Equal(new Time(-5, 999_999_999), TestSupport.RoundTrip(new Time(-5, 999_999_999)));

    [Fact]
    public void Header() => Assert.Equal(SampleHeader, TestSupport.RoundTrip(SampleHeader));

    [Fact]
    public void HeaderWithNonAsciiFrameId() => Assert.Equal("kamera_ä_日本", TestSupport.RoundTrip(new Header(default, "kamera_ä_日本")).FrameId);

    [Fact]
    public void StdString() => Assert.Equal("Hello, world! 0", TestSupport.RoundTrip(new StdString("Hello, world! 0")).Data);

    [Fact]
    public void Image()
    {
        var pixels = Enumerable.Range(0, 4 * 3 * 3).Select(i => (byte)i).ToArray();
        var decoded = TestSupport.RoundTrip(new Image
        {
            Header = SampleHeader, Height = 3, Width = 4, Encoding = "rgb8", IsBigEndian = 1, Step = 12, Data = pixels,
        });
        Assert.Equal(pixels, decoded.Data.ToArray());
        Assert.Equal(1, decoded.IsBigEndian);
    }

    [Fact]
    public void CompressedImage()
    {
        var decoded = TestSupport.RoundTrip(new CompressedImage { Header = SampleHeader, Format = "jpeg", Data = new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 } });
        Assert.Equal("jpeg", decoded.Format);
    }

    [Fact]
    public void RegionOfInterest()
        => Assert.Equal(new RegionOfInterest(1, 2, 3, 4, true), TestSupport.RoundTrip(new RegionOfInterest(1, 2, 3, 4, true)));

    [Fact]
    public void GeometryTypes()
    {
        TestSupport.RoundTrip(new Point(1.5, -2.5, 3.25));
        TestSupport.RoundTrip(new Quaternion(0.1, 0.2, 0.3, 0.9));
        TestSupport.RoundTrip(new Pose(new Point(1, 2, 3), Quaternion.Identity));
        var pwc = TestSupport.RoundTrip(new PoseWithCovariance
        {
            Pose = new Pose(new Point(1, 2, 3), Quaternion.Identity),
            Covariance = Enumerable.Range(0, 36).Select(i => i * 0.5).ToArray(),
        });
        Assert.Equal(17.5, pwc.Covariance[35]);
    }

    [Fact]
    public void VisionTypes()
    {
        TestSupport.RoundTrip(new Point2D(3, 4));
        TestSupport.RoundTrip(new Pose2D(new Point2D(3, 4), 0.25));
        TestSupport.RoundTrip(new BoundingBox2D(new Pose2D(new Point2D(3, 4), 0.25), 10, 20));
        TestSupport.RoundTrip(new ObjectHypothesis("left_hand", 0.875));
        TestSupport.RoundTrip(new ObjectHypothesisWithPose { Hypothesis = new ObjectHypothesis("torso", 0.5) });
        TestSupport.RoundTrip(new VisionClass(7, "right_foot"));
        var detection = new Detection2D
        {
            Header = SampleHeader,
            Results = [new ObjectHypothesisWithPose { Hypothesis = new ObjectHypothesis("head", 0.9) }, new ObjectHypothesisWithPose()],
            BBox = BoundingBox2D.FromPixels(10, 20, 30, 40),
            Id = "person0/head/0",
        };
        TestSupport.RoundTrip(detection);
        var array = TestSupport.RoundTrip(new Detection2DArray { Header = SampleHeader, Detections = [detection, detection with { Id = "x" }] });
        Assert.Equal(2, array.Detections.Count);
        var info = TestSupport.RoundTrip(LabelInfo.FromClassNames(SampleHeader, ["background", "head", "torso"], 0.5f));
        Assert.Equal("torso", info.ClassMap[2].ClassName);
        Assert.Equal(0.5f, info.Threshold);
    }

    [Fact]
    public void DiagnosticTypes()
    {
        TestSupport.RoundTrip(new KeyValue("rate_hz", "29.97"));
        var status = new DiagnosticStatus
        {
            Level = DiagnosticLevel.Warn, Name = "part_segmenter: pipeline", Message = "dropping frames", HardwareId = "cpu",
            Values = [new KeyValue("rate_hz", "29.97"), new KeyValue("dropped", "3")],
        };
        TestSupport.RoundTrip(status);
        var array = TestSupport.RoundTrip(new DiagnosticArray { Header = SampleHeader, Status = [status, status with { Level = DiagnosticLevel.Ok }] });
        Assert.Equal(DiagnosticLevel.Warn, array.Status[0].Level);
    }

    [Fact]
    public void Log()
    {
        var log = TestSupport.RoundTrip(new Log
        {
            Stamp = new Timestamp(3, 4), Level = Rcl.Log.Info, Name = "node", Msg = "hello", File = "a.cs", Function = "Main", Line = 42,
        });
        Assert.Equal(42u, log.Line);
    }

    [Fact]
    public void ProjectTypes()
    {
        var person = new PersonMessage { PersonId = 1, Box = new RegionOfInterest(1, 2, 30, 40), PixelCount = 900, CentroidX = 12.5f, CentroidY = 20, Score = 0.8f };
        var region = new PartRegionMessage
        {
            ClassId = 5, ClassName = "left_hand", PersonId = 1, Box = new RegionOfInterest(3, 4, 5, 6), PixelCount = 25, CentroidX = 5.5f, CentroidY = 6.5f, Score = 0.7f,
        };
        TestSupport.RoundTrip(person);
        TestSupport.RoundTrip(region);
        var array = TestSupport.RoundTrip(new PartRegionArrayMessage
        {
            Header = SampleHeader, ImageWidth = 640, ImageHeight = 480, People = [person], Regions = [region, region with { ClassName = "right_hand" }],
        });
        Assert.Equal("right_hand", array.Regions[1].ClassName);
    }

    [Theory]
    [InlineData(GidLayout.Humble24, 24)]
    [InlineData(GidLayout.Jazzy16, 16)]
    public void ParticipantEntitiesInfoInBothGidLayouts(GidLayout layout, int gidBytes)
    {
        var guid = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var info = new ParticipantEntitiesInfo
        {
            Gid = Gid.FromGuid(guid),
            Nodes =
            [
                new NodeEntitiesInfo
                {
                    NodeNamespace = "/", NodeName = "part_segmenter",
                    ReaderGids = [Gid.FromGuid(guid.Reverse().ToArray())],
                    WriterGids = [Gid.FromGuid(guid), Gid.FromGuid(new byte[16])],
                },
            ],
        };
        var w = new CdrWriter();
        info.Encode(w, layout);
        var bytes = w.ToArray();
        // gid, then the node count straight after it (both layouts keep 4-byte alignment).
        Assert.Equal(guid, bytes[4..20]);
        if (gidBytes == 24)
        {
            Assert.Equal(new byte[8], bytes[20..28]);
        }
        Assert.Equal(1, BitConverter.ToInt32(bytes, 4 + gidBytes));
        var decoded = ParticipantEntitiesInfo.Decode(bytes, layout);
        Assert.Equal(TestSupport.Deep(info), TestSupport.Deep(decoded));
        // The other layout reads a different message: either fails clearly or differs.
        var other = layout == GidLayout.Humble24 ? GidLayout.Jazzy16 : GidLayout.Humble24;
        try
        {
            Assert.NotEqual(TestSupport.Deep(info), TestSupport.Deep(ParticipantEntitiesInfo.Decode(bytes, other)));
        }
        catch (CdrException)
        {
        }
    }

    [Fact]
    public void NodeNamesAboveTheirBoundAreRefused()
    {
        var info = new ParticipantEntitiesInfo { Nodes = [new NodeEntitiesInfo { NodeName = new string('n', 257) }] };
        Assert.Throws<ArgumentException>(() => info.Encode(new CdrWriter(), GidLayout.Humble24));
    }
}

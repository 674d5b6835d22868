using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Geometry;
using RosPartSeg.Messages.Std;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Messages.Tests;

/// <summary>
/// Expected bytes written out by hand from the XCDR1 rules (little-endian, 4-byte encapsulation header, each
/// primitive aligned to its size counted after the header, strings as length-with-NUL + bytes + NUL,
/// sequences as uint32 count + elements). Offsets in comments are counted after the header.
/// </summary>
public sealed class HandDerivedBytesTests
{
    private static readonly byte[] HeaderBytes =
    [
        0x00, 0x01, 0x00, 0x00,             // encapsulation: CDR_LE, options 0
        0x01, 0x00, 0x00, 0x00,             // 0: stamp.sec = 1
        0x02, 0x00, 0x00, 0x00,             // 4: stamp.nanosec = 2
        0x04, 0x00, 0x00, 0x00,             // 8: frame_id length 4 ("cam" + NUL)
        (byte)'c', (byte)'a', (byte)'m', 0, // 12: "cam\0"
    ];

    private static readonly byte[] ImageBytes =
    [
        0x00, 0x01, 0x00, 0x00,                   // encapsulation
        0x05, 0x00, 0x00, 0x00,                   // 0: stamp.sec = 5
        0x06, 0x00, 0x00, 0x00,                   // 4: stamp.nanosec = 6
        0x02, 0x00, 0x00, 0x00,                   // 8: frame_id length 2
        (byte)'f', 0x00,                          // 12: "f\0"
        0x00, 0x00,                               // 14: padding to 4
        0x02, 0x00, 0x00, 0x00,                   // 16: height = 2
        0x03, 0x00, 0x00, 0x00,                   // 20: width = 3
        0x06, 0x00, 0x00, 0x00,                   // 24: encoding length 6
        (byte)'m', (byte)'o', (byte)'n', (byte)'o', (byte)'8', 0x00, // 28: "mono8\0"
        0x00,                                     // 34: is_bigendian = 0
        0x00,                                     // 35: padding to 4
        0x03, 0x00, 0x00, 0x00,                   // 36: step = 3
        0x06, 0x00, 0x00, 0x00,                   // 40: data count 6
        10, 11, 12, 13, 14, 15,                   // 44: pixels
    ];

    [Fact]
    public void HeaderEncodesToHandDerivedBytes()
    {
        var bytes = RosMessage.EncodeToArray(new Header(new Timestamp(1, 2), "cam"));
        Assert.Equal(HeaderBytes, bytes);
    }

    [Fact]
    public void HeaderDecodesFromHandDerivedBytes()
    {
        var header = RosMessage.Decode<Header>(HeaderBytes.AsMemory());
        Assert.Equal(new Timestamp(1, 2), header.Stamp);
        Assert.Equal("cam", header.FrameId);
    }

    [Fact]
    public void ImageEncodesToHandDerivedBytes()
    {
        var image = new Image
        {
            Header = new Header(new Timestamp(5, 6), "f"),
            Height = 2,
            Width = 3,
            Encoding = "mono8",
            Step = 3,
            Data = new byte[] { 10, 11, 12, 13, 14, 15 },
        };
        Assert.Equal(ImageBytes, RosMessage.EncodeToArray(image));
    }

    [Fact]
    public void ImageHelperWritesTheSameHandDerivedBytes()
    {
        var writer = new CdrWriter(8);
        ImageMessages.WriteLabels(writer, new Timestamp(5, 6), "f", 3, 2, [10, 11, 12, 13, 14, 15]);
        Assert.Equal(ImageBytes, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void ImageDecodesFromHandDerivedBytes()
    {
        var image = RosMessage.Decode<Image>(ImageBytes.AsMemory());
        Assert.Equal(new Timestamp(5, 6), image.Header.Stamp);
        Assert.Equal("f", image.Header.FrameId);
        Assert.Equal(2u, image.Height);
        Assert.Equal(3u, image.Width);
        Assert.Equal("mono8", image.Encoding);
        Assert.Equal(0, image.IsBigEndian);
        Assert.Equal(3u, image.Step);
        Assert.Equal(new byte[] { 10, 11, 12, 13, 14, 15 }, image.Data.ToArray());
    }

    // Detection2DArray with one detection holding one hypothesis. IEEE 754 doubles little-endian:
    // 0.5 = 3FE0000000000000, 1.0 = 3FF0..., 2.0 = 4000..., 4.0 = 4010..., 6.0 = 4018..., 10.0 = 4024..., 20.0 = 4034...
    private static byte[] Detection2DArrayBytes()
    {
        var b = new List<byte>();
        void Add(params byte[] bytes) => b.AddRange(bytes);
        void Zeros(int n) => b.AddRange(new byte[n]);
        Add(0x00, 0x01, 0x00, 0x00);                // encapsulation
        Add(0x01, 0, 0, 0);                         // 0: header.stamp.sec = 1
        Add(0x02, 0, 0, 0);                         // 4: header.stamp.nanosec = 2
        Add(0x02, 0, 0, 0, (byte)'c', 0);           // 8: frame_id "c"
        Zeros(2);                                   // 14: pad to 16
        Add(0x01, 0, 0, 0);                         // 16: detections count 1
        Add(0x03, 0, 0, 0);                         // 20: detection header.stamp.sec = 3
        Add(0x04, 0, 0, 0);                         // 24: nanosec = 4
        Add(0x01, 0, 0, 0, 0);                      // 28: frame_id "" (length 1, just the NUL)
        Zeros(3);                                   // 33: pad to 36
        Add(0x01, 0, 0, 0);                         // 36: results count 1
        Add(0x02, 0, 0, 0, (byte)'h', 0);           // 40: hypothesis.class_id "h"
        Zeros(2);                                   // 46: pad to 48 (8-byte alignment for float64)
        Add(0, 0, 0, 0, 0, 0, 0xE0, 0x3F);          // 48: score 0.5
        Add(0, 0, 0, 0, 0, 0, 0xF0, 0x3F);          // 56: pose.position.x 1.0
        Add(0, 0, 0, 0, 0, 0, 0x00, 0x40);          // 64: pose.position.y 2.0
        Zeros(8);                                   // 72: pose.position.z 0
        Zeros(24);                                  // 80: orientation x, y, z 0
        Add(0, 0, 0, 0, 0, 0, 0xF0, 0x3F);          // 104: orientation.w 1.0
        Zeros(36 * 8);                              // 112: covariance[36] all 0, ends at 400
        Add(0, 0, 0, 0, 0, 0, 0x24, 0x40);          // 400: bbox.center.position.x 10.0
        Add(0, 0, 0, 0, 0, 0, 0x34, 0x40);          // 408: bbox.center.position.y 20.0
        Zeros(8);                                   // 416: bbox.center.theta 0
        Add(0, 0, 0, 0, 0, 0, 0x10, 0x40);          // 424: size_x 4.0
        Add(0, 0, 0, 0, 0, 0, 0x18, 0x40);          // 432: size_y 6.0
        Add(0x02, 0, 0, 0, (byte)'p', 0);           // 440: id "p", ends at 446
        return [.. b];
    }

    private static Detection2DArray SampleDetections() => new()
    {
        Header = new Header(new Timestamp(1, 2), "c"),
        Detections =
        [
            new Detection2D
            {
                Header = new Header(new Timestamp(3, 4), ""),
                Results =
                [
                    new ObjectHypothesisWithPose
                    {
                        Hypothesis = new ObjectHypothesis("h", 0.5),
                        Pose = new PoseWithCovariance { Pose = new Pose(new Point(1, 2, 0), Quaternion.Identity) },
                    },
                ],
                BBox = new BoundingBox2D(new Pose2D(new Point2D(10, 20), 0), 4, 6),
                Id = "p",
            },
        ],
    };

    [Fact]
    public void Detection2DArrayEncodesToHandDerivedBytes()
    {
        var expected = Detection2DArrayBytes();
        Assert.Equal(450, expected.Length);
        Assert.Equal(expected, RosMessage.EncodeToArray(SampleDetections()));
    }

    [Fact]
    public void Detection2DArrayDecodesFromHandDerivedBytes()
    {
        var decoded = RosMessage.Decode<Detection2DArray>(Detection2DArrayBytes().AsMemory());
        Assert.Equal(TestSupport.Deep(SampleDetections()), TestSupport.Deep(decoded));
        var d = Assert.Single(decoded.Detections);
        Assert.Equal("p", d.Id);
        Assert.Equal(0.5, Assert.Single(d.Results).Hypothesis.Score);
        Assert.Equal(new BoundingBox2D(new Pose2D(new Point2D(10, 20), 0), 4, 6), d.BBox);
    }
}

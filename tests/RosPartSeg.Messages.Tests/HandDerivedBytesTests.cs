using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;

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
}

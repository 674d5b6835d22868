using RosPartSeg.Core.Frames;

namespace RosPartSeg.Core.Tests;

public class FrameTests
{
    [Theory]
    [InlineData("rgb8", PixelEncoding.Rgb8)]
    [InlineData("bgr8", PixelEncoding.Bgr8)]
    [InlineData("rgba8", PixelEncoding.Rgba8)]
    [InlineData("bgra8", PixelEncoding.Bgra8)]
    [InlineData("mono8", PixelEncoding.Mono8)]
    [InlineData("yuv422", PixelEncoding.Uyvy)]
    [InlineData("yuv422_yuy2", PixelEncoding.Yuyv)]
    public void ParsesRosEncodingNamesAndRoundTrips(string name, PixelEncoding expected)
    {
        Assert.Equal(expected, PixelEncodings.Parse(name));
        Assert.Equal(name, expected.RosName());
    }

    [Theory]
    [InlineData("16UC1")]
    [InlineData("32FC1")]
    [InlineData("bayer_rggb8")]
    [InlineData("")]
    [InlineData(null)]
    public void RefusesUnsupportedEncodingsByName(string? name)
    {
        var e = Assert.Throws<FrameException>(() => PixelEncodings.Parse(name));
        Assert.Equal(FrameError.UnsupportedEncoding, e.Error);
        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("rgb8", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10, PixelEncoding.Rgb8, 30, 300, FrameError.InvalidDimensions, "invalid size 0x10")]
    [InlineData(10, -1, PixelEncoding.Rgb8, 30, 300, FrameError.InvalidDimensions, "invalid size 10x-1")]
    [InlineData(8193, 2, PixelEncoding.Mono8, 8193, 16386, FrameError.TooLarge, "at most 8192")]
    [InlineData(4, 9000, PixelEncoding.Mono8, 4, 36000, FrameError.TooLarge, "too large")]
    [InlineData(10, 2, PixelEncoding.Rgb8, 29, 100, FrameError.StepTooSmall, "step 29 is smaller than one row of 10 rgb8 pixels (30 bytes)")]
    [InlineData(10, 2, PixelEncoding.Bgra8, 40, 79, FrameError.DataTooShort, "79 bytes, but step 40 x height 2 needs 80")]
    [InlineData(3, 2, PixelEncoding.Uyvy, 6, 12, FrameError.OddWidthForYuv, "odd")]
    public void RefusesBadGeometryWithSpecificErrors(int w, int h, PixelEncoding enc, int step, int length, FrameError error, string text)
    {
        var frame = new ImageFrame(w, h, enc, step, new byte[length]);
        var e = Assert.Throws<FrameException>(frame.Validate);
        Assert.Equal(error, e.Error);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsStepLargerThanRowAndBufferLongerThanNeeded()
    {
        var frame = new ImageFrame(10, 2, PixelEncoding.Rgb8, 64, new byte[200]);
        Assert.True(frame.TryValidate(out _, out var message));
        Assert.Null(message);
    }

    [Fact]
    public void FrameAliasesTheCallersBuffer()
    {
        var data = new byte[12];
        var frame = ImageFrame.Packed(2, 2, PixelEncoding.Rgb8, data);
        data[5] = 99;
        Assert.Equal(99, frame.Data.Span[5]);
        Assert.Equal(6, frame.Step);
    }

    [Theory]
    [InlineData(-1L, -1, 999_999_999u)]
    [InlineData(1_500_000_000L, 1, 500_000_000u)]
    [InlineData(0L, 0, 0u)]
    public void TimestampFromNanosecondsKeepsNanosecondsInRange(long ns, int sec, uint nsec)
    {
        var t = Timestamp.FromNanoseconds(ns);
        Assert.Equal(new Timestamp(sec, nsec), t);
        Assert.Equal(ns, t.TotalNanoseconds);
    }
}

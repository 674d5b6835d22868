using System.Runtime.InteropServices;
using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Messages.Tests;

public sealed class ImageFrameTests
{
    private static byte[] Encode(int width, int height, PixelEncoding encoding, string frameId = "cam", Timestamp stamp = default)
    {
        var pixels = new byte[width * height * encoding.BytesPerPixel()];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i * 7);
        }
        var w = new CdrWriter();
        ImageMessages.WriteImage(w, stamp, frameId, width, height, encoding, pixels);
        return w.ToArray();
    }

    [Fact]
    public void DecodedFrameAliasesTheMessageBuffer()
    {
        var message = Encode(4, 2, PixelEncoding.Rgb8, "cam", new Timestamp(7, 8));
        var frame = ImageMessages.DecodeFrame(message);
        Assert.True(MemoryMarshal.TryGetArray(frame.Data, out var segment));
        Assert.Same(message, segment.Array);
        Assert.Equal(message.Length - 24, segment.Offset); // the pixels are the message's last 24 bytes
        Assert.Equal(24, segment.Count);
        // A change to the message shows through the frame: nothing was copied.
        message[^1] ^= 0xFF;
        Assert.Equal(message[^1], frame.Data.Span[^1]);
        Assert.Equal(4, frame.Width);
        Assert.Equal(2, frame.Height);
        Assert.Equal(12, frame.Step);
        Assert.Equal(PixelEncoding.Rgb8, frame.Encoding);
        Assert.Equal(new Timestamp(7, 8), frame.Stamp);
        Assert.Equal("cam", frame.FrameId);
    }

    [Fact]
    public void ImageRecordToFrameAliasesToo()
    {
        var message = Encode(2, 2, PixelEncoding.Mono8);
        var image = RosMessage.Decode<Image>(message.AsMemory());
        var frame = image.ToFrame();
        Assert.True(MemoryMarshal.TryGetArray(frame.Data, out var segment));
        Assert.Same(message, segment.Array);
    }

    [Theory]
    [InlineData("yuv422", PixelEncoding.Uyvy)]
    [InlineData("yuv422_yuy2", PixelEncoding.Yuyv)]
    [InlineData("bgra8", PixelEncoding.Bgra8)]
    [InlineData("8UC1", PixelEncoding.Mono8)]
    public void EncodingsAreParsedFromBytes(string name, PixelEncoding expected)
    {
        var bpp = expected.BytesPerPixel();
        var w = new CdrWriter();
        Image.Write(w, default, "f", 2, 2, name, (uint)(2 * bpp), new byte[4 * bpp]);
        Assert.Equal(expected, ImageMessages.DecodeFrame(w.ToArray()).Encoding);
    }

    [Fact]
    public void UnsupportedEncodingIsAFrameError()
    {
        var w = new CdrWriter();
        Image.Write(w, default, "f", 2, 2, "16UC1", 4, new byte[8]);
        var e = Assert.Throws<FrameException>(() => ImageMessages.DecodeFrame(w.ToArray()));
        Assert.Equal(FrameError.UnsupportedEncoding, e.Error);
        Assert.Contains("16UC1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataShorterThanStepTimesHeightIsAFrameError()
    {
        var w = new CdrWriter();
        Image.Write(w, default, "f", 2, 3, "mono8", 2, new byte[6]); // width 3 needs step 3
        Assert.Equal(FrameError.StepTooSmall, Assert.Throws<FrameException>(() => ImageMessages.DecodeFrame(w.ToArray())).Error);
        w.Reset();
        Image.Write(w, default, "f", 3, 2, "mono8", 2, new byte[5]); // height 3 x step 2 = 6 needed
        Assert.Equal(FrameError.DataTooShort, Assert.Throws<FrameException>(() => ImageMessages.DecodeFrame(w.ToArray())).Error);
    }

    [Fact]
    public void HugeDimensionsAreAFrameErrorNotAnOverflow()
    {
        var w = new CdrWriter();
        Image.Write(w, default, "f", uint.MaxValue, uint.MaxValue, "mono8", uint.MaxValue, new byte[4]);
        Assert.Equal(FrameError.TooLarge, Assert.Throws<FrameException>(() => ImageMessages.DecodeFrame(w.ToArray())).Error);
    }

    [Fact]
    public void WriteImageRefusesPixelsOfTheWrongSize()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageMessages.WriteRgb8(new CdrWriter(), default, "f", 4, 4, new byte[47]));
        Assert.Contains("48 expected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeFrameAndWriteImageAllocateNothingOnceWarm()
    {
        var message = Encode(64, 48, PixelEncoding.Bgr8, "camera_optical_frame");
        var labels = new byte[64 * 48];
        var rgb = new byte[64 * 48 * 3];
        var cache = new Utf8StringCache();
        var writer = new CdrWriter();
        void Once()
        {
            var frame = ImageMessages.DecodeFrame(message, cache);
            ImageMessages.WriteLabels(writer, frame.Stamp, frame.FrameId, frame.Width, frame.Height, labels);
            ImageMessages.WriteRgb8(writer, frame.Stamp, frame.FrameId, frame.Width, frame.Height, rgb);
        }
        Once();
        Once();
        Assert.Equal(0, ThreadAllocations.Least(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                Once();
            }
        }));
        // The cached frame id is the same instance every time.
        Assert.Same(ImageMessages.DecodeFrame(message, cache).FrameId, ImageMessages.DecodeFrame(message, cache).FrameId);
    }
}

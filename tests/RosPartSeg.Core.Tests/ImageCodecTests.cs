using OpenCvSharp;
using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;

namespace RosPartSeg.Core.Tests;

public class ImageCodecTests
{
    /// <summary>A 64x48 rgb8 picture: left half red, right half blue, encoded as JPEG.</summary>
    internal static byte[] TwoColourJpeg()
    {
        var rgb = new byte[64 * 48 * 3];
        for (int i = 0; i < 64 * 48; i++)
        {
            rgb[(i * 3) + (i % 64 < 32 ? 0 : 2)] = 255;
        }
        return ImageCodec.EncodeJpeg(rgb, 64, 48, 3, quality: 95);
    }

    [Fact]
    public void DecodesAJpegToPackedBgr()
    {
        Assert.True(ImageCodec.IsAvailable, ImageCodec.UnavailableReason);
        var img = ImageCodec.Decode(TwoColourJpeg());
        Assert.Equal((64, 48, 3), (img.Width, img.Height, img.Channels));
        Assert.Equal(64 * 48 * 3, img.Pixels.Length);
        Assert.Equal(Core.Frames.PixelEncoding.Bgr8, img.ToFrame().Encoding);
        int red = ((20 * 64) + 8) * 3, blue = ((20 * 64) + 56) * 3;
        Assert.True(img.Pixels[red + 2] > 230 && img.Pixels[red] < 25, "red comes back in the third (R) byte");
        Assert.True(img.Pixels[blue] > 230 && img.Pixels[blue + 2] < 25, "blue comes back in the first (B) byte");
    }

    [SharedFact]
    public void DecodesAPhotoFromTheFixtures()
    {
        var img = ImageCodec.Read(SharedData.People("humans_0.jpg"));
        Assert.Equal((413, 300, 3), (img.Width, img.Height, img.Channels));
        Assert.Equal(413 * 300 * 3, img.Pixels.Length);
    }

    [Fact]
    public void PngRoundTripIsLosslessAndRgbComesBackAsBgr()
    {
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3];
        var png = ImageCodec.EncodePng(rgb, 2, 2, 3);
        var back = ImageCodec.Decode(png);
        Assert.Equal([0, 0, 255, 0, 255, 0, 255, 0, 0, 3, 2, 1], back.Pixels);

        byte[] mono = [0, 1, 2, 250];
        Assert.Equal(mono, ImageCodec.Decode(ImageCodec.EncodePng(mono, 2, 2, 1)).Pixels);
    }

    [Fact]
    public void GarbageAndEmptyInputAreClearErrors()
    {
        Assert.Contains("not a decodable", Assert.Throws<InvalidDataException>(() => ImageCodec.Decode([1, 2, 3, 4, 5])).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => ImageCodec.Decode([])).Message, StringComparison.Ordinal);
        var truncated = TwoColourJpeg()[..200];
        Assert.ThrowsAny<Exception>(() => ImageCodec.Decode(truncated));
    }

    [Fact]
    public void A_png_declaring_more_than_8192_on_a_side_is_refused_as_too_large_before_decoding()
    {
        // 9000x9000 grey zeros in 280 KB: decoding it first would take 81 MB before any size check.
        var png = DecodeBombs.ZeroPng(9000, colourType: 0, bitDepth: 8);
        var e = Assert.Throws<FrameException>(() => ImageCodec.Decode(png));
        Assert.Equal(FrameError.TooLarge, e.Error);
        Assert.Contains("9000x9000 (from its Png header)", e.Message, StringComparison.Ordinal);
        Assert.Equal(new ImageHeader(ImageFormat.Png, 9000, 9000), ImageHeader.Read(png));
        Assert.Equal(FrameError.TooLarge, Assert.Throws<FrameException>(() => new ImageDecoder().Decode(DecodeBombs.ZeroPng(16384))).Error);
    }

    [Fact]
    public void A_jpeg_declaring_more_than_8192_on_a_side_is_refused_as_too_large_before_decoding()
    {
        var jpeg = DecodeBombs.HugeJpeg(TwoColourJpeg(), 9000, 8200);
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 9000, 8200), ImageHeader.Read(jpeg));
        var e = Assert.Throws<FrameException>(() => ImageCodec.Decode(jpeg));
        Assert.Equal(FrameError.TooLarge, e.Error);
    }

    [Fact]
    public void Formats_other_than_jpeg_and_png_are_not_decoded()
    {
        using var mat = new Mat(4, 4, MatType.CV_8UC3, Scalar.All(7));
        foreach (var ext in new[] { ".bmp", ".tiff", ".ppm" })
        {
            var bytes = mat.ImEncode(ext);
            Assert.Contains("neither signature", Assert.Throws<InvalidDataException>(() => ImageCodec.Decode(bytes)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_16_bit_rgba_png_becomes_8_bit_bgr_and_grey_stays_grey()
    {
        using var mat = new Mat(1, 2, MatType.CV_16UC4);
        mat.Set(0, 0, new Vec4w(0x0100, 0x7F80, 0xFFFF, 0x1234));
        mat.Set(0, 1, new Vec4w(0, 0x00FF, 0x8000, 0));
        var back = ImageCodec.Decode(mat.ImEncode(".png"));
        Assert.Equal((2, 1, 3), (back.Width, back.Height, back.Channels));
        Assert.Equal([1, 128, 255, 0, 1, 128], back.Pixels);

        using var grey = new Mat(1, 2, MatType.CV_16UC1);
        grey.Set(0, 0, (ushort)0x4000);
        grey.Set(0, 1, (ushort)0xFF00);
        Assert.Equal([64, 255], ImageCodec.Decode(grey.ImEncode(".png")).Pixels);
    }

    [Fact]
    public void A_decoder_reuses_its_buffer_for_frames_of_the_same_size()
    {
        var jpeg = TwoColourJpeg();
        CodecChecks.AssertDecoderReusesItsBuffer(new ImageDecoder(), jpeg, ImageCodec.Decode(jpeg).Pixels, ImageCodec.EncodePng(new byte[8 * 8], 8, 8, 1));
    }

    [Fact]
    public void The_generated_bombs_decode_in_full_below_the_limit()
    {
        // The tests' decode bombs are real images: refused above the limit for their size, not for being broken.
        var png = ImageCodec.Decode(DecodeBombs.ZeroPng(300));
        Assert.Equal((300, 300, 3), (png.Width, png.Height, png.Channels));
        Assert.All(png.Pixels, p => Assert.Equal(0, p));
        var jpeg = ImageCodec.Decode(DecodeBombs.HugeJpeg(TwoColourJpeg(), 1000, 800));
        Assert.Equal((1000, 800, 3), (jpeg.Width, jpeg.Height, jpeg.Channels));
    }
}

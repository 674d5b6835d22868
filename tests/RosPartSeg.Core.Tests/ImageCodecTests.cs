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
}

using RosPartSeg.Imaging;

namespace RosPartSeg.Core.Tests;

public class ImageCodecTests
{
    internal static string Sample(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "samples", "images", name);
            if (File.Exists(p))
            {
                return p;
            }
        }
        throw new FileNotFoundException(name);
    }

    [Fact]
    public void DecodesBundledJpegToPackedBgr()
    {
        Assert.True(ImageCodec.IsAvailable, ImageCodec.UnavailableReason);
        var img = ImageCodec.Read(Sample("humans_0.jpg"));
        Assert.Equal((413, 300, 3), (img.Width, img.Height, img.Channels));
        Assert.Equal(413 * 300 * 3, img.Pixels.Length);
        Assert.Equal(Core.Frames.PixelEncoding.Bgr8, img.ToFrame().Encoding);
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
        var truncated = File.ReadAllBytes(Sample("humans_0.jpg"))[..200];
        Assert.ThrowsAny<Exception>(() => ImageCodec.Decode(truncated));
    }
}

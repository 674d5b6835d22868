using OpenCvSharp;
using RosPartSeg.Imaging;
using Xunit.Abstractions;

namespace RosPartSeg.Core.Tests;

/// <summary>
/// The managed codec (what linux-arm64 uses) against OpenCV on x64: the shared checks
/// (<see cref="CodecAgainstOpenCvTests"/>; JPEG within decoder rounding, as stb_image and libjpeg-turbo differ in IDCT,
/// chroma upsampling and colour conversion rounding), PNG of either encoder to the same bytes, 16-bit PNGs within a
/// level, and PNG encoding that round-trips exactly.
/// </summary>
public sealed class ManagedCodecTests(ITestOutputHelper output)
    : CodecAgainstOpenCvTests(output, ImageCodec.Managed, "managed JPEG decoder", smallJpegEncoder: ImageCodec.Managed)
{
    private static readonly ImageCodecBackend Managed = ImageCodec.Managed;

    private protected override void AssertCutFilesAreExplained(byte[] smallJpeg, InvalidDataException jpegCut, InvalidDataException pngCut)
        => Assert.Contains("ends before its scan", jpegCut.Message, StringComparison.Ordinal);

    [Fact]
    public void The_managed_codec_is_available_and_named()
    {
        Assert.True(Managed.IsAvailable);
        Assert.Equal(ImageCodecKind.Managed, Managed.Kind);
        Assert.StartsWith("StbImageSharp 2.30", Managed.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chooser_takes_opencv_where_it_loads_and_the_managed_codec_otherwise_or_when_asked()
    {
        Assert.True(OpenCv.IsAvailable, OpenCv.UnavailableReason);
        Assert.Same(OpenCv, ImageCodec.Choose(null, OpenCv, ImageCodec.SystemLibraries));
        Assert.Same(OpenCv, ImageCodec.Choose("auto", OpenCv, ImageCodec.SystemLibraries));
        Assert.Same(Managed, ImageCodec.Choose(" Managed ", OpenCv, ImageCodec.SystemLibraries));
        Assert.Same(OpenCv, ImageCodec.Choose("opencv", OpenCv, ImageCodec.SystemLibraries));
        Assert.Same(OpenCv, ImageCodec.Choose("libjpeg", OpenCv, ImageCodec.SystemLibraries));
        Assert.Contains("'libjpeg' is not auto, opencv, system or managed; ignored", ImageCodec.Describe(OpenCv, "libjpeg", null), StringComparison.Ordinal);
        Assert.Equal($"image codec: {Managed.Name}; this is linux-arm64, for which OpenCvSharp ships no native runtime (linux-x64 only)",
            ImageCodec.Describe(Managed, null, "this is linux-arm64, for which OpenCvSharp ships no native runtime (linux-x64 only)"));
        Assert.EndsWith("; ROSPARTSEG_IMAGE_CODEC=managed", ImageCodec.Describe(Managed, "managed", null), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void Png_encoded_by_either_codec_decodes_to_the_same_bytes_in_both(int channels)
    {
        var rgb = CodecChecks.Picture(97, 61, channels);
        var expected = channels == 1 ? rgb : CodecChecks.Bgr(rgb);
        foreach (var encoder in new[] { OpenCv, Managed })
        {
            var png = encoder.EncodePng(rgb, 97, 61, channels);
            Assert.Equal(expected, Managed.Decode(png).Pixels);
            Assert.Equal(expected, OpenCv.Decode(png).Pixels);
        }
    }

    [Fact]
    public void Rgba_and_1_bit_grey_pngs_decode_as_opencv_decodes_them()
    {
        using var rgba = new Mat(5, 7, MatType.CV_8UC4);
        Cv2.Randu(rgba, Scalar.All(0), Scalar.All(256));
        using var grey = new Mat(5, 7, MatType.CV_8UC1);
        Cv2.Randu(grey, Scalar.All(0), Scalar.All(256));
        foreach (var png in new[] { rgba.ImEncode(".png"), grey.ImEncode(".png", new ImageEncodingParam(ImwriteFlags.PngBilevel, 1)) })
        {
            AssertPngExact(png);
        }
    }

    [Fact]
    public void A_16_bit_png_is_at_most_one_level_from_opencv_which_rounds_where_stb_truncates()
    {
        using var mat = new Mat(1, 3, MatType.CV_16UC3);
        mat.Set(0, 0, new Vec3w(0x0100, 0x7F80, 0xFFFF));
        mat.Set(0, 1, new Vec3w(0, 0x00FF, 0x8000));
        mat.Set(0, 2, new Vec3w(0x1280, 0x12FF, 0x1200));
        var png = mat.ImEncode(".png");
        Assert.Equal([1, 128, 255, 0, 1, 128, 19, 19, 18], OpenCv.Decode(png).Pixels);
        Assert.Equal([1, 127, 255, 0, 0, 128, 18, 18, 18], Managed.Decode(png).Pixels);
    }

    [Fact]
    public void Png_encoding_round_trips_exactly_and_jpeg_encoding_makes_a_jpeg_opencv_reads()
    {
        var rgb = CodecChecks.Picture(33, 17, 3);
        Assert.Equal(CodecChecks.Bgr(rgb), Managed.Decode(Managed.EncodePng(rgb, 33, 17, 3)).Pixels);
        var jpeg = Managed.EncodeJpeg(rgb, 33, 17, 3, 90);
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 33, 17), ImageHeader.Read(jpeg));
        Assert.Equal((33, 17, 3), (OpenCv.Decode(jpeg).Width, OpenCv.Decode(jpeg).Height, OpenCv.Decode(jpeg).Channels));
        Assert.Throws<ArgumentException>(() => Managed.EncodePng(rgb.AsSpan(0, 10), 33, 17, 3));
    }
}

using OpenCvSharp;
using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;
using Xunit.Abstractions;

namespace RosPartSeg.Core.Tests;

/// <summary>
/// What every codec that stands in for OpenCV (on linux-arm64) must do, checked against OpenCV on x64: JPEG within
/// decoder rounding, PNG to the same bytes, bombs and broken files refused with clear errors, a decoder that reuses
/// its buffer. One small subclass per codec runs these and keeps the checks that are its own.
/// </summary>
/// <param name="output">Where the measured differences are written.</param>
/// <param name="codec">The codec under test.</param>
/// <param name="decoderName">How a failed JPEG comparison names the codec's decoder.</param>
/// <param name="smallJpegEncoder">Which codec encodes the small JPEG the bombs are made from.</param>
public abstract class CodecAgainstOpenCvTests(ITestOutputHelper output, ImageCodecBackend codec, string decoderName, ImageCodecBackend smallJpegEncoder)
{
    private protected static ImageCodecBackend OpenCv => ImageCodec.OpenCv;
    private protected ITestOutputHelper Output { get; } = output;
    private protected ImageCodecBackend Codec { get; } = codec;

    private protected void AssertJpegAgrees(string what, byte[] jpeg)
    {
        var (max, mean) = CodecChecks.Difference(OpenCv.Decode(jpeg), Codec.Decode(jpeg));
        Output.WriteLine(FormattableString.Invariant($"{what}: max abs {max}, mean {mean:F3}"));
        Assert.True(max <= CodecChecks.JpegMaxAbs && mean <= CodecChecks.JpegMean,
            FormattableString.Invariant($"{what}: {decoderName} differs from OpenCV's by max {max}, mean {mean:F3}"));
    }

    private protected void AssertPngExact(byte[] png) => Assert.Equal(OpenCv.Decode(png), Codec.Decode(png), CodecChecks.DecodedEquals);

    /// <summary>The codec's own checks of the cut-off files the shared test refused: their messages, what pads.</summary>
    private protected abstract void AssertCutFilesAreExplained(byte[] smallJpeg, InvalidDataException jpegCut, InvalidDataException pngCut);

    [Theory]
    [InlineData(95, 3)]
    [InlineData(75, 3)]
    [InlineData(90, 1)]
    public void Jpeg_decodes_within_the_stated_tolerance_of_opencv(int quality, int channels)
    {
        var rgb = CodecChecks.Picture(160, 120, channels);
        AssertJpegAgrees($"synthetic q{quality} {channels} ch (OpenCV-encoded)", OpenCv.EncodeJpeg(rgb, 160, 120, channels, quality));
        AssertJpegAgrees($"synthetic q{quality} {channels} ch (stb-encoded, 4:4:4)", ImageCodec.Managed.EncodeJpeg(rgb, 160, 120, channels, quality));
        Assert.Equal(channels, Codec.Decode(OpenCv.EncodeJpeg(rgb, 160, 120, channels, quality)).Channels);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public void A_progressive_jpeg_decodes_within_the_same_tolerance(int channels)
    {
        // (stb_image_write's JPEGs above are 4:4:4, OpenCV's 4:2:0: both chroma layouts are covered.)
        using var mat = Mat.FromPixelData(120, 160, channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3, CodecChecks.Picture(160, 120, channels));
        AssertJpegAgrees("progressive", mat.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegProgressive, 1)));
    }

    [DemoPhotosFact]
    public void The_demo_photos_decode_as_opencv_decodes_them_png_exactly_jpeg_within_tolerance()
    {
        var pngs = DemoPhotos.All("*.png").ToList();
        var jpegs = DemoPhotos.All("*.jpg").ToList();
        Assert.NotEmpty(pngs);
        Assert.NotEmpty(jpegs);
        foreach (var path in pngs)
        {
            var bytes = File.ReadAllBytes(path);
            var cv = OpenCv.Decode(bytes);
            Assert.Equal(cv, Codec.Decode(bytes), CodecChecks.DecodedEquals);
            Output.WriteLine($"{Path.GetFileName(path)}: {cv.Width}x{cv.Height}x{cv.Channels} equal");
            // The photos as a camera would send them: JPEG at OpenCV's default quality.
            using var mat = Mat.FromPixelData(cv.Height, cv.Width, cv.Channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3, cv.Pixels);
            AssertJpegAgrees(Path.GetFileName(path) + " as JPEG q95", mat.ImEncode(".jpg"));
        }
        foreach (var path in jpegs)
        {
            AssertJpegAgrees(Path.GetFileName(path), File.ReadAllBytes(path));
        }
    }

    [SharedFact]
    public void The_fixture_photos_of_people_decode_within_tolerance_of_opencv()
    {
        foreach (var path in Directory.GetFiles(Path.Combine(SharedData.Fixtures, "people"), "*.jpg").Order(StringComparer.Ordinal))
        {
            AssertJpegAgrees(Path.GetFileName(path), File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void Bombs_other_formats_and_broken_files_are_refused_with_clear_errors()
    {
        var png = Assert.Throws<FrameException>(() => Codec.Decode(DecodeBombs.ZeroPng(9000, colourType: 0, bitDepth: 8)));
        Assert.Equal(FrameError.TooLarge, png.Error);
        Assert.Contains("9000x9000 (from its Png header)", png.Message, StringComparison.Ordinal);
        var small = smallJpegEncoder.EncodeJpeg(CodecChecks.Picture(64, 48, 3), 64, 48, 3);
        Assert.Equal(FrameError.TooLarge, Assert.Throws<FrameException>(() => Codec.Decode(DecodeBombs.HugeJpeg(small, 9000, 8200))).Error);
        Assert.Equal(FrameError.TooLarge, Assert.Throws<FrameException>(() => new ImageDecoder { Codec = Codec, MaxSide = 40 }.Decode(small)).Error);

        using var mat = new Mat(4, 4, MatType.CV_8UC3, Scalar.All(7));
        foreach (var ext in new[] { ".bmp", ".tiff", ".ppm" })
        {
            Assert.Contains("neither signature", Assert.Throws<InvalidDataException>(() => Codec.Decode(mat.ImEncode(ext))).Message, StringComparison.Ordinal);
        }
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => Codec.Decode([])).Message, StringComparison.Ordinal);
        var jpegCut = Assert.Throws<InvalidDataException>(() => Codec.Decode(small[..200]));
        var pngCut = Assert.ThrowsAny<InvalidDataException>(() => Codec.Decode(ImageCodec.Managed.EncodePng(CodecChecks.Picture(64, 48, 3), 64, 48, 3)[..100]));
        Output.WriteLine(jpegCut.Message);
        Output.WriteLine(pngCut.Message);
        AssertCutFilesAreExplained(small, jpegCut, pngCut);
    }

    [Fact]
    public void A_decoder_reuses_its_buffer_and_matches_a_one_off_decode()
    {
        var jpeg = ImageCodec.Managed.EncodeJpeg(CodecChecks.Picture(64, 48, 3), 64, 48, 3);
        CodecChecks.AssertDecoderReusesItsBuffer(new ImageDecoder { Codec = Codec }, jpeg, Codec.Decode(jpeg).Pixels, ImageCodec.Managed.EncodePng(new byte[8 * 8], 8, 8, 1));
    }
}

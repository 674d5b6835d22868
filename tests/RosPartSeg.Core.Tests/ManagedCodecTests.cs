using OpenCvSharp;
using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;
using Xunit.Abstractions;

namespace RosPartSeg.Core.Tests;

/// <summary>
/// The managed codec (what linux-arm64 uses) against OpenCV on x64: PNG decodes to the same bytes, JPEG within
/// decoder rounding (stb_image and libjpeg-turbo differ in IDCT, chroma upsampling and colour conversion rounding),
/// PNG encoding round-trips exactly, and the header checks run before either decoder sees the bytes.
/// </summary>
public class ManagedCodecTests(ITestOutputHelper output)
{
    /// <summary>Largest difference of one channel of one pixel allowed between the two JPEG decoders.</summary>
    internal const int JpegMaxAbs = 4;

    /// <summary>Largest mean absolute difference over all channels allowed between the two JPEG decoders.</summary>
    internal const double JpegMean = 0.25;

    private static readonly ImageCodecBackend Managed = ImageCodec.Managed;
    private static readonly ImageCodecBackend OpenCv = ImageCodec.OpenCv;

    /// <summary>A photo-like 8-bit picture: smooth gradients, sharp edges and noise, in RGB order.</summary>
    internal static byte[] Picture(int width, int height, int channels, int seed = 7)
    {
        var random = new Random(seed);
        var px = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int v = ((x * (c + 1) * 255) / width + (y * 255 / height)) / 2;
                    if ((x / 16 + y / 16) % 3 == c)
                    {
                        v = 255 - v; // edges
                    }
                    px[(((y * width) + x) * channels) + c] = (byte)Math.Clamp(v + random.Next(-12, 13), 0, 255);
                }
            }
        }
        return px;
    }

    internal static (int MaxAbs, double Mean) Difference(DecodedImage a, DecodedImage b)
    {
        Assert.Equal((a.Width, a.Height, a.Channels), (b.Width, b.Height, b.Channels));
        int max = 0;
        long sum = 0;
        for (int i = 0; i < a.Pixels.Length; i++)
        {
            int d = Math.Abs(a.Pixels[i] - b.Pixels[i]);
            max = Math.Max(max, d);
            sum += d;
        }
        return (max, sum / (double)a.Pixels.Length);
    }

    private void AssertJpegAgrees(string what, byte[] jpeg)
    {
        var (max, mean) = Difference(OpenCv.Decode(jpeg), Managed.Decode(jpeg));
        output.WriteLine(FormattableString.Invariant($"{what}: max abs {max}, mean {mean:F3}"));
        Assert.True(max <= JpegMaxAbs && mean <= JpegMean, FormattableString.Invariant($"{what}: managed JPEG decoder differs from OpenCV's by max {max}, mean {mean:F3}"));
    }

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
        var rgb = Picture(97, 61, channels);
        var expected = channels == 1 ? rgb : Bgr(rgb);
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
            Assert.Equal(OpenCv.Decode(png), Managed.Decode(png), DecodedEquals);
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

    [Theory]
    [InlineData(95, 3)]
    [InlineData(75, 3)]
    [InlineData(90, 1)]
    public void Jpeg_decodes_within_decoder_rounding_of_opencv(int quality, int channels)
    {
        var rgb = Picture(160, 120, channels);
        AssertJpegAgrees($"synthetic q{quality} {channels} ch (OpenCV-encoded)", OpenCv.EncodeJpeg(rgb, 160, 120, channels, quality));
        AssertJpegAgrees($"synthetic q{quality} {channels} ch (stb-encoded)", Managed.EncodeJpeg(rgb, 160, 120, channels, quality));
    }

    [Fact]
    public void A_progressive_jpeg_decodes_within_the_same_tolerance()
    {
        // (stb_image_write's q95 above is 4:4:4, OpenCV's 4:2:0: both chroma layouts are covered.)
        using var mat = Mat.FromPixelData(120, 160, MatType.CV_8UC3, Picture(160, 120, 3));
        AssertJpegAgrees("progressive", mat.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegProgressive, 1)));
    }

    [DemoPhotosFact]
    public void The_demo_photos_decode_as_opencv_decodes_them_png_exactly_jpeg_within_rounding()
    {
        var pngs = DemoPhotos.All("*.png").ToList();
        var jpegs = DemoPhotos.All("*.jpg").ToList();
        Assert.NotEmpty(pngs);
        Assert.NotEmpty(jpegs);
        foreach (var path in pngs)
        {
            var bytes = File.ReadAllBytes(path);
            var cv = OpenCv.Decode(bytes);
            Assert.Equal(cv, Managed.Decode(bytes), DecodedEquals);
            output.WriteLine($"{Path.GetFileName(path)}: {cv.Width}x{cv.Height}x{cv.Channels} equal");
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
    public void The_fixture_photos_of_people_decode_within_rounding_of_opencv()
    {
        foreach (var path in Directory.GetFiles(Path.Combine(SharedData.Fixtures, "people"), "*.jpg").Order(StringComparer.Ordinal))
        {
            AssertJpegAgrees(Path.GetFileName(path), File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void Png_encoding_round_trips_exactly_and_jpeg_encoding_makes_a_jpeg_opencv_reads()
    {
        var rgb = Picture(33, 17, 3);
        Assert.Equal(Bgr(rgb), Managed.Decode(Managed.EncodePng(rgb, 33, 17, 3)).Pixels);
        var jpeg = Managed.EncodeJpeg(rgb, 33, 17, 3, 90);
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 33, 17), ImageHeader.Read(jpeg));
        Assert.Equal((33, 17, 3), (OpenCv.Decode(jpeg).Width, OpenCv.Decode(jpeg).Height, OpenCv.Decode(jpeg).Channels));
        Assert.Throws<ArgumentException>(() => Managed.EncodePng(rgb.AsSpan(0, 10), 33, 17, 3));
    }

    [Fact]
    public void Bombs_other_formats_and_broken_files_are_refused_as_on_the_opencv_path()
    {
        var png = Assert.Throws<FrameException>(() => Managed.Decode(DecodeBombs.ZeroPng(9000, colourType: 0, bitDepth: 8)));
        Assert.Equal(FrameError.TooLarge, png.Error);
        Assert.Contains("9000x9000 (from its Png header)", png.Message, StringComparison.Ordinal);
        var small = Managed.EncodeJpeg(Picture(64, 48, 3), 64, 48, 3);
        Assert.Equal(FrameError.TooLarge, Assert.Throws<FrameException>(() => Managed.Decode(DecodeBombs.HugeJpeg(small, 9000, 8200))).Error);
        Assert.Equal(FrameError.TooLarge, Assert.Throws<FrameException>(() => new ImageDecoder { Codec = Managed, MaxSide = 40 }.Decode(small)).Error);

        using var mat = new Mat(4, 4, MatType.CV_8UC3, Scalar.All(7));
        foreach (var ext in new[] { ".bmp", ".tiff", ".ppm" })
        {
            Assert.Contains("neither signature", Assert.Throws<InvalidDataException>(() => Managed.Decode(mat.ImEncode(ext))).Message, StringComparison.Ordinal);
        }
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => Managed.Decode([])).Message, StringComparison.Ordinal);
        Assert.Contains("ends before its scan", Assert.Throws<InvalidDataException>(() => Managed.Decode(small[..200])).Message, StringComparison.Ordinal);
        Assert.ThrowsAny<InvalidDataException>(() => Managed.Decode(Managed.EncodePng(Picture(64, 48, 3), 64, 48, 3)[..100]));
    }

    [Fact]
    public void A_managed_decoder_reuses_its_buffer_and_matches_a_one_off_decode()
    {
        var decoder = new ImageDecoder { Codec = Managed };
        var jpeg = Managed.EncodeJpeg(Picture(64, 48, 3), 64, 48, 3);
        var first = decoder.Decode(jpeg, new Timestamp(1, 2), "cam");
        Assert.Equal((64, 48, PixelEncoding.Bgr8, "cam"), (first.Width, first.Height, first.Encoding, first.FrameId));
        Assert.Equal(Managed.Decode(jpeg).Pixels, first.Data.ToArray());
        int held = decoder.BufferBytes;
        var second = decoder.Decode(Managed.EncodePng(new byte[8 * 8], 8, 8, 1));
        Assert.Equal((8, 8, PixelEncoding.Mono8), (second.Width, second.Height, second.Encoding));
        Assert.Equal(held, decoder.BufferBytes);
    }

    private static bool DecodedEquals(DecodedImage a, DecodedImage b)
        => (a.Width, a.Height, a.Channels) == (b.Width, b.Height, b.Channels) && a.Pixels.AsSpan().SequenceEqual(b.Pixels);

    private static byte[] Bgr(byte[] rgb)
    {
        var bgr = (byte[])rgb.Clone();
        for (int i = 0; i < bgr.Length; i += 3)
        {
            (bgr[i], bgr[i + 2]) = (bgr[i + 2], bgr[i]);
        }
        return bgr;
    }
}

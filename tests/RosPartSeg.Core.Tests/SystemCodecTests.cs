using OpenCvSharp;
using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;
using Xunit.Abstractions;

namespace RosPartSeg.Core.Tests;

/// <summary>
/// The system's libjpeg-turbo and libpng (the codec linux-arm64 takes where both load) against OpenCV on x64: the
/// shared checks (<see cref="CodecAgainstOpenCvTests"/>), PNG of every 8-bit colour type to the same bytes, what it
/// hands to the managed codec decoded as OpenCV decodes it, and a warm decoder allocating nothing on the managed heap.
/// </summary>
public sealed class SystemCodecTests(ITestOutputHelper output)
    : CodecAgainstOpenCvTests(output, ImageCodec.SystemLibraries, "libjpeg-turbo", smallJpegEncoder: ImageCodec.OpenCv)
{
    private static readonly ImageCodecBackend System = ImageCodec.SystemLibraries;

    private static byte[] Encode(Mat mat, string ext, params ImageEncodingParam[] prms) => mat.ImEncode(ext, prms);

    private static Mat Random(int width, int height, MatType type)
    {
        var mat = new Mat(height, width, type);
        Cv2.Randu(mat, Scalar.All(0), Scalar.All(256));
        return mat;
    }

    private protected override void AssertCutFilesAreExplained(byte[] smallJpeg, InvalidDataException jpegCut, InvalidDataException pngCut)
    {
        Assert.StartsWith("compressed image of 200 bytes is not a decodable JPEG (", jpegCut.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(pngCut);
        Assert.StartsWith("compressed image of 100 bytes is not a decodable PNG (", pngCut.Message, StringComparison.Ordinal);

        // The data cut off mid-scan: libjpeg-turbo warns and pads, as OpenCV's libjpeg does, and the frame decodes.
        var bomb = DecodeBombs.HugeJpeg(smallJpeg, 1000, 800);
        Assert.Equal((1000, 800, 3), (System.Decode(bomb).Width, System.Decode(bomb).Height, System.Decode(bomb).Channels));
    }

    [Fact]
    public void The_system_libraries_load_and_are_named()
    {
        Assert.True(System.IsAvailable, $"{System.UnavailableReason}; run tools/setup.sh (libturbojpeg0, libpng16-16)");
        Assert.Equal(ImageCodecKind.SystemLibraries, System.Kind);
        Assert.StartsWith("libjpeg-turbo (libturbojpeg.so.0) and libpng 1.6.", System.Name, StringComparison.Ordinal);
        Assert.Contains("(libpng16.so.16), system libraries; PNG encoding and 16-bit or gamma-tagged PNGs: StbImageSharp", System.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chooser_takes_opencv_then_the_system_libraries_then_the_managed_codec()
    {
        var managed = ImageCodec.Managed;
        Assert.Same(OpenCv, ImageCodec.Choose(null, OpenCv, System));
        Assert.Same(System, ImageCodec.Choose(" System ", OpenCv, System));
        Assert.Equal($"image codec: {System.Name}; this is linux-arm64, for which OpenCvSharp ships no native runtime (linux-x64 only); the system's libjpeg-turbo and libpng load",
            ImageCodec.Describe(System, null, "this is linux-arm64, for which OpenCvSharp ships no native runtime (linux-x64 only)"));
        Assert.Equal($"image codec: {managed.Name}; no OpenCV; libturbojpeg.so.0 is not installed (Debian/Ubuntu package libturbojpeg0)",
            ImageCodec.Describe(managed, "", "no OpenCV", "libturbojpeg.so.0 is not installed (Debian/Ubuntu package libturbojpeg0)"));
        Assert.EndsWith("; ROSPARTSEG_IMAGE_CODEC=system", ImageCodec.Describe(System, "system", null), StringComparison.Ordinal);
    }

    [Fact]
    public void Eight_bit_pngs_of_every_colour_type_decode_to_opencvs_bytes()
    {
        using var bgr = Random(97, 61, MatType.CV_8UC3);
        using var bgra = Random(97, 61, MatType.CV_8UC4);
        using var grey = Random(97, 61, MatType.CV_8UC1);
        AssertPngExact(Encode(bgr, ".png"));
        AssertPngExact(Encode(bgra, ".png"));
        AssertPngExact(Encode(grey, ".png"));
        AssertPngExact(Encode(grey, ".png", new ImageEncodingParam(ImwriteFlags.PngBilevel, 1)));
        // stb_image_write's PNGs (what `run` writes on arm64): RGB and grey.
        AssertPngExact(ImageCodec.Managed.EncodePng(CodecChecks.Picture(33, 17, 3), 33, 17, 3));
        AssertPngExact(ImageCodec.Managed.EncodePng(CodecChecks.Picture(33, 17, 1), 33, 17, 1));
        AssertPngExact(DecodeBombs.ZeroPng(40, colourType: 2, bitDepth: 8));
    }

    [Fact]
    public void Sixteen_bit_and_gamma_tagged_pngs_go_to_the_managed_codec_and_still_decode_as_opencv_does()
    {
        using var mat = new Mat(1, 3, MatType.CV_16UC3);
        mat.Set(0, 0, new Vec3w(0x0100, 0x7F80, 0xFFFF));
        mat.Set(0, 1, new Vec3w(0, 0x00FF, 0x8000));
        mat.Set(0, 2, new Vec3w(0x1280, 0x12FF, 0x1200));
        var sixteen = mat.ImEncode(".png");
        Assert.Equal(ImageCodec.Managed.Decode(sixteen).Pixels, System.Decode(sixteen).Pixels); // stb: at most 1 level from OpenCV

        // gAMA 1.0 (100000): libpng's simplified API would convert that to sRGB; OpenCV ignores it.
        using var bgr = Random(31, 7, MatType.CV_8UC3);
        var gamma = DecodeBombs.WithChunkAfterHeader(Encode(bgr, ".png"), "gAMA", [0x00, 0x01, 0x86, 0xA0]);
        AssertPngExact(gamma);
    }

    [Fact]
    public void A_warm_decoder_allocates_nothing_per_jpeg_or_png()
    {
        var rgb = CodecChecks.Picture(320, 240, 3);
        using var bgra = Random(320, 240, MatType.CV_8UC4);
        byte[][] inputs =
        [
            OpenCv.EncodeJpeg(rgb, 320, 240, 3),
            OpenCv.EncodeJpeg(CodecChecks.Picture(320, 240, 1), 320, 240, 1),
            OpenCv.EncodePng(rgb, 320, 240, 3),
            OpenCv.EncodePng(CodecChecks.Picture(320, 240, 1), 320, 240, 1),
            Encode(bgra, ".png"), // alpha dropped through a pooled buffer
        ];
        var decoder = new ImageDecoder { Codec = System };
        foreach (var input in inputs)
        {
            Assert.Equal(OpenCv.Decode(input).Pixels, decoder.Decode(input).Data.ToArray());
        }

        const int rounds = 20;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < rounds; i++)
        {
            foreach (var input in inputs)
            {
                _ = decoder.Decode(input, new Timestamp(i, 0), "cam");
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} managed bytes over {rounds * inputs.Length} warm decodes");
    }
}

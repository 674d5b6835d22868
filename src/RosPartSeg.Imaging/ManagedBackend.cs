using StbImageSharp;
using StbImageWriteSharp;

namespace RosPartSeg.Imaging;

/// <summary>
/// JPEG and PNG in managed code (StbImageSharp decoding, StbImageWriteSharp encoding; ports of stb_image and
/// stb_image_write), for platforms where OpenCV's native runtime does not load, linux-arm64 (Jetson) above all: no
/// native library, so nothing to match to JetPack. PNG decodes exactly as OpenCV's (8-bit images; a 16-bit PNG is
/// truncated to 8 bits where OpenCV rounds, at most 1 level apart); JPEG within decoder rounding (its own IDCT and
/// upsampling; see docs/jetson.md for the measured agreement). Unlike the OpenCV path it allocates per frame: the
/// encoded bytes are copied into an array (the library takes arrays only) and the library returns a new pixel array.
/// </summary>
internal sealed class ManagedBackend : ImageCodecBackend
{
    public override ImageCodecKind Kind => ImageCodecKind.Managed;

    public override string Name => "StbImageSharp " + Version(typeof(ImageResult)) + " / StbImageWriteSharp " + Version(typeof(ImageWriter)) + " (managed)";

    public override string? UnavailableReason => null;

    internal override (int Width, int Height, int Channels) DecodePixels(ReadOnlySpan<byte> encoded, ImageHeader header, ref byte[] pixels, bool exactSize)
    {
        if (header.Format == ImageFormat.Jpeg && !ReachesScan(encoded))
        {
            // stb reads zeros past the end instead of failing, so a cut in the tables would decode to garbage.
            throw new InvalidDataException($"JPEG of {encoded.Length} bytes ends before its scan data");
        }
        ImageResult image;
        try
        {
            image = ImageResult.FromMemory(encoded.ToArray(), StbImageSharp.ColorComponents.Default);
        }
        catch (Exception e) when (e is InvalidOperationException or IndexOutOfRangeException or ArgumentException or NullReferenceException)
        {
            // stb reports a broken file by throwing with its failure reason ("bad huffman code", "corrupt PNG", ...).
            throw new InvalidDataException($"compressed image of {encoded.Length} bytes is not a decodable {header.Format} ({e.Message})", e);
        }
        if (image is null || image.Data is null || image.Width <= 0 || image.Height <= 0)
        {
            throw new InvalidDataException($"compressed image of {encoded.Length} bytes is not a decodable JPEG or PNG");
        }
        CheckSize(image.Width, image.Height, header);
        int inChannels = (int)image.Comp;
        int outChannels = inChannels == 1 ? 1 : 3;
        int count = image.Width * image.Height;
        if (image.Data.Length < count * inChannels)
        {
            throw new InvalidDataException($"compressed image decoded to {image.Data.Length} bytes, short of {image.Width}x{image.Height}x{inChannels}");
        }
        EnsureSize(ref pixels, count * outChannels, exactSize);
        ToBgrOrGrey(image.Data, inChannels, pixels.AsSpan(0, count * outChannels));
        return (image.Width, image.Height, outChannels);
    }

    private protected override unsafe byte[] EncodePngCore(ReadOnlySpan<byte> pixels, int width, int height, int channels)
        => Encode(pixels, width, height, channels, (w, p, s) => w.WritePng(p, width, height, Components(channels), s));

    private protected override unsafe byte[] EncodeJpegCore(ReadOnlySpan<byte> pixels, int width, int height, int channels, int quality)
        => Encode(pixels, width, height, channels, (w, p, s) => w.WriteJpg(p, width, height, Components(channels), s, quality));

    private static unsafe byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, WriteWith write)
    {
        using var stream = new MemoryStream();
        fixed (byte* p = pixels)
        {
            write(new ImageWriter(), p, stream);
        }
        return stream.ToArray();
    }

    private unsafe delegate void WriteWith(ImageWriter writer, void* pixels, Stream stream);

    private static StbImageWriteSharp.ColorComponents Components(int channels)
        => channels == 1 ? StbImageWriteSharp.ColorComponents.Grey : StbImageWriteSharp.ColorComponents.RedGreenBlue;

    // stb gives grey, grey+alpha, RGB or RGBA; the node takes mono8 or bgr8 (alpha dropped, as on the OpenCV path).
    private static void ToBgrOrGrey(ReadOnlySpan<byte> src, int inChannels, Span<byte> dst)
    {
        if (inChannels == 1)
        {
            src[..dst.Length].CopyTo(dst);
            return;
        }
        for (int i = 0, o = 0; o < dst.Length; i += inChannels, o += 3)
        {
            if (inChannels == 2)
            {
                dst[o] = dst[o + 1] = dst[o + 2] = src[i];
            }
            else
            {
                dst[o] = src[i + 2];
                dst[o + 1] = src[i + 1];
                dst[o + 2] = src[i];
            }
        }
    }

    // Whether the marker segments run whole from SOI up to a start-of-scan (lengths as ImageHeader reads them).
    private static bool ReachesScan(ReadOnlySpan<byte> b)
    {
        int i = 2;
        while (i + 3 < b.Length && b[i] == 0xFF)
        {
            byte marker = b[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }
            int length = (b[i + 2] << 8) | b[i + 3];
            if (length < 2 || i + 2 + length > b.Length)
            {
                return false;
            }
            if (marker == 0xDA)
            {
                return i + 2 + length < b.Length; // and some scan data after its header
            }
            i += 2 + length;
        }
        return false;
    }

    private static string Version(Type type) => type.Assembly.GetName().Version?.ToString(3) ?? "?";
}

namespace RosPartSeg.Imaging;

/// <summary>Which library decodes and encodes JPEG and PNG.</summary>
public enum ImageCodecKind
{
    /// <summary>OpenCV through OpenCvSharp's native runtime (linux-x64 only).</summary>
    OpenCv,

    /// <summary>StbImageSharp and StbImageWriteSharp: managed code, so on every platform .NET runs on.</summary>
    Managed,

    /// <summary>The system's libjpeg-turbo and libpng through P/Invoke (linux-arm64 and x64 where installed).</summary>
    SystemLibraries,
}

/// <summary>
/// One JPEG/PNG library. <see cref="ImageCodec"/> chooses the one the process uses; tests take either directly.
/// The header is checked (<see cref="ImageHeader"/>, size limit) by <see cref="ImageDecoder"/> before a backend sees the bytes.
/// </summary>
public abstract class ImageCodecBackend
{
    private protected ImageCodecBackend() { }

    public abstract ImageCodecKind Kind { get; }

    /// <summary>The library, as the start-up log line names it.</summary>
    public abstract string Name { get; }

    /// <summary>Why this library cannot run here, or null.</summary>
    public abstract string? UnavailableReason { get; }

    public bool IsAvailable => UnavailableReason is null;

    /// <summary>Decodes JPEG or PNG bytes to packed bgr8 or mono8, header checked first (see <see cref="ImageCodec.Decode"/>).</summary>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded)
    {
        byte[] pixels = [];
        var (width, height, channels) = ImageDecoder.DecodeInto(this, encoded, ref pixels, exactSize: true);
        return new DecodedImage(width, height, channels, pixels);
    }

    /// <summary>Encodes packed pixels (1 channel, or 3 in RGB order) as PNG.</summary>
    public byte[] EncodePng(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        CheckEncodable(pixels, width, height, channels);
        return EncodePngCore(pixels, width, height, channels);
    }

    /// <summary>Encodes packed pixels (1 channel, or 3 in RGB order) as JPEG.</summary>
    public byte[] EncodeJpeg(ReadOnlySpan<byte> pixels, int width, int height, int channels, int quality = 90)
    {
        CheckEncodable(pixels, width, height, channels);
        return EncodeJpegCore(pixels, width, height, channels, quality);
    }

    /// <summary>
    /// Decodes the (header-checked) bytes into <paramref name="pixels"/> as 8-bit bgr8 or mono8, replacing it when too
    /// small, or when not exactly the size and <paramref name="exactSize"/>. Must refuse a result whose size differs from the header's.
    /// </summary>
    internal abstract (int Width, int Height, int Channels) DecodePixels(ReadOnlySpan<byte> encoded, ImageHeader header, ref byte[] pixels, bool exactSize);

    private protected abstract byte[] EncodePngCore(ReadOnlySpan<byte> pixels, int width, int height, int channels);

    private protected abstract byte[] EncodeJpegCore(ReadOnlySpan<byte> pixels, int width, int height, int channels, int quality);

    internal void EnsureAvailable()
    {
        if (UnavailableReason is { } why)
        {
            throw new CodecUnavailableException(why);
        }
    }

    private void CheckEncodable(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        EnsureAvailable();
        if (channels is not (1 or 3) || width <= 0 || height <= 0 || pixels.Length < width * height * channels)
        {
            throw new ArgumentException($"need {width}x{height}x{channels} bytes (1 or 3 channels), got {pixels.Length}");
        }
    }

    /// <summary>Checks a decoder's result against the header it was checked by: it is not trusted with the size limit otherwise.</summary>
    private protected static void CheckSize(int width, int height, ImageHeader header)
    {
        if ((width, height) != ((int)header.Width, (int)header.Height))
        {
            throw new InvalidDataException($"compressed image decoded to {width}x{height}, its {header.Format} header says {header.Width}x{header.Height}");
        }
    }

    private protected static void EnsureSize(ref byte[] pixels, int size, bool exactSize)
    {
        if (pixels.Length < size || (exactSize && pixels.Length != size))
        {
            pixels = new byte[size];
        }
    }
}

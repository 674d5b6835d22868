using System.Buffers;
using System.Runtime.InteropServices;
using RosPartSeg.Imaging.Interop;

namespace RosPartSeg.Imaging;

/// <summary>
/// JPEG and PNG decoding through the system's libjpeg-turbo (TurboJPEG API) and libpng (simplified API), loaded by
/// soname: what a Jetson uses, where OpenCvSharp has no runtime and JetPack ships both libraries (the TurboJPEG API
/// as the package libturbojpeg). Decodes straight into the caller's buffer, so a warm <see cref="ImageDecoder"/>
/// allocates nothing on the managed heap (alpha is dropped through a pooled buffer). Left to the managed codec
/// (<see cref="ImageCodec.Managed"/>): PNG encoding, 16-bit PNGs and PNGs with a gAMA chunk (libpng's simplified API
/// would rescale or gamma-correct them where OpenCV and stb do neither), and CMYK JPEGs (TurboJPEG 2.x cannot make BGR
/// of them).
/// </summary>
internal sealed class SystemBackend : ImageCodecBackend
{
    // TurboJPEG handles are not thread-safe; one per thread, released by its finalizer when the thread ends.
    [ThreadStatic]
    private static TurboJpegHandle? t_jpeg;

    private readonly Lazy<string?> _loadError;

    private readonly ImageCodecBackend _fallback;

    /// <param name="fallback">Encodes, and decodes what the libraries would not decode as OpenCV does.</param>
    public SystemBackend(ImageCodecBackend fallback)
    {
        _fallback = fallback;
        _loadError = new(Probe);
    }

    public override ImageCodecKind Kind => ImageCodecKind.SystemLibraries;

    public override string Name => IsAvailable
        ? $"libjpeg-turbo ({TurboJpegNative.Library}) and libpng {PngVersion()} ({LibPngNative.Library}), system libraries; PNG encoding and 16-bit or gamma-tagged PNGs: {_fallback.Name}"
        : $"libjpeg-turbo ({TurboJpegNative.Library}) and libpng ({LibPngNative.Library}), system libraries";

    public override string? UnavailableReason => _loadError.Value;

    internal override (int Width, int Height, int Channels) DecodePixels(ReadOnlySpan<byte> encoded, ImageHeader header, ref byte[] pixels, bool exactSize)
        => header.Format == ImageFormat.Jpeg ? DecodeJpeg(encoded, header, ref pixels, exactSize) : DecodePng(encoded, header, ref pixels, exactSize);

    private protected override byte[] EncodePngCore(ReadOnlySpan<byte> pixels, int width, int height, int channels)
        => _fallback.EncodePng(pixels, width, height, channels);

    private protected override byte[] EncodeJpegCore(ReadOnlySpan<byte> pixels, int width, int height, int channels, int quality)
        => _fallback.EncodeJpeg(pixels, width, height, channels, quality);

    private unsafe (int Width, int Height, int Channels) DecodeJpeg(ReadOnlySpan<byte> encoded, ImageHeader header, ref byte[] pixels, bool exactSize)
    {
        var tj = t_jpeg ??= NewDecompressor();
        fixed (byte* src = encoded)
        {
            if (TurboJpegNative.DecompressHeader(tj, src, (nuint)encoded.Length, out int width, out int height, out _, out int colorspace) != 0)
            {
                throw JpegError(encoded.Length);
            }
            if (colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck)
            {
                return _fallback.DecodePixels(encoded, header, ref pixels, exactSize);
            }
            CheckSize(width, height, header);
            int channels = colorspace == TurboJpegNative.ColorspaceGray ? 1 : 3;
            EnsureSize(ref pixels, width * height * channels, exactSize);
            int format = channels == 1 ? TurboJpegNative.PixelFormatGray : TurboJpegNative.PixelFormatBgr;
            fixed (byte* dst = pixels)
            {
                // A warning (corrupt or short scan data, padded as OpenCV's libjpeg pads it) still decodes the frame.
                if (TurboJpegNative.Decompress(tj, src, (nuint)encoded.Length, dst, width, width * channels, height, format, 0) != 0
                    && TurboJpegNative.ErrorCode(tj) != TurboJpegNative.ErrorWarning)
                {
                    throw JpegError(encoded.Length);
                }
            }
            return (width, height, channels);
        }
    }

    private unsafe (int Width, int Height, int Channels) DecodePng(ReadOnlySpan<byte> encoded, ImageHeader header, ref byte[] pixels, bool exactSize)
    {
        if (!PngChunks.DecodesAsOpenCv(encoded))
        {
            return _fallback.DecodePixels(encoded, header, ref pixels, exactSize);
        }
        var image = new PngImage { Version = LibPngNative.ImageVersion };
        fixed (byte* src = encoded)
        {
            try
            {
                if (LibPngNative.BeginReadFromMemory(&image, src, (nuint)encoded.Length) == 0)
                {
                    throw PngError(&image, encoded.Length);
                }
                int width = (int)image.Width, height = (int)image.Height;
                CheckSize(width, height, header);
                // Grey stays grey; grey with alpha becomes BGR, as on the OpenCV path. Alpha is dropped, not composited.
                bool alpha = (image.Format & LibPngNative.FormatFlagAlpha) != 0;
                int channels = (image.Format & (LibPngNative.FormatFlagColor | LibPngNative.FormatFlagAlpha)) != 0 ? 3 : 1;
                image.Format = (channels == 3 ? LibPngNative.FormatFlagColor | LibPngNative.FormatFlagBgr : 0) | (alpha ? LibPngNative.FormatFlagAlpha : 0);
                EnsureSize(ref pixels, width * height * channels, exactSize);
                if (!alpha)
                {
                    fixed (byte* dst = pixels)
                    {
                        Finish(&image, dst, width * channels, encoded.Length);
                    }
                    return (width, height, channels);
                }
                byte[] bgra = ArrayPool<byte>.Shared.Rent(width * height * 4);
                try
                {
                    fixed (byte* dst = bgra)
                    {
                        Finish(&image, dst, width * 4, encoded.Length);
                    }
                    DropAlpha(bgra.AsSpan(0, width * height * 4), pixels.AsSpan(0, width * height * 3));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(bgra);
                }
                return (width, height, channels);
            }
            finally
            {
                LibPngNative.Free(&image); // after an error too; a second free is a no-op
            }
        }
    }

    private static unsafe void Finish(PngImage* image, byte* buffer, int rowStride, int encodedLength)
    {
        if (LibPngNative.FinishRead(image, null, buffer, rowStride, null) == 0)
        {
            throw PngError(image, encodedLength);
        }
    }

    private static void DropAlpha(ReadOnlySpan<byte> bgra, Span<byte> bgr)
    {
        for (int i = 0, o = 0; o < bgr.Length; i += 4, o += 3)
        {
            bgr[o] = bgra[i];
            bgr[o + 1] = bgra[i + 1];
            bgr[o + 2] = bgra[i + 2];
        }
    }

    private static TurboJpegHandle NewDecompressor()
    {
        var handle = TurboJpegNative.InitDecompress();
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new InvalidDataException("libjpeg-turbo could not create a decompressor (tjInitDecompress failed)");
        }
        return handle;
    }

    /// <summary>
    /// The error of this thread's decompressor, which is then replaced: TurboJPEG 2.x leaves the libjpeg state
    /// mid-read after an error, and the next header read through the same handle returns 0x0.
    /// </summary>
    private static InvalidDataException JpegError(int length)
    {
        var tj = t_jpeg!;
        t_jpeg = null;
        string why = Marshal.PtrToStringUTF8(TurboJpegNative.ErrorText(tj)) ?? "libjpeg-turbo error";
        tj.Dispose();
        return new InvalidDataException($"compressed image of {length} bytes is not a decodable JPEG ({why})");
    }

    private static unsafe InvalidDataException PngError(PngImage* image, int length)
        => new($"compressed image of {length} bytes is not a decodable PNG ({Marshal.PtrToStringUTF8((nint)image->Message) ?? "libpng error"})");

    private static string PngVersion()
    {
        uint v = LibPngNative.VersionNumber(); // e.g. 10639 for 1.6.39
        return $"{v / 10000}.{v / 100 % 100}.{v % 100}";
    }

    /// <summary>
    /// Why the libraries cannot be used, or null: each must load by soname and have the functions used, and libpng must
    /// decode a known PNG. That last check is for x64 processes that also load OpenCV: libOpenCvSharpExtern.so carries
    /// and exports its own libpng, and a system libpng first loaded as its dependency (through GTK) has its internal
    /// calls bound to that other version, which misreads the image. <see cref="ImageCodec"/> probes before OpenCV loads.
    /// </summary>
    private string? Probe()
    {
        var missing = new List<string>();
        Check(TurboJpegNative.Library, "libturbojpeg0", missing, "tjInitDecompress", "tjDecompressHeader3", "tjDecompress2", "tjGetErrorStr2", "tjGetErrorCode");
        Check(LibPngNative.Library, "libpng16-16", missing, "png_image_begin_read_from_memory", "png_image_finish_read", "png_image_free", "png_access_version_number");
        if (missing.Count > 0)
        {
            return string.Join("; ", missing);
        }
        byte[] pixels = [];
        try
        {
            var header = ImageHeader.Read(KnownPng);
            if (DecodePng(KnownPng, header, ref pixels, exactSize: true) == (2, 1, 3) && pixels.AsSpan().SequenceEqual(KnownPngBgr))
            {
                return null;
            }
        }
        catch (InvalidDataException)
        {
        }
        return $"{LibPngNative.Library} misread a known 2x1 PNG (in a process that loaded OpenCV first, OpenCV's own libpng takes over its calls)";
    }

    // 2x1 RGB, pixels (1, 2, 3) and (250, 128, 7), no gAMA: the self-test of Probe.
    private static ReadOnlySpan<byte> KnownPng =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7B, 0x40, 0xE8, 0xDD, 0x00, 0x00, 0x00, 0x0F, 0x49, 0x44, 0x41,
        0x54, 0x78, 0xDA, 0x63, 0x60, 0x64, 0x62, 0xFE, 0xD5, 0xC0, 0x0E, 0x00, 0x04, 0x18, 0x01, 0x88, 0xAE, 0xF1, 0xF7, 0x4F,
        0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    private static ReadOnlySpan<byte> KnownPngBgr => [3, 2, 1, 7, 128, 250];

    private static void Check(string library, string package, List<string> missing, params string[] functions)
    {
        if (!NativeLibrary.TryLoad(library, out nint handle))
        {
            missing.Add($"{library} is not installed (Debian/Ubuntu package {package})");
            return;
        }
        var absent = functions.Where(f => !NativeLibrary.TryGetExport(handle, f, out _)).ToList();
        if (absent.Count > 0)
        {
            // TurboJPEG before 2.0 (Ubuntu 18.04, JetPack 4) lacks tjGetErrorStr2 and tjGetErrorCode.
            missing.Add($"{library} lacks {string.Join(", ", absent)} (too old)");
        }
    }
}

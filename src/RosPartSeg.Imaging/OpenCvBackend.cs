using System.Runtime.InteropServices;
using OpenCvSharp;

namespace RosPartSeg.Imaging;

/// <summary>
/// JPEG and PNG through OpenCV (libjpeg-turbo, libpng inside OpenCvSharp's runtime), decoding through
/// <see cref="OpenCvNative"/> so that a warm <see cref="ImageDecoder"/> allocates nothing on the managed heap.
/// The runtime ships for linux-x64 only; <see cref="UnavailableReason"/> says why it did not load elsewhere.
/// </summary>
internal sealed class OpenCvBackend : ImageCodecBackend
{
    private const int ImreadUnchanged = -1;
    private readonly Lazy<string?> _loadError = new(Probe);

    public override ImageCodecKind Kind => ImageCodecKind.OpenCv;

    public override string Name => "OpenCV " + Cv2.GetVersionString() + " (OpenCvSharp native runtime)";

    public override string? UnavailableReason => _loadError.Value;

    internal override unsafe (int Width, int Height, int Channels) DecodePixels(ReadOnlySpan<byte> encoded, ImageHeader header, ref byte[] pixels, bool exactSize)
    {
        nint mat;
        fixed (byte* p = encoded)
        {
            Check(OpenCvNative.ImDecode(p, encoded.Length, ImreadUnchanged, out mat));
        }
        try
        {
            Check(OpenCvNative.MatRows(mat, out int rows));
            Check(OpenCvNative.MatCols(mat, out int cols));
            if (rows <= 0 || cols <= 0)
            {
                throw new InvalidDataException($"compressed image of {encoded.Length} bytes is not a decodable JPEG or PNG");
            }
            CheckSize(cols, rows, header);
            Check(OpenCvNative.MatType(mat, out int type));
            Check(OpenCvNative.MatData(mat, out nint data));
            Check(OpenCvNative.MatStep(mat, out nint step));
            int depth = type & 7, inChannels = (type >> 3) + 1;
            if (depth is not (0 or 2) || inChannels is not (1 or 3 or 4))
            {
                throw new InvalidDataException($"compressed image decoded to an unsupported pixel type ({inChannels} channels, OpenCV depth {depth})");
            }
            int outChannels = inChannels == 1 ? 1 : 3;
            EnsureSize(ref pixels, cols * rows * outChannels, exactSize);
            for (int y = 0; y < rows; y++)
            {
                var dst = pixels.AsSpan(y * cols * outChannels, cols * outChannels);
                byte* row = (byte*)data + (y * (long)step);
                if (depth == 0)
                {
                    ConvertRow(new ReadOnlySpan<byte>(row, cols * inChannels), inChannels, dst);
                }
                else
                {
                    ConvertRow(new ReadOnlySpan<ushort>(row, cols * inChannels), inChannels, dst);
                }
            }
            return (cols, rows, outChannels);
        }
        finally
        {
            _ = OpenCvNative.MatDelete(mat);
        }
    }

    private protected override byte[] EncodePngCore(ReadOnlySpan<byte> pixels, int width, int height, int channels)
        => Encode(".png", pixels, width, height, channels);

    private protected override byte[] EncodeJpegCore(ReadOnlySpan<byte> pixels, int width, int height, int channels, int quality)
        => Encode(".jpg", pixels, width, height, channels, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));

    private static unsafe byte[] Encode(string ext, ReadOnlySpan<byte> pixels, int width, int height, int channels, params ImageEncodingParam[] prms)
    {
        fixed (byte* p = pixels)
        {
            using var wrapped = Mat.FromPixelData(height, width, channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3, (IntPtr)p);
            if (channels == 1)
            {
                return wrapped.ImEncode(ext, prms);
            }
            // OpenCV encoders expect BGR.
            using var bgr = new Mat();
            Cv2.CvtColor(wrapped, bgr, ColorConversionCodes.RGB2BGR);
            return bgr.ImEncode(ext, prms);
        }
    }

    // BGR(A) keeps B, G, R; grey stays grey.
    private static void ConvertRow(ReadOnlySpan<byte> src, int inChannels, Span<byte> dst)
    {
        if (inChannels != 4)
        {
            src.CopyTo(dst);
            return;
        }
        for (int i = 0, o = 0; i < src.Length; i += 4, o += 3)
        {
            dst[o] = src[i];
            dst[o + 1] = src[i + 1];
            dst[o + 2] = src[i + 2];
        }
    }

    // 16-bit samples to 8 bits, rounded (as OpenCV's convertTo with scale 1/256).
    private static void ConvertRow(ReadOnlySpan<ushort> src, int inChannels, Span<byte> dst)
    {
        int keep = inChannels == 4 ? 3 : inChannels;
        for (int i = 0, o = 0; i < src.Length; i += inChannels)
        {
            for (int c = 0; c < keep; c++)
            {
                dst[o++] = (byte)Math.Min(255, (src[i + c] + 128) >> 8);
            }
        }
    }

    private static void Check(int status)
    {
        if (status != 0)
        {
            throw new InvalidDataException($"OpenCV failed while decoding a compressed image (status {status})");
        }
    }

    private static string? Probe()
    {
        try
        {
            using var m = new Mat(1, 1, MatType.CV_8UC3);
            return m.Empty() ? "OpenCV returned an empty matrix" : null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            return UnavailableMessage(OperatingSystem.IsLinux(), RuntimeInformation.ProcessArchitecture, Core.ErrorText.FirstLine(e.InnerException?.Message ?? e.Message));
        }
    }

    /// <summary>Why OpenCV did not load, for the platform it failed on, with the loader's first line.</summary>
    private static string UnavailableMessage(bool linux, Architecture architecture, string cause)
    {
        // OpenCvSharp4.official.runtime has a native library for linux-x64 only: elsewhere nothing can be installed.
        string platform = (linux ? "linux-" : "non-Linux ") + architecture.ToString().ToLowerInvariant();
        return linux && architecture == Architecture.X64
            ? $"OpenCV's native runtime could not be loaded (it needs GTK 3; Debian: 'apt-get install libgtk-3-0'). Cause: {cause}"
            : $"this is {platform}, for which OpenCvSharp ships no native runtime (linux-x64 only)";
    }
}

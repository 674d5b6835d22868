using System.Runtime.InteropServices;
using OpenCvSharp;
using RosPartSeg.Core.Frames;

namespace RosPartSeg.Imaging;

/// <summary>A decoded image: packed bgr8 (or mono8 when <see cref="Channels"/> is 1).</summary>
public sealed record DecodedImage(int Width, int Height, int Channels, byte[] Pixels)
{
    /// <summary>A frame over the pixels (no copy).</summary>
    public ImageFrame ToFrame(Timestamp stamp = default, string frameId = "")
        => ImageFrame.Packed(Width, Height, Channels == 1 ? PixelEncoding.Mono8 : PixelEncoding.Bgr8, Pixels, stamp, frameId);
}

/// <summary>
/// JPEG and PNG through OpenCV. Only used off the per-frame path of the live node (files, bags, compressed
/// topics). OpenCV's native runtime ships for linux-x64 only: <see cref="IsAvailable"/> tells, and every entry
/// point throws <see cref="CodecUnavailableException"/> saying what is missing (and what to install, where anything can be).
/// </summary>
public static class ImageCodec
{
    private static readonly Lazy<string?> LoadError = new(Probe);

    /// <summary>Whether OpenCV's native library loaded.</summary>
    public static bool IsAvailable => LoadError.Value is null;

    /// <summary>Why OpenCV is unavailable, or null.</summary>
    public static string? UnavailableReason => LoadError.Value;

    /// <summary>
    /// Decodes JPEG or PNG bytes to packed bgr8 (colour) or mono8 (grey PNG/JPEG). The size is read from the header
    /// first: more than <see cref="ImageFrame.MaxSide"/> on a side is a <see cref="FrameException"/>
    /// (<see cref="FrameError.TooLarge"/>) before anything is decoded; other formats are an <see cref="InvalidDataException"/>.
    /// </summary>
    public static DecodedImage Decode(ReadOnlySpan<byte> encoded)
    {
        EnsureAvailable();
        byte[] pixels = [];
        var (width, height, channels) = ImageDecoder.DecodeInto(encoded, ref pixels, exactSize: true);
        return new DecodedImage(width, height, channels, pixels);
    }

    /// <summary>Reads and decodes an image file.</summary>
    public static DecodedImage Read(string path) => Decode(File.ReadAllBytes(path));

    /// <summary>Encodes packed pixels (1 channel, or 3 in RGB order) as PNG.</summary>
    public static byte[] EncodePng(ReadOnlySpan<byte> pixels, int width, int height, int channels) => Encode(".png", pixels, width, height, channels);

    /// <summary>Encodes packed pixels (1 channel, or 3 in RGB order) as JPEG.</summary>
    public static byte[] EncodeJpeg(ReadOnlySpan<byte> pixels, int width, int height, int channels, int quality = 90)
        => Encode(".jpg", pixels, width, height, channels, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));

    private static unsafe byte[] Encode(string ext, ReadOnlySpan<byte> pixels, int width, int height, int channels, params ImageEncodingParam[] prms)
    {
        EnsureAvailable();
        if (channels is not (1 or 3) || pixels.Length < width * height * channels)
        {
            throw new ArgumentException($"need {width}x{height}x{channels} bytes (1 or 3 channels), got {pixels.Length}");
        }
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

    internal static unsafe void CopyOut(Mat mat, byte[] pixels)
    {
        int rowBytes = mat.Width * mat.Channels();
        int height = mat.Height;
        for (int y = 0; y < height; y++)
        {
            new ReadOnlySpan<byte>((void*)mat.Ptr(y), rowBytes).CopyTo(pixels.AsSpan(y * rowBytes, rowBytes));
        }
    }

    internal static void EnsureAvailable()
    {
        if (LoadError.Value is { } why)
        {
            throw new CodecUnavailableException(why);
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

    /// <summary>What to tell the user when OpenCV did not load, for the platform it failed on, with the loader's first line.</summary>
    private static string UnavailableMessage(bool linux, Architecture architecture, string cause)
    {
        const string what = "JPEG/PNG files, compressed images and videos are unavailable here; raw sensor_msgs/Image " +
                            "(the node, 'rospartseg process' on raw topics) works without them.";
        // OpenCvSharp4.official.runtime has a native library for linux-x64 only: elsewhere nothing can be installed.
        string platform = (linux ? "linux-" : "non-Linux ") + architecture.ToString().ToLowerInvariant();
        return linux && architecture == Architecture.X64
            ? $"OpenCV's native runtime could not be loaded, so {what} It needs GTK 3 (Debian: 'apt-get install libgtk-3-0'). Cause: {cause}"
            : $"this is {platform}, for which OpenCvSharp ships no native runtime (linux-x64 only), so {what}";
    }
}

/// <summary>Image codecs are unavailable on this machine; the message says what to install.</summary>
public sealed class CodecUnavailableException : Exception
{
    public CodecUnavailableException() { }

    public CodecUnavailableException(string message) : base(message) { }

    public CodecUnavailableException(string message, Exception inner) : base(message, inner) { }
}

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
/// JPEG and PNG for files, bags and the node's compressed input, through the one library this process chose
/// (<see cref="Backend"/>, the only place that chooses): OpenCV where its native runtime loads (linux-x64), else the
/// system's libjpeg-turbo and libpng where both load (linux-arm64, Jetson), else the managed
/// StbImageSharp/StbImageWriteSharp. <c>ROSPARTSEG_IMAGE_CODEC=opencv|system|managed</c> overrides the choice (tests
/// and the arm64 check use it to run the other paths on x64). <see cref="Description"/> is the log line naming it.
/// </summary>
public static class ImageCodec
{
    /// <summary>The environment variable that overrides the choice: <c>auto</c> (default), <c>opencv</c>, <c>system</c> or <c>managed</c>.</summary>
    public const string EnvironmentVariable = "ROSPARTSEG_IMAGE_CODEC";

    // Static fields start in the order written: the system libraries are probed (loaded) before anything here can
    // load OpenCV, whose own libpng would otherwise take over the system libpng's calls (SystemBackend.Probe).

    /// <summary>The managed codec (every platform).</summary>
    public static ImageCodecBackend Managed { get; } = new ManagedBackend();

    /// <summary>The system's libjpeg-turbo and libpng (where installed), the managed codec for what they leave.</summary>
    public static ImageCodecBackend SystemLibraries { get; } = new SystemBackend(Managed);

    private static readonly string? SystemProbedFirst = SystemLibraries.UnavailableReason;

    /// <summary>OpenCV through OpenCvSharp (linux-x64 only).</summary>
    public static ImageCodecBackend OpenCv { get; } = new OpenCvBackend();

    private static readonly Lazy<ImageCodecBackend> Chosen = new(() => Choose(Environment.GetEnvironmentVariable(EnvironmentVariable), OpenCv, SystemLibraries));

    /// <summary>The library this process uses.</summary>
    public static ImageCodecBackend Backend => Chosen.Value;

    /// <summary>Whether the chosen library can run (false only when <c>opencv</c> or <c>system</c> was asked for and does not load).</summary>
    public static bool IsAvailable => Backend.IsAvailable;

    /// <summary>Why the chosen library cannot run, or null.</summary>
    public static string? UnavailableReason => Backend.UnavailableReason is { } why
        ? $"{why}, and {EnvironmentVariable}={Normalise(Environment.GetEnvironmentVariable(EnvironmentVariable))} asks for it, so JPEG/PNG files and compressed images are unavailable; unset it to use another codec"
        : null;

    /// <summary>The log line naming the library and why it was chosen.</summary>
    public static string Description => Describe(Backend, Environment.GetEnvironmentVariable(EnvironmentVariable), OpenCv.UnavailableReason,
        Backend.Kind == ImageCodecKind.Managed ? SystemLibraries.UnavailableReason : null);

    /// <summary>
    /// OpenCV, else the system libraries, else the managed codec, unless asked otherwise; an unknown setting counts as
    /// <c>auto</c> (<see cref="Describe"/> says so).
    /// </summary>
    internal static ImageCodecBackend Choose(string? setting, ImageCodecBackend openCv, ImageCodecBackend systemLibraries) => Normalise(setting) switch
    {
        "opencv" => openCv,
        "system" => systemLibraries,
        "managed" => Managed,
        _ => openCv.IsAvailable ? openCv : systemLibraries.IsAvailable ? systemLibraries : Managed,
    };

    internal static string Describe(ImageCodecBackend backend, string? setting, string? openCvUnavailable, string? systemUnavailable = null)
    {
        string why = Normalise(setting) switch
        {
            "opencv" or "system" or "managed" => $"{EnvironmentVariable}={Normalise(setting)}",
            "" or "auto" => backend.Kind switch
            {
                ImageCodecKind.OpenCv => "its native runtime loads",
                ImageCodecKind.SystemLibraries => (openCvUnavailable ?? "OpenCV unavailable") + "; the system's libjpeg-turbo and libpng load",
                _ => (openCvUnavailable ?? "OpenCV unavailable") + (systemUnavailable is null ? "" : "; " + systemUnavailable),
            },
            _ => $"{EnvironmentVariable}='{setting}' is not auto, opencv, system or managed; ignored",
        };
        return $"image codec: {backend.Name}; {why}";
    }

    private static string Normalise(string? setting) => (setting ?? "").Trim().ToLowerInvariant();

    /// <summary>
    /// Decodes JPEG or PNG bytes to packed bgr8 (colour) or mono8 (grey PNG/JPEG). The size is read from the header
    /// first: more than <see cref="ImageFrame.MaxSide"/> on a side is a <see cref="FrameException"/>
    /// (<see cref="FrameError.TooLarge"/>) before anything is decoded; other formats are an <see cref="InvalidDataException"/>.
    /// </summary>
    public static DecodedImage Decode(ReadOnlySpan<byte> encoded) => Backend.Decode(encoded);

    /// <summary>Reads and decodes an image file.</summary>
    public static DecodedImage Read(string path) => Decode(File.ReadAllBytes(path));

    /// <summary>Encodes packed pixels (1 channel, or 3 in RGB order) as PNG.</summary>
    public static byte[] EncodePng(ReadOnlySpan<byte> pixels, int width, int height, int channels) => Backend.EncodePng(pixels, width, height, channels);

    /// <summary>Encodes packed pixels (1 channel, or 3 in RGB order) as JPEG.</summary>
    public static byte[] EncodeJpeg(ReadOnlySpan<byte> pixels, int width, int height, int channels, int quality = 90)
        => Backend.EncodeJpeg(pixels, width, height, channels, quality);

    internal static unsafe void CopyOut(OpenCvSharp.Mat mat, byte[] pixels)
    {
        int rowBytes = mat.Width * mat.Channels();
        int height = mat.Height;
        for (int y = 0; y < height; y++)
        {
            new ReadOnlySpan<byte>((void*)mat.Ptr(y), rowBytes).CopyTo(pixels.AsSpan(y * rowBytes, rowBytes));
        }
    }
}

/// <summary>Image codecs are unavailable on this machine; the message says what to install.</summary>
public sealed class CodecUnavailableException : Exception
{
    public CodecUnavailableException() { }

    public CodecUnavailableException(string message) : base(message) { }

    public CodecUnavailableException(string message, Exception inner) : base(message, inner) { }
}

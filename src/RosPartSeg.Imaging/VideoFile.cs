using OpenCvSharp;

namespace RosPartSeg.Imaging;

/// <summary>
/// Frames of a video file, decoded by the FFmpeg inside OpenCV's runtime (no system FFmpeg needed). Used to make the
/// demo bag from a clip; OpenCV only (the managed codec has no video); never on the per-frame path of the node.
/// </summary>
public sealed class VideoFile : IDisposable
{
    private readonly VideoCapture _capture;

    private VideoFile(VideoCapture capture, string path)
    {
        _capture = capture;
        Path = path;
        FramesPerSecond = capture.Fps;
        Width = capture.FrameWidth;
        Height = capture.FrameHeight;
    }

    public string Path { get; }

    /// <summary>The container's frame rate (0 when it states none).</summary>
    public double FramesPerSecond { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Opens <paramref name="path"/>; throws <see cref="InvalidDataException"/> when it is not a video OpenCV can decode.</summary>
    public static VideoFile Open(string path)
    {
        // Video stays OpenCV's (FFmpeg inside its runtime): the managed codec reads still images only.
        if (ImageCodec.OpenCv.UnavailableReason is { } why)
        {
            throw new CodecUnavailableException($"{why}, so video files cannot be read here (JPEG/PNG photos and bags can)");
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"video '{path}' does not exist", path);
        }
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened() || capture.FrameWidth <= 0 || capture.FrameHeight <= 0)
        {
            capture.Dispose();
            throw new InvalidDataException($"'{path}' is not a video that OpenCV's FFmpeg can decode");
        }
        return new VideoFile(capture, path);
    }

    /// <summary>The next frame as packed bgr8, or null at the end of the file.</summary>
    public DecodedImage? ReadFrame()
    {
        using var mat = new Mat();
        if (!_capture.Read(mat) || mat.Empty())
        {
            return null;
        }
        if (mat.Type() != MatType.CV_8UC3)
        {
            throw new InvalidDataException($"'{Path}' decodes to {mat.Type()} frames, not 8-bit BGR");
        }
        var pixels = new byte[mat.Width * mat.Height * 3];
        ImageCodec.CopyOut(mat, pixels);
        return new DecodedImage(mat.Width, mat.Height, 3, pixels);
    }

    public void Dispose() => _capture.Dispose();
}

using OpenCvSharp;
using RosPartSeg.Imaging;

namespace RosPartSeg.Core.Tests;

public sealed class VideoFileTests : IDisposable
{
    private readonly DirectoryInfo _tmp = Directory.CreateTempSubdirectory("rospartseg-video-");

    /// <summary>Writes an MJPEG .avi of <paramref name="frames"/> flat grey frames (level 20 x index) at <paramref name="fps"/>.</summary>
    internal static string WriteGreyClip(string path, int frames, double fps, int width = 64, int height = 48)
    {
        using (var writer = new VideoWriter(path, FourCC.MJPG, fps, new Size(width, height)))
        {
            Assert.True(writer.IsOpened(), "OpenCV could not open an MJPEG writer");
            for (int i = 0; i < frames; i++)
            {
                using var mat = new Mat(height, width, MatType.CV_8UC3, Scalar.All(20 * i));
                writer.Write(mat);
            }
        }
        return path;
    }

    [Fact]
    public void ReadsEveryFrameWithTheContainersRateAndSize()
    {
        string clip = WriteGreyClip(Path.Combine(_tmp.FullName, "grey.avi"), frames: 6, fps: 10);
        using var video = VideoFile.Open(clip);
        Assert.Equal(10, video.FramesPerSecond, 3);
        Assert.Equal((64, 48), (video.Width, video.Height));
        for (int i = 0; i < 6; i++)
        {
            var frame = video.ReadFrame();
            Assert.NotNull(frame);
            Assert.Equal((64, 48, 3), (frame.Width, frame.Height, frame.Channels));
            Assert.InRange(frame.Pixels.Average(b => (double)b), (20 * i) - 3, (20 * i) + 3);
        }
        Assert.Null(video.ReadFrame());
    }

    [Fact]
    public void MissingAndNonVideoFilesAreClearErrors()
    {
        Assert.Throws<FileNotFoundException>(() => VideoFile.Open(Path.Combine(_tmp.FullName, "none.avi")));
        string text = Path.Combine(_tmp.FullName, "text.avi");
        File.WriteAllText(text, "not a video at all");
        var e = Assert.Throws<InvalidDataException>(() => VideoFile.Open(text));
        Assert.Contains("text.avi", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _tmp.Delete(recursive: true);
}

using OpenCvSharp;
using RosPartSeg.Cli.Offline;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Bags.Tests;

/// <summary>The demo bag from a video: its first seconds, at the video's own frame rate, on the raw and JPEG topics.</summary>
public class SampleBagTests
{
    private static void WriteClip(string path, int frames, double fps)
    {
        using var writer = new VideoWriter(path, FourCC.MJPG, fps, new Size(160, 120));
        Assert.True(writer.IsOpened(), "OpenCV could not open an MJPEG writer");
        for (int i = 0; i < frames; i++)
        {
            using var mat = new Mat(120, 160, MatType.CV_8UC3, Scalar.All(10 * i));
            writer.Write(mat);
        }
    }

    [Fact]
    public void A_video_gives_its_first_seconds_at_its_own_frame_rate()
    {
        using var dir = new TempDir();
        WriteClip(dir.File("clip.avi"), frames: 20, fps: 25);
        int frames = SampleBag.FromVideo(dir.File("clip.avi"), dir.File("bag"), seconds: 0.2);
        Assert.Equal(5, frames);

        using var bag = BagReader.Open(dir.File("bag"));
        var raw = bag.ReadMessages(t => t.Name == SampleBag.RawTopic).Select(m => (m.LogTime, Data: m.Data.ToArray())).ToList();
        Assert.Equal(5, raw.Count);
        Assert.Equal(5UL, bag.Info.Topics.Single(t => t.Topic.Name == SampleBag.CompressedTopic).MessageCount);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => SampleBag.StartNanoseconds + (i * 40_000_000L)), raw.Select(r => r.LogTime));
        var last = ImageMessages.DecodeFrame(raw[4].Data);
        Assert.Equal((SampleBag.Width, SampleBag.Height, SampleBag.FrameId), (last.Width, last.Height, last.FrameId));
        Assert.InRange(last.Data.ToArray().Average(b => (double)b), 37, 43); // the fifth frame, grey level 40
    }

    [Fact]
    public void A_file_that_is_not_a_video_is_a_clear_error_and_writes_nothing()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("clip.avi"), "no video here");
        var e = Assert.Throws<InvalidDataException>(() => SampleBag.FromVideo(dir.File("clip.avi"), dir.File("bag"), seconds: 1));
        Assert.Contains("clip.avi", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("bag")));
    }
}

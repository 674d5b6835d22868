using RosPartSeg.Cli.Offline;
using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Bags.Tests;

/// <summary>compare-labels: pixels counted exactly, and bags that do not pair up refused instead of compared.</summary>
public sealed class LabelAgreementTests : IDisposable
{
    private const int Width = 8, Height = 4;
    private readonly TempDir _dir = new();

    [Fact]
    public void IdenticalLabelsAgreeOnEveryPixel()
    {
        string a = Write("a", Labels(0), Labels(1));
        string b = Write("b", Labels(0), Labels(1));
        var s = LabelAgreement.Compare(a, b);
        Assert.Equal((2, 64L, 64L, 1.0), (s.Frames.Count, s.Pixels, s.Agreeing, s.Share));
    }

    [Fact]
    public void CountsEachDifferingPixelInItsFrame()
    {
        var changed = Labels(1);
        changed[5] ^= 1;
        changed[30] ^= 2;
        var s = LabelAgreement.Compare(Write("a", Labels(0), Labels(1)), Write("b", Labels(0), changed));
        Assert.Equal([32L, 30L], s.Frames.Select(f => f.Agreeing));
        Assert.Equal(62.0 / 64, s.Share, 12);
        Assert.Equal(new Timestamp(11, 0), s.Frames[1].Stamp);
    }

    [Fact]
    public void RefusesBagsWithDifferentFrameCounts()
    {
        var e = Assert.Throws<BagProcessException>(() => LabelAgreement.Compare(Write("a", Labels(0), Labels(1)), Write("b", Labels(0))));
        Assert.Contains("only 1 messages", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesFramesWithDifferentStamps()
    {
        string a = Write("a", Labels(0));
        string b = Write("b", firstSecond: 99, Labels(0));
        var e = Assert.Throws<BagProcessException>(() => LabelAgreement.Compare(a, b));
        Assert.Contains("differs in its header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesABagWithoutTheTopic()
    {
        var e = Assert.Throws<BagProcessException>(() => LabelAgreement.Compare(Write("a", Labels(0)), Write("b", Labels(0)), "/other/labels"));
        Assert.Contains("has no topic /other/labels", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static byte[] Labels(int seed) => Enumerable.Range(0, Width * Height).Select(i => (byte)((i + seed) % 9)).ToArray();

    private string Write(string name, params byte[][] frames) => Write(name, 10, frames);

    private string Write(string name, int firstSecond, params byte[][] frames)
    {
        string path = _dir.File(name);
        using var w = BagWriter.Create(path);
        int topic = w.AddTopic(new BagTopic(LabelAgreement.DefaultTopic, BagProcessor.ImageType), BagProcessor.KnownDefinition(BagProcessor.ImageType));
        var cdr = new CdrWriter();
        for (int i = 0; i < frames.Length; i++)
        {
            var stamp = new Timestamp(firstSecond + i, 0);
            ImageMessages.WriteLabels(cdr, stamp, "camera", Width, Height, frames[i]);
            w.Write(topic, stamp.TotalNanoseconds, stamp.TotalNanoseconds, cdr.WrittenSpan);
        }
        w.Complete();
        return path;
    }
}

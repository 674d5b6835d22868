using RosPartSeg.Cli.Offline;
using RosPartSeg.Imaging;

namespace RosPartSeg.Bags.Tests;

/// <summary>compare-labels on two folders of run's label PNGs: paired by name, pixels counted exactly.</summary>
public sealed class RunLabelAgreementTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Folder(string name, params (string Name, byte[] Labels)[] files)
    {
        string folder = Path.Combine(_dir.Path, name);
        Directory.CreateDirectory(folder);
        foreach (var (file, labels) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, file + RunLabelAgreement.Suffix), ImageCodec.EncodePng(labels, 8, 4, 1));
        }
        return folder;
    }

    private static byte[] Labels(int seed) => Enumerable.Range(0, 32).Select(i => (byte)((i + seed) % 9)).ToArray();

    [Fact]
    public void Counts_differing_pixels_per_photo_and_pairs_by_name()
    {
        var changed = Labels(1);
        changed[3] ^= 1;
        string a = Folder("a", ("photo", Labels(0)), ("messi5", Labels(1)));
        string b = Folder("b", ("messi5", changed), ("photo", Labels(0)));
        Assert.True(RunLabelAgreement.IsRunOutput(a));
        var s = RunLabelAgreement.Compare(a, b);
        Assert.Equal(["messi5", "photo"], s.Frames.Select(f => f.FrameId));
        Assert.Equal([31L, 32L], s.Frames.Select(f => f.Agreeing));
        Assert.Equal(63.0 / 64, s.Share);
    }

    [Fact]
    public void A_photo_missing_from_either_side_is_refused()
    {
        string a = Folder("a", ("photo", Labels(0)), ("other", Labels(0)));
        string b = Folder("b", ("photo", Labels(0)));
        Assert.Contains("has no other.labels.png", Assert.Throws<IOException>(() => RunLabelAgreement.Compare(a, b)).Message, StringComparison.Ordinal);
        Assert.Contains("holds 2 label PNGs", Assert.Throws<IOException>(() => RunLabelAgreement.Compare(b, a)).Message, StringComparison.Ordinal);
    }
}

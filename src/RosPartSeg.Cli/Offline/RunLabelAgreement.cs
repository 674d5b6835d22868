using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;

namespace RosPartSeg.Cli.Offline;

/// <summary>
/// Per-pixel agreement of the <c>NAME.labels.png</c> files two <c>rospartseg run</c>s wrote for the same photos
/// (the arm64 check compares x64's with arm64's). Pairs by file name; each name must be in both folders.
/// </summary>
public static class RunLabelAgreement
{
    public const string Suffix = ".labels.png";

    /// <summary>Whether <paramref name="folder"/> holds <c>run</c>'s outputs (label PNGs) rather than a bag.</summary>
    public static bool IsRunOutput(string folder) =>
        Directory.Exists(folder) && !File.Exists(Path.Combine(folder, "metadata.yaml")) && Directory.EnumerateFiles(folder, "*" + Suffix).Any();

    public static LabelAgreementSummary Compare(string folderA, string folderB)
    {
        var names = Directory.GetFiles(folderA, "*" + Suffix).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var frames = new List<FrameAgreement>();
        foreach (var name in names)
        {
            string other = Path.Combine(folderB, name!);
            if (!File.Exists(other))
            {
                throw new IOException($"'{folderB}' has no {name}, which '{folderA}' has");
            }
            var a = ImageCodec.Read(Path.Combine(folderA, name!));
            var b = ImageCodec.Read(other);
            if ((a.Width, a.Height, a.Channels) != (b.Width, b.Height, b.Channels) || a.Channels != 1)
            {
                throw new IOException($"{name}: {a.Width}x{a.Height}x{a.Channels} and {b.Width}x{b.Height}x{b.Channels}; label PNGs of one size and channel expected");
            }
            long same = 0;
            for (int i = 0; i < a.Pixels.Length; i++)
            {
                same += a.Pixels[i] == b.Pixels[i] ? 1 : 0;
            }
            frames.Add(new FrameAgreement(default(Timestamp), name![..^Suffix.Length], a.Pixels.Length, same));
        }
        if (Directory.GetFiles(folderB, "*" + Suffix).Length != names.Count)
        {
            throw new IOException($"'{folderB}' holds {Directory.GetFiles(folderB, "*" + Suffix).Length} label PNGs, '{folderA}' {names.Count}");
        }
        return new LabelAgreementSummary("run label PNGs", frames);
    }
}

namespace RosPartSeg.Core.Tests;

/// <summary>The demo photos tools/demo_inputs.sh copies from Debian packages into samples/debian/images (git-ignored).</summary>
internal static class DemoPhotos
{
    public static string Folder => Path.Combine(SharedData.RepoRoot, "samples", "debian", "images");

    public static IEnumerable<string> All(string pattern) =>
        Directory.Exists(Folder) ? Directory.GetFiles(Folder, pattern).Order(StringComparer.Ordinal) : [];

    /// <summary>Why a test of them is skipped (none there, outside CI), or null.</summary>
    public static string? SkipReason =>
        All("*.*").Any() || SharedData.IsCi ? null : $"needs the demo photos in {Folder}; run tools/demo_inputs.sh (under CI=true this fails instead)";
}

/// <summary>A fact over the demo photos, skipped where they are absent (never under CI).</summary>
public sealed class DemoPhotosFactAttribute : FactAttribute
{
    public DemoPhotosFactAttribute() => Skip = DemoPhotos.SkipReason;
}

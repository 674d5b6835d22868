namespace RosPartSeg.Bags.Tests;

/// <summary>The repository root and the shared fixtures (see <see cref="SharedData"/>; tests reading them are [SharedFact]).</summary>
internal static class TestPaths
{
    public static string RepoRoot => SharedData.RepoRoot;

    public static string Fixtures => SharedData.Fixtures;

    public static string Rosbag2 => Path.Combine(Fixtures, "rosbag2");

    public static string Conformance => Path.Combine(Fixtures, "mcap-conformance");
}

/// <summary>A temporary folder deleted at dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rospartseg-bags-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

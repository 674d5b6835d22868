namespace RosPartSeg.Bags.Tests;

/// <summary>Finds the repository root (folder with RosPartSeg.sln) and the shared fixtures beside it.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The shared/ folder: <c>&lt;repo&gt;/../shared</c> on CI; in a worktree it sits further up.</summary>
    public static string Shared { get; } = FindShared();

    public static string Fixtures => Path.Combine(Shared, "fixtures");

    public static string Rosbag2 => Path.Combine(Fixtures, "rosbag2");

    public static string Conformance => Path.Combine(Fixtures, "mcap-conformance");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RosPartSeg.sln")))
            {
                return dir.FullName;
            }
            dir = dir.Parent;
        }
        throw new DirectoryNotFoundException("no RosPartSeg.sln above " + AppContext.BaseDirectory);
    }

    private static string FindShared()
    {
        var dir = new DirectoryInfo(RepoRoot).Parent;
        while (dir is not null)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "fixtures")))
            {
                return candidate;
            }
            dir = dir.Parent;
        }
        throw new DirectoryNotFoundException("no shared/fixtures beside or above " + RepoRoot);
    }
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

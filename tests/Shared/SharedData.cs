namespace RosPartSeg.Tests;

/// <summary>
/// The <c>shared/</c> folder of third-party test data: a <c>shared/fixtures</c> beside the repository or beside any
/// folder above it. The repository holds no copy of it. Tests that read it are <see cref="SharedFactAttribute"/> or
/// <see cref="SharedTheoryAttribute"/>: skipped, with the reason, where it is absent; under CI (<c>CI=true</c>), where
/// it is always present, they are never skipped, so a missing folder fails them instead of hiding them.
/// <c>ROSPARTSEG_HIDE_SHARED=1</c> hides the folder (and allows the skips, also under CI): the run sees what a clone
/// alone sees, so a test that reads the folder without being marked fails there (tools/test.sh's second pass).
/// </summary>
public static class SharedData
{
    /// <summary>The variable that, set to 1, hides the shared folder from this run.</summary>
    public const string HideVariable = "ROSPARTSEG_HIDE_SHARED";

    private static readonly Lazy<string?> Found = new(() => IsHidden ? null : Find());

    /// <summary>The repository root (the folder holding RosPartSeg.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The shared folder, or null where there is none.</summary>
    public static string? Folder => Found.Value;

    /// <summary>The shared folder; throws, naming where it was looked for, when there is none.</summary>
    public static string Require() => Folder ?? throw new DirectoryNotFoundException(Missing);

    /// <summary><c>shared/fixtures</c>.</summary>
    public static string Fixtures => Path.Combine(Require(), "fixtures");

    /// <summary>A photo of people from <c>shared/fixtures/people</c>.</summary>
    public static string People(string name) => Path.Combine(Fixtures, "people", name);

    /// <summary>
    /// A connection string that opens an sqlite3 file of the shared folder read-only and immutable, as the project's
    /// own reader does: read-only alone still creates <c>-wal</c>/<c>-shm</c> files beside a WAL-mode database where
    /// the folder is writable (for root, whatever its write bits), and fails on a truly read-only mount.
    /// </summary>
    public static string SqliteReadOnly(string path) =>
        "Data Source=file:" + Uri.EscapeDataString(Path.GetFullPath(path)).Replace("%2F", "/", StringComparison.Ordinal)
        + "?immutable=1;Mode=ReadOnly;Pooling=False";

    /// <summary>Whether this run is CI (<c>CI=true</c>), where a skip for want of the shared folder is not allowed.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <see cref="HideVariable"/> hides the shared folder from this run.</summary>
    public static bool IsHidden => Environment.GetEnvironmentVariable(HideVariable) == "1";

    /// <summary>Why tests that read the shared folder are skipped, or null when they run.</summary>
    public static string? SkipReason => Folder is not null ? null
        : IsHidden ? Missing
        : IsCi ? null
        : Missing + " (under CI=true this fails instead)";

    private static string Missing => IsHidden
        ? $"needs shared/fixtures, hidden by {HideVariable}=1 (a clone alone)"
        : $"needs shared/fixtures beside {RepoRoot} or beside a folder above it; none was found";

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(RepoRoot).Parent; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "fixtures")))
            {
                return candidate;
            }
        }
        return null;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RosPartSeg.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("no RosPartSeg.sln above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that reads the shared folder: skipped where it is absent (never under CI), see <see cref="SharedData"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute() => Skip = SharedData.SkipReason;
}

/// <summary>A theory that reads the shared folder: skipped as a whole where it is absent (never under CI).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute() => Skip = SharedData.SkipReason;
}

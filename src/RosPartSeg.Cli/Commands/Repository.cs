namespace RosPartSeg.Cli.Commands;

/// <summary>Finds the samples folder and config, next to the program or in a parent folder (a source checkout).</summary>
internal static class Repository
{
    /// <summary>The first existing <paramref name="relative"/> path beside the program or the working folder, or their parents.</summary>
    public static string? Find(string relative)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate) || Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}

namespace RosPartSeg.Cli.Commands;

/// <summary>A demo input from a Debian package: its name under samples/debian, the package and where the package puts it.</summary>
internal sealed record DemoFile(string Name, string Package, string SystemPath)
{
    /// <summary>One line saying that the file is missing and how to get it.</summary>
    public string Missing => $"demo input samples/debian/{Name} is missing (Debian package {Package}): run 'bash tools/setup.sh' " +
                             $"or 'sudo apt-get install {Package}' (then {SystemPath} is used)";
}

/// <summary>
/// The inputs of <c>rospartseg run</c> without arguments: photos of people and a street video from Debian packages, which
/// <c>tools/setup.sh</c> copies into the git-ignored <c>samples/debian/</c> (licences in its SOURCES.md). A file that is not
/// there is taken from the installed package, else reported with the command that gets it. The sample bag is made from
/// the first seconds of the video on first use and kept in <c>samples/debian/sample_bag</c>.
/// </summary>
internal static class DemoInputs
{
    private const string OpenCvData = "/usr/share/doc/opencv-doc/examples/data/";
    private const string SkimageData = "/usr/lib/python3/dist-packages/skimage/data/";

    /// <summary>Seconds of the video in the sample bag.</summary>
    public const double SampleSeconds = 3;

    public static readonly DemoFile[] Photos =
    [
        new("images/messi5.jpg", "opencv-doc", OpenCvData + "messi5.jpg"),
        new("images/basketball1.png", "opencv-doc", OpenCvData + "basketball1.png"),
        new("images/basketball2.png", "opencv-doc", OpenCvData + "basketball2.png"),
        new("images/astronaut.png", "python3-skimage", SkimageData + "astronaut.png"),
        new("images/camera.png", "python3-skimage", SkimageData + "camera.png"),
    ];

    public static readonly DemoFile Video = new("vtest.avi", "opencv-doc", OpenCvData + "vtest.avi");

    /// <summary>samples/debian of the checkout, or null when no samples/ folder is found.</summary>
    public static string? Folder => Repository.Find("samples") is { } samples ? Path.Combine(samples, "debian") : null;

    /// <summary>Where <paramref name="file"/> is: samples/debian, else the installed package; null when neither has it.</summary>
    public static string? Locate(DemoFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (Folder is { } folder && File.Exists(Path.Combine(folder, file.Name)))
        {
            return Path.Combine(folder, file.Name);
        }
        return File.Exists(file.SystemPath) ? file.SystemPath : null;
    }

    /// <summary>The demo photos that are here, in the listed order; each missing one is told to <paramref name="warn"/>.</summary>
    public static List<string> FindPhotos(Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        var found = new List<string>();
        foreach (var photo in Photos)
        {
            if (Locate(photo) is { } path)
            {
                found.Add(path);
            }
            else
            {
                warn(photo.Missing);
            }
        }
        return found;
    }

    /// <summary>
    /// The sample bag under <paramref name="cacheRoot"/> (default samples/debian), made from the video first if it is not there
    /// yet; null, told to <paramref name="warn"/>, when the video is missing.
    /// </summary>
    public static string? SampleBag(Action<string> info, Action<string> warn, string? cacheRoot = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(warn);
        string? root = cacheRoot ?? Folder;
        if (root is null)
        {
            warn("no samples/ folder beside the program or the working folder; cannot keep the sample bag");
            return null;
        }
        string bag = Path.Combine(root, "sample_bag");
        if (Directory.Exists(bag))
        {
            return bag;
        }
        if (Locate(Video) is not { } video)
        {
            warn(Video.Missing);
            return null;
        }
        Directory.CreateDirectory(root);
        int frames = Offline.SampleBag.FromVideo(video, bag, SampleSeconds);
        info($"made the sample bag {bag}: {frames} frames, the first {SampleSeconds:0.#} s of {video}");
        return bag;
    }
}

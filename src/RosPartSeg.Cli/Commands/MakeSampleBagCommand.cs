using RosPartSeg.Cli.Offline;

namespace RosPartSeg.Cli.Commands;

/// <summary><c>rospartseg make-sample-bag</c>: (re)makes the sample bag from a video (default the demo vtest.avi) or photos.</summary>
internal sealed class MakeSampleBagCommand : ICliCommand
{
    public string Name => "make-sample-bag";

    public string Summary => "make the sample bag (samples/debian/sample_bag) from vtest.avi, another video or photos";

    public int Execute(string[] args)
    {
        var a = CliArgs.Parse(args, ["--video", "--seconds", "--images", "--out"]);
        if (a.Help || a.Positional.Count > 0)
        {
            Console.WriteLine("usage: rospartseg make-sample-bag [--video FILE [--seconds S] | --images DIR] [--out BAG]");
            Console.WriteLine("  Writes a small MCAP bag: each frame as a 320x240 rgb8 image on /camera/image_raw and as JPEG on");
            Console.WriteLine("  /camera/image_raw/compressed. A video gives its first S seconds (default 3) at its own frame rate;");
            Console.WriteLine("  photos are 200 ms apart. Defaults: the demo vtest.avi -> samples/debian/sample_bag (replaced).");
            return a.Help ? 0 : 2;
        }
        string output = a.Get("--out") ?? Path.Combine(DemoInputs.Folder
            ?? throw new UsageException("no samples/ folder found; pass --out BAG"), "sample_bag");
        int frames;
        if (a.Get("--images") is { } images)
        {
            frames = SampleBag.FromPhotos(images, output, overwrite: true);
        }
        else
        {
            string video = a.Get("--video") ?? DemoInputs.Locate(DemoInputs.Video) ?? throw new UsageException(DemoInputs.Video.Missing);
            double seconds = DemoInputs.SampleSeconds;
            if (a.Get("--seconds") is { } s && !(double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out seconds) && seconds > 0))
            {
                throw new UsageException($"--seconds needs a positive number, got '{s}'");
            }
            frames = SampleBag.FromVideo(video, output, seconds, overwrite: true);
        }
        Console.WriteLine($"wrote {output}: {frames} frames on {SampleBag.RawTopic} and {SampleBag.CompressedTopic}");
        return 0;
    }
}

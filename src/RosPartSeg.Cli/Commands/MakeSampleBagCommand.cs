using RosPartSeg.Cli.Offline;

namespace RosPartSeg.Cli.Commands;

/// <summary><c>rospartseg make-sample-bag</c>: regenerates samples/sample_bag from the bundled photos (for maintainers).</summary>
internal sealed class MakeSampleBagCommand : ICliCommand
{
    public string Name => "make-sample-bag";

    public string Summary => "(maintainers) rebuild samples/sample_bag from samples/images";

    public int Execute(string[] args)
    {
        var a = CliArgs.Parse(args, ["--images", "--out"]);
        if (a.Help || a.Positional.Count > 0)
        {
            Console.WriteLine("usage: rospartseg make-sample-bag [--images DIR] [--out BAG]");
            Console.WriteLine("  Writes a small MCAP bag: each photo as a 320x240 rgb8 frame on /camera/image_raw and as JPEG on");
            Console.WriteLine("  /camera/image_raw/compressed. Defaults: samples/images -> samples/sample_bag (replaced).");
            return a.Help ? 0 : 2;
        }
        string images = a.Get("--images") ?? Repository.Find(Path.Combine("samples", "images"))
            ?? throw new UsageException("samples/images was not found; pass --images DIR");
        string output = a.Get("--out") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(images))!, "sample_bag");
        int frames = SampleBag.Generate(images, output, overwrite: true);
        Console.WriteLine($"wrote {output}: {frames} frames on {SampleBag.RawTopic} and {SampleBag.CompressedTopic}");
        return 0;
    }
}

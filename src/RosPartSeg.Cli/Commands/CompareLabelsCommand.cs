using System.Globalization;
using RosPartSeg.Bags;
using RosPartSeg.Bags.Mcap;
using RosPartSeg.Cli.Offline;

namespace RosPartSeg.Cli.Commands;

/// <summary><c>rospartseg compare-labels A B</c>: the share of label pixels two processed bags agree on.</summary>
internal sealed class CompareLabelsCommand : ICliCommand
{
    public string Name => "compare-labels";

    public string Summary => "per-pixel agreement of the labels in two bags 'process' made from the same input (two machines, builds, models)";

    public int Execute(string[] args)
    {
        var a = CliArgs.Parse(args, ["--topic", "--min"]);
        if (a.Help || a.Positional.Count != 2)
        {
            Console.WriteLine("usage: rospartseg compare-labels BAG_A BAG_B [--topic T] [--min SHARE]");
            Console.WriteLine("       rospartseg compare-labels RUN_OUT_A RUN_OUT_B [--min SHARE]   (the *.labels.png of two 'run's)");
            Console.WriteLine("  Pairs the label images of the two bags in order (each pair must carry the same header and size) and");
            Console.WriteLine("  prints the share of pixels with the same class, per frame and in all.");
            Console.WriteLine($"  --topic T     the label topic (default {LabelAgreement.DefaultTopic})");
            Console.WriteLine("  --min SHARE   exit 1 when the total share is below SHARE (0 to 1, e.g. 0.995)");
            return a.Help ? 0 : 2;
        }
        var ci = CultureInfo.InvariantCulture;
        double? min = null;
        if (a.Get("--min") is { } m)
        {
            min = double.TryParse(m, NumberStyles.Float, ci, out var v) && v is >= 0 and <= 1
                ? v
                : throw new UsageException($"--min must be a share between 0 and 1 (got '{m}')");
        }
        LabelAgreementSummary s;
        try
        {
            s = RunLabelAgreement.IsRunOutput(a.Positional[0])
                ? RunLabelAgreement.Compare(a.Positional[0], a.Positional[1])
                : LabelAgreement.Compare(a.Positional[0], a.Positional[1], a.Get("--topic") ?? LabelAgreement.DefaultTopic);
        }
        catch (Exception e) when (e is BagException or BagProcessException or McapFormatException or Messages.Cdr.CdrException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"rospartseg compare-labels: {e.Message}");
            return 1;
        }
        foreach (var f in s.Frames)
        {
            Console.WriteLine(string.Create(ci, $"  {f.Stamp} {f.FrameId}: {f.Share:P2} of {f.Pixels} pixels agree"));
        }
        // Four decimals: a 99.5 % threshold must not pass on rounding.
        Console.WriteLine(string.Create(ci, $"label agreement on {s.Topic} over {s.Frames.Count} frames: {s.Share * 100:F4} % of {s.Pixels} pixels ({s.Pixels - s.Agreeing} differ)"));
        if (min is { } threshold && s.Share < threshold)
        {
            Console.Error.WriteLine(string.Create(ci, $"rospartseg compare-labels: {s.Share * 100:F4} % is below the required {threshold * 100:F2} %"));
            return 1;
        }
        return 0;
    }
}

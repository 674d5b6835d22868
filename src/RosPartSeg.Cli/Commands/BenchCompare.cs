using System.Globalization;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;

namespace RosPartSeg.Cli.Commands;

/// <summary>
/// <c>rospartseg bench --compare A B</c>: two models in one process, run in turns on the same frame, so that a
/// noisy machine slows both alike and their speed ratio holds; then the share of pixels whose labels agree on
/// photos (the demo photos, or <c>--images</c>).
/// </summary>
internal static class BenchCompare
{
    public static int Run(string modelA, string modelB, SegmenterConfig config, ImageFrame frame, int frames, int warmup,
        IReadOnlyList<string> photos)
    {
        var ci = CultureInfo.InvariantCulture;
        using var a = SegmenterFactory.Create(ForFile(config, modelA), RunCommand.Log);
        using var b = SegmenterFactory.Create(ForFile(config, modelB), RunCommand.Log);
        for (int i = 0; i < warmup; i++)
        {
            a.Process(frame);
            b.Process(frame);
        }
        var ta = new double[frames];
        var tb = new double[frames];
        var pa = new double[frames];
        var pb = new double[frames];
        for (int i = 0; i < frames; i++)
        {
            // Alternate which goes first, so neither always runs on a cache the other warmed.
            var (first, second) = i % 2 == 0 ? (a, b) : (b, a);
            first.Process(frame);
            var t1 = first.LastTimings;
            second.Process(frame);
            var t2 = second.LastTimings;
            var (sa, sb) = i % 2 == 0 ? (t1, t2) : (t2, t1);
            ta[i] = sa.InferenceMs;
            tb[i] = sb.InferenceMs;
            pa[i] = sa.OverheadMs;
            pb[i] = sb.OverheadMs;
        }
        double ma = BenchCommand.Median(ta), mb = BenchCommand.Median(tb);
        Console.WriteLine($"input {frame.Width}x{frame.Height}, network {a.Model.InputWidth}x{a.Model.InputHeight}, provider {a.Provider} / {b.Provider}, {frames} frames each, interleaved, {Environment.ProcessorCount} cores");
        Console.WriteLine(string.Format(ci, "A {0}: inference median {1:F2} ms, overhead {2:F2} ms ({3:P1} of inference)", modelA, ma, BenchCommand.Median(pa), BenchCommand.Median(pa) / ma));
        Console.WriteLine(string.Format(ci, "B {0}: inference median {1:F2} ms, overhead {2:F2} ms ({3:P1} of inference)", modelB, mb, BenchCommand.Median(pb), BenchCommand.Median(pb) / mb));
        var ratios = ta.Zip(tb, (x, y) => y / x).ToArray();
        Console.WriteLine(string.Format(ci, "B / A inference time: {0:F3} (median of per-frame ratios {1:F3})", mb / ma, BenchCommand.Median(ratios)));

        if (photos.Count == 0 || !ImageCodec.IsAvailable)
        {
            Console.WriteLine("label agreement: no photos to compare on" + (ImageCodec.IsAvailable ? "" : $" ({ImageCodec.UnavailableReason})"));
            return 0;
        }
        long same = 0, total = 0;
        foreach (var path in photos)
        {
            var image = ImageCodec.Read(path).ToFrame(frameId: Path.GetFileName(path));
            byte[] labelsA = a.Process(image, PipelineOutputs.Labels).Labels.ToArray();
            var labelsB = b.Process(image, PipelineOutputs.Labels).Labels;
            int agree = 0;
            for (int i = 0; i < labelsA.Length; i++)
            {
                agree += labelsA[i] == labelsB[i] ? 1 : 0;
            }
            same += agree;
            total += labelsA.Length;
            Console.WriteLine(string.Format(ci, "  {0}: {1:P2} of pixels agree", Path.GetFileName(path), (double)agree / labelsA.Length));
        }
        Console.WriteLine(string.Format(ci, "label agreement over {0} photos: {1:P2} of {2} pixels", photos.Count, (double)same / total, total));
        return 0;
    }

    /// <summary>The configuration with exactly this model file (never swapped for a sibling).</summary>
    public static SegmenterConfig ForFile(SegmenterConfig config, string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new UsageException($"model file '{path}' does not exist");
        }
        return config with
        {
            ModelPath = full,
            Inference = config.Inference with { Precision = null },
        };
    }
}

using System.Text.Json;
using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Imaging;

/// <summary>Writes one frame's results as files a person can open: label, colour mask and overlay PNGs and a regions JSON.</summary>
public static class ResultFiles
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The files written for one frame.</summary>
    public sealed record Written(string Labels, string ColorMask, string Overlay, string Regions);

    /// <summary>
    /// Writes <c>NAME.labels.png</c> (class id per pixel, mono8), <c>NAME.mask.png</c>, <c>NAME.overlay.png</c> and
    /// <c>NAME.regions.json</c> into <paramref name="folder"/>. The result must hold all outputs.
    /// </summary>
    public static Written Write(SegmentationResult result, string folder, string name, string source, StageTimings timings)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Produced != PipelineOutputs.All)
        {
            throw new ArgumentException("the result must hold every output (process with PipelineOutputs.All)", nameof(result));
        }
        Directory.CreateDirectory(folder);
        var written = new Written(
            Path.Combine(folder, name + ".labels.png"),
            Path.Combine(folder, name + ".mask.png"),
            Path.Combine(folder, name + ".overlay.png"),
            Path.Combine(folder, name + ".regions.json"));
        File.WriteAllBytes(written.Labels, ImageCodec.EncodePng(result.Labels, result.LabelWidth, result.LabelHeight, 1));
        File.WriteAllBytes(written.ColorMask, ImageCodec.EncodePng(result.ColorMask, result.LabelWidth, result.LabelHeight, 3));
        File.WriteAllBytes(written.Overlay, ImageCodec.EncodePng(result.Overlay, result.InputWidth, result.InputHeight, 3));
        File.WriteAllText(written.Regions, ToJson(result, source, timings));
        return written;
    }

    /// <summary>The regions and people of a result as JSON.</summary>
    public static string ToJson(SegmentationResult result, string source, StageTimings timings)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = result.ClassNames;
        var doc = new
        {
            Source = source,
            Width = result.InputWidth,
            Height = result.InputHeight,
            FrameId = result.FrameId,
            Stamp = new { Sec = result.Stamp.Seconds, Nanosec = result.Stamp.Nanoseconds },
            ClassNames = names,
            TimingsMs = new { Preprocess = timings.PreprocessMs, Inference = timings.InferenceMs, Postprocess = timings.PostprocessMs, Render = timings.RenderMs, Regions = timings.RegionsMs, Total = timings.TotalMs },
            People = result.People.ToArray().Select(p => new
            {
                p.PersonId,
                Box = new { p.Box.X, p.Box.Y, p.Box.Width, p.Box.Height },
                p.PixelCount,
                Centroid = new[] { p.CentroidX, p.CentroidY },
                p.Score,
                p.PartCount,
            }),
            Regions = result.Regions.ToArray().Select(r => new
            {
                r.ClassId,
                ClassName = names[r.ClassId],
                r.PersonId,
                Box = new { r.Box.X, r.Box.Y, r.Box.Width, r.Box.Height },
                r.PixelCount,
                Centroid = new[] { r.CentroidX, r.CentroidY },
                r.Score,
            }),
        };
        return JsonSerializer.Serialize(doc, Json);
    }
}

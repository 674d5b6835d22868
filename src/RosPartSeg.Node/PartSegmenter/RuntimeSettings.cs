using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// What the running node reads of its dynamic parameters, as one immutable snapshot: a set through the parameter
/// services makes a new one (<see cref="With"/>) and swaps it in whole, so the worker sees either all of a change
/// or none of it, and takes one reference per frame (nothing allocated on its side).
/// </summary>
public sealed record RuntimeSettings(PipelineOptions Pipeline, bool DetectionsIncludePeople, TimeSpan DiagnosticsPeriod, TimeSpan NoImageWarning)
{
    /// <summary>The settings at start: the node's parameters and the pipeline options the segmenter was built with.</summary>
    public static RuntimeSettings From(NodeSettings settings, PipelineOptions pipeline)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(pipeline, settings.DetectionsIncludePeople, settings.DiagnosticsPeriod, settings.NoImageWarning);
    }

    /// <summary>
    /// Makes the pipeline parameters report what the segmenter really uses: a <c>model_config</c> file may set them
    /// where no parameter was given, and <c>ros2 param get</c> must not show the declared default then.
    /// </summary>
    public static void ReportEffective(NodeParameters parameters, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        (string Name, object Value)[] effective =
        [
            ("overlay_alpha", (double)(decimal)options.OverlayAlpha), // decimal: the float's shortest decimal, 0.3 not 0.30000001
            ("min_person_score", (double)(decimal)options.MinPersonScore),
            ("min_region_area", (long)options.MinRegionArea),
            ("min_person_area", (long)options.MinPersonArea),
            ("label_upsampling", options.LabelUpsampling == LabelUpsampling.Nearest ? "nearest" : "bilinear"),
            ("person_grouping", options.PersonGrouping == PersonGrouping.Components ? "components" : "split"),
            ("overlay_annotations", options.OverlayAnnotations switch { OverlayAnnotations.None => "none", OverlayAnnotations.Parts => "parts", _ => "people" }),
        ];
        foreach (var (name, value) in effective)
        {
            var current = parameters.Get(name);
            // The options hold float32: 0.7 declared is 0.699999988 there, and the same value.
            bool same = current is double d ? (float)d == (float)(double)value : Equals(current, value);
            if (!same)
            {
                parameters.Store(name, value);
            }
        }
    }

    /// <summary>
    /// These settings with one dynamic parameter changed (its value already validated against its descriptor).
    /// Every descriptor marked dynamic has a case here (a test holds the table to it).
    /// </summary>
    public RuntimeSettings With(string name, object value) => name switch
    {
        "overlay_alpha" => this with { Pipeline = Pipeline with { OverlayAlpha = (float)(double)value } },
        "min_person_score" => this with { Pipeline = Pipeline with { MinPersonScore = (float)(double)value } },
        "min_region_area" => this with { Pipeline = Pipeline with { MinRegionArea = (int)(long)value } },
        "min_person_area" => this with { Pipeline = Pipeline with { MinPersonArea = (int)(long)value } },
        "label_upsampling" => this with { Pipeline = Pipeline with { LabelUpsampling = (string)value == "nearest" ? LabelUpsampling.Nearest : LabelUpsampling.Bilinear } },
        "person_grouping" => this with { Pipeline = Pipeline with { PersonGrouping = (string)value == "components" ? PersonGrouping.Components : PersonGrouping.Split } },
        "overlay_annotations" => this with
        {
            Pipeline = Pipeline with
            {
                OverlayAnnotations = (string)value switch
                {
                    "none" => OverlayAnnotations.None,
                    "parts" => OverlayAnnotations.Parts,
                    _ => OverlayAnnotations.People,
                },
            },
        },
        "detections_include_people" => this with { DetectionsIncludePeople = (bool)value },
        "diagnostics_period" => this with { DiagnosticsPeriod = TimeSpan.FromSeconds((double)value) },
        "no_image_warning" => this with { NoImageWarning = TimeSpan.FromSeconds((double)value) },
        "use_sim_time" => this, // outputs carry the input stamps: nothing reads the clock
        _ => throw new ArgumentException($"parameter '{name}' cannot change at run time", nameof(name)),
    };
}

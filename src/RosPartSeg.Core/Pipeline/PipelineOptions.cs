namespace RosPartSeg.Core.Pipeline;

/// <summary>How a frame is fitted to the network input.</summary>
public enum ResizeMode
{
    /// <summary>Scale each axis independently to fill the input (aspect ratio changes).</summary>
    Stretch,

    /// <summary>Scale uniformly to fit, pad the rest with the mean colour (aspect ratio kept).</summary>
    Letterbox,
}

/// <summary>Size of the published label image.</summary>
public enum LabelResolution
{
    /// <summary>Same size as the input image (nearest-neighbour, never blended ids).</summary>
    Input,

    /// <summary>The network's output grid.</summary>
    Network,
}

/// <summary>How labels at input size are made from the network's grid.</summary>
public enum LabelUpsampling
{
    /// <summary>Class scores interpolated between cell centres, then argmax: smooth boundaries.</summary>
    Bilinear,

    /// <summary>Each pixel takes the label of the cell under it: the cheapest, a staircase at the grid's pitch.</summary>
    Nearest,
}

/// <summary>How part pixels are grouped into people.</summary>
public enum PersonGrouping
{
    /// <summary>One person per head (or headless torso), grown along the body's structure: touching people stay apart.</summary>
    Split,

    /// <summary>One person per connected area of non-background pixels (touching people merge).</summary>
    Components,
}

/// <summary>What is drawn over the colours in the overlay.</summary>
public enum OverlayAnnotations
{
    /// <summary>Part colours only.</summary>
    None,

    /// <summary>Each person's box and id.</summary>
    People,

    /// <summary>Each person's box and id, and each part's name once per person, inside the part where it fits.</summary>
    Parts,
}

/// <summary>Which results to compute; the node skips what nobody subscribes to.</summary>
[Flags]
public enum PipelineOutputs
{
    None = 0,
    Labels = 1,
    ColorMask = 2,
    Overlay = 4,
    Regions = 8,
    All = Labels | ColorMask | Overlay | Regions,
}

/// <summary>Tunable behaviour of the pipeline, independent of the model.</summary>
public sealed record PipelineOptions
{
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;

    public LabelResolution LabelResolution { get; init; } = LabelResolution.Input;

    public LabelUpsampling LabelUpsampling { get; init; } = LabelUpsampling.Bilinear;

    public PersonGrouping PersonGrouping { get; init; } = PersonGrouping.Split;

    /// <summary>Weight of the mask colour in the overlay, 0 (input only) to 1 (mask only).</summary>
    public float OverlayAlpha { get; init; } = 0.5f;

    /// <summary>Part regions smaller than this many input pixels are dropped.</summary>
    public int MinRegionArea { get; init; } = 64;

    /// <summary>People (connected non-background areas) smaller than this many input pixels are dropped, with their parts.</summary>
    public int MinPersonArea { get; init; } = 400;

    /// <summary>
    /// People whose score (the mean probability of their pixels' classes) is below this are dropped, with their parts:
    /// most false people are background the model is unsure of. 0 keeps every person. The default is the threshold
    /// with the best F1 of person boxes on the validation split (`tools/evaluate_people.py --min-scores`).
    /// </summary>
    public float MinPersonScore { get; init; } = 0.7f;

    /// <summary>What the overlay shows besides the part colours.</summary>
    public OverlayAnnotations OverlayAnnotations { get; init; } = OverlayAnnotations.People;

    /// <summary>Which depth readings count for 3D, and how many a region needs.</summary>
    public Spatial.DepthProjectionOptions DepthProjection { get; init; } = new();

    /// <summary>The person tracker's gates and lost-track time.</summary>
    public Tracking.TrackerOptions Tracking { get; init; } = new();

    /// <summary>Checks ranges; throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        if (!(OverlayAlpha >= 0f && OverlayAlpha <= 1f))
        {
            throw new ArgumentException($"overlay_alpha must be between 0 and 1 (got {OverlayAlpha})");
        }
        if (MinRegionArea < 0)
        {
            throw new ArgumentException($"min_region_area must be 0 or more (got {MinRegionArea})");
        }
        if (MinPersonArea < 0)
        {
            throw new ArgumentException($"min_person_area must be 0 or more (got {MinPersonArea})");
        }
        if (!(MinPersonScore >= 0f && MinPersonScore <= 1f))
        {
            throw new ArgumentException($"min_person_score must be between 0 and 1 (got {MinPersonScore})");
        }
        DepthProjection.Validate();
        Tracking.Validate();
    }
}

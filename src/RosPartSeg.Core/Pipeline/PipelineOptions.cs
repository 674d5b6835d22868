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

    /// <summary>Weight of the mask colour in the overlay, 0 (input only) to 1 (mask only).</summary>
    public float OverlayAlpha { get; init; } = 0.5f;

    /// <summary>Part regions smaller than this many input pixels are dropped.</summary>
    public int MinRegionArea { get; init; } = 64;

    /// <summary>People (connected non-background areas) smaller than this many input pixels are dropped, with their parts.</summary>
    public int MinPersonArea { get; init; } = 400;

    /// <summary>Draw part and person boxes with names into the overlay.</summary>
    public bool DrawRegions { get; init; } = true;

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
    }
}

namespace RosPartSeg.Core.Model;

/// <summary>Which channel order the network expects in its input tensor.</summary>
public enum ChannelOrder
{
    Rgb,
    Bgr,
}

/// <summary>An RGB colour of the palette.</summary>
public readonly record struct Rgb(byte R, byte G, byte B);

/// <summary>
/// What the pipeline must know about a segmentation model: its classes, their colours, the input size
/// and how to normalise pixels. Filled from the ONNX metadata and overridden by configuration.
/// </summary>
public sealed record ModelInfo
{
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>One colour per class, same order as <see cref="ClassNames"/>.</summary>
    public required IReadOnlyList<Rgb> Palette { get; init; }

    /// <summary>Network input width in pixels.</summary>
    public required int InputWidth { get; init; }

    /// <summary>Network input height in pixels.</summary>
    public required int InputHeight { get; init; }

    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.Rgb;

    /// <summary>Per-channel mean in 0-255 pixel units, in the network's channel order.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0f, 0f, 0f];

    /// <summary>Per-channel standard deviation in 0-255 pixel units, in the network's channel order.</summary>
    public IReadOnlyList<float> Std { get; init; } = [255f, 255f, 255f];

    /// <summary>A short human name of the model (for logs and diagnostics).</summary>
    public string Name { get; init; } = "model";

    /// <summary>Free text on what the weights were trained on, from the model's metadata.</summary>
    public string TrainingData { get; init; } = "";

    public int ClassCount => ClassNames.Count;

    /// <summary>Checks internal consistency; throws <see cref="ModelException"/> with a specific message.</summary>
    public void Validate()
    {
        if (ClassNames.Count < 2 || ClassNames.Count > 255)
        {
            throw new ModelException($"model has {ClassNames.Count} class names; between 2 and 255 are needed (class 0 is the background)");
        }
        if (Palette.Count != ClassNames.Count)
        {
            throw new ModelException($"palette has {Palette.Count} colours but there are {ClassNames.Count} classes");
        }
        if (InputWidth < 32 || InputHeight < 32 || InputWidth > 4096 || InputHeight > 4096)
        {
            throw new ModelException($"network input size {InputWidth}x{InputHeight} is out of range (32 to 4096 per side)");
        }
        if (Mean.Count != 3 || Std.Count != 3)
        {
            throw new ModelException($"mean and std need 3 values each (got {Mean.Count} and {Std.Count})");
        }
        foreach (var s in Std)
        {
            if (!(s > 0f) || float.IsInfinity(s))
            {
                throw new ModelException($"std values must be positive and finite (got {string.Join(", ", Std)})");
            }
        }
    }
}

/// <summary>A model or its description is unusable: missing file, wrong shape, inconsistent metadata.</summary>
public sealed class ModelException : Exception
{
    public ModelException() { }

    public ModelException(string message) : base(message) { }

    public ModelException(string message, Exception inner) : base(message, inner) { }
}

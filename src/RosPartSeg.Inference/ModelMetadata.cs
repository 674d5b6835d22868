using System.Globalization;
using System.Text.Json;
using RosPartSeg.Core.Model;

namespace RosPartSeg.Inference;

/// <summary>
/// Reads the facts the node needs from an ONNX model's metadata_props (written by tools/export_onnx.py):
/// <c>class_names</c> and <c>palette</c> (JSON arrays), <c>input_width</c>, <c>input_height</c>,
/// <c>channel_order</c> (rgb|bgr), <c>mean</c> and <c>std</c> (JSON arrays, 0-255 units, network channel order),
/// <c>model_name</c>, <c>training_data</c>. Every key is optional: configuration may supply the rest.
/// </summary>
public static class ModelMetadata
{
    /// <summary>Parses what is present; throws <see cref="ModelException"/> naming a key whose value is malformed.</summary>
    public static ModelDescription Parse(IReadOnlyDictionary<string, string> props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return new ModelDescription
        {
            ClassNames = Get(props, "class_names", v => JsonSerializer.Deserialize<string[]>(v) ?? throw new FormatException("null")),
            Palette = Get(props, "palette", ParsePalette),
            InputWidth = Get(props, "input_width", v => (int?)int.Parse(v, CultureInfo.InvariantCulture)),
            InputHeight = Get(props, "input_height", v => (int?)int.Parse(v, CultureInfo.InvariantCulture)),
            ChannelOrder = Get(props, "channel_order", v => (ChannelOrder?)ParseChannelOrder(v)),
            Mean = Get(props, "mean", ParseTriple),
            Std = Get(props, "std", ParseTriple),
            Name = props.TryGetValue("model_name", out var n) ? n : null,
            TrainingData = props.TryGetValue("training_data", out var t) ? t : null,
        };
    }

    public static ChannelOrder ParseChannelOrder(string v) => v.Trim().ToUpperInvariant() switch
    {
        "RGB" => ChannelOrder.Rgb,
        "BGR" => ChannelOrder.Bgr,
        _ => throw new FormatException($"'{v}' is not rgb or bgr"),
    };

    private static T? Get<T>(IReadOnlyDictionary<string, string> props, string key, Func<string, T> parse)
    {
        if (!props.TryGetValue(key, out var value))
        {
            return default;
        }
        try
        {
            return parse(value);
        }
        catch (Exception e) when (e is FormatException or JsonException or OverflowException or ArgumentException)
        {
            throw new ModelException($"model metadata '{key}' is malformed ('{Shorten(value)}'): {e.Message}", e);
        }
    }

    private static Rgb[] ParsePalette(string v)
    {
        var rows = JsonSerializer.Deserialize<int[][]>(v) ?? throw new FormatException("null");
        var palette = new Rgb[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is not { Length: 3 } c || c.Any(x => x is < 0 or > 255))
            {
                throw new FormatException($"colour {i} must be three values 0-255");
            }
            palette[i] = new Rgb((byte)c[0], (byte)c[1], (byte)c[2]);
        }
        return palette;
    }

    private static float[] ParseTriple(string v)
    {
        var values = JsonSerializer.Deserialize<float[]>(v) ?? throw new FormatException("null");
        return values.Length == 3 ? values : throw new FormatException($"3 values needed, got {values.Length}");
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}

/// <summary>What a model says about itself or what configuration says about it; null means "not given".</summary>
public sealed record ModelDescription
{
    public IReadOnlyList<string>? ClassNames { get; init; }

    public IReadOnlyList<Rgb>? Palette { get; init; }

    public int? InputWidth { get; init; }

    public int? InputHeight { get; init; }

    public ChannelOrder? ChannelOrder { get; init; }

    public IReadOnlyList<float>? Mean { get; init; }

    public IReadOnlyList<float>? Std { get; init; }

    public string? Name { get; init; }

    public string? TrainingData { get; init; }

    /// <summary>Values of <paramref name="overrides"/> win where given.</summary>
    public ModelDescription With(ModelDescription overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return new ModelDescription
        {
            ClassNames = overrides.ClassNames ?? ClassNames,
            Palette = overrides.Palette ?? Palette,
            InputWidth = overrides.InputWidth ?? InputWidth,
            InputHeight = overrides.InputHeight ?? InputHeight,
            ChannelOrder = overrides.ChannelOrder ?? ChannelOrder,
            Mean = overrides.Mean ?? Mean,
            Std = overrides.Std ?? Std,
            Name = overrides.Name ?? Name,
            TrainingData = overrides.TrainingData ?? TrainingData,
        };
    }

    /// <summary>
    /// Completes the description into a <see cref="ModelInfo"/>. Class names are required; a missing palette gets
    /// generated colours, a missing size 512x288, missing normalisation the 0-1 scaling.
    /// </summary>
    public ModelInfo ToModelInfo(string source)
    {
        if (ClassNames is null || ClassNames.Count == 0)
        {
            throw new ModelException($"{source} has no class names: the model carries no 'class_names' metadata and the configuration gives none (model.class_names)");
        }
        var info = new ModelInfo
        {
            ClassNames = ClassNames,
            Palette = Palette ?? DefaultPalette(ClassNames.Count),
            InputWidth = InputWidth ?? 512,
            InputHeight = InputHeight ?? 288,
            ChannelOrder = ChannelOrder ?? Core.Model.ChannelOrder.Rgb,
            Mean = Mean ?? [0f, 0f, 0f],
            Std = Std ?? [255f, 255f, 255f],
            Name = Name ?? Path.GetFileNameWithoutExtension(source),
            TrainingData = TrainingData ?? "",
        };
        try
        {
            info.Validate();
        }
        catch (ModelException e)
        {
            throw new ModelException($"{source}: {e.Message}", e);
        }
        return info;
    }

    /// <summary>Distinct colours for a class count, background black.</summary>
    public static Rgb[] DefaultPalette(int count)
    {
        var palette = new Rgb[count];
        for (int i = 1; i < count; i++)
        {
            // Golden-angle hue steps give well separated colours for any count.
            double h = (i * 137.508) % 360 / 60.0;
            double x = 1 - Math.Abs((h % 2) - 1);
            (double r, double g, double b) = (int)h switch
            {
                0 => (1.0, x, 0.0),
                1 => (x, 1.0, 0.0),
                2 => (0.0, 1.0, x),
                3 => (0.0, x, 1.0),
                4 => (x, 0.0, 1.0),
                _ => (1.0, 0.0, x),
            };
            palette[i] = new Rgb((byte)(r * 255), (byte)(g * 255), (byte)(b * 255));
        }
        return palette;
    }
}

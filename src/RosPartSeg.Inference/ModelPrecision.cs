using RosPartSeg.Core.Model;

namespace RosPartSeg.Inference;

/// <summary>
/// Which precision of a model to load. A model ships as sibling files: <c>NAME.onnx</c> (fp32), <c>NAME.int8.onnx</c>
/// (QDQ int8, written by tools/quantize.py) and <c>NAME.fp16.onnx</c> (tools/export_onnx.py --fp16). <c>auto</c> picks
/// per execution provider: int8 on the CPU, fp16 on CUDA and TensorRT, each only where the sibling exists.
/// </summary>
public static class ModelPrecision
{
    public const string Auto = "auto";

    public static readonly IReadOnlyList<string> Known = [Auto, "fp32", "int8", "fp16"];

    /// <summary>The model file to open for <paramref name="provider"/>; a null precision means the configured file itself.</summary>
    public static string FileFor(string configuredPath, string? precision, string provider)
    {
        ArgumentNullException.ThrowIfNull(configuredPath);
        if (precision is null)
        {
            return configuredPath;
        }
        var (stem, named) = Split(configuredPath);
        if (precision == Auto)
        {
            if (named is not null)
            {
                return configuredPath; // a sibling named on purpose is taken as it is
            }
            string preferred = provider == "cpu" ? "int8" : "fp16";
            string candidate = Sibling(stem, preferred);
            return File.Exists(candidate) ? candidate : configuredPath;
        }
        string wanted = Sibling(stem, precision);
        if (!File.Exists(wanted))
        {
            string how = precision switch
            {
                "int8" => "tools/quantize.py writes it",
                "fp16" => "tools/export_onnx.py --fp16 writes it",
                _ => "the fp32 export",
            };
            throw new ModelException($"precision '{precision}' needs the model file '{wanted}', which does not exist ({how})");
        }
        return wanted;
    }

    /// <summary>Throws unless <paramref name="precision"/> is one of <see cref="Known"/>.</summary>
    public static void Validate(string precision)
    {
        if (!Known.Contains(precision))
        {
            throw new ArgumentException($"precision must be auto, fp32, int8 or fp16 (got '{precision}')");
        }
    }

    private static string Sibling(string stem, string precision) => precision == "fp32" ? stem + ".onnx" : $"{stem}.{precision}.onnx";

    // "models/m.int8.onnx" -> ("models/m", "int8"); "models/m.onnx" -> ("models/m", null).
    private static (string Stem, string? Precision) Split(string path)
    {
        string stem = path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? path[..^5] : path;
        foreach (var p in new[] { "int8", "fp16" })
        {
            if (stem.EndsWith("." + p, StringComparison.OrdinalIgnoreCase))
            {
                return (stem[..^(p.Length + 1)], p);
            }
        }
        return (stem, null);
    }
}

using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace RosPartSeg.Inference;

/// <summary>
/// Everything needed to build a pipeline: which model, what to override in its metadata, how to run it, and the
/// pipeline options. Loaded from YAML (see config/default.yaml); any key may be left out.
/// </summary>
public sealed record SegmenterConfig
{
    /// <summary>File name of the bundled default model inside <c>models/</c>.</summary>
    public const string DefaultModelFile = "fchardnet70_parts.onnx";

    /// <summary>Path of the ONNX model; null means the bundled default.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Facts that replace the model's own metadata where given.</summary>
    public ModelDescription ModelOverrides { get; init; } = new();

    public InferenceOptions Inference { get; init; } = new();

    public PipelineOptions Pipeline { get; init; } = new();

    public static SegmenterConfig Default { get; } = new();

    /// <summary>Loads a YAML file. Relative model paths are resolved against the file's folder.</summary>
    public static SegmenterConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"config file '{path}' does not exist");
        }
        var config = Parse(File.ReadAllText(path), path);
        if (config.ModelPath is { } mp && !Path.IsPathRooted(mp))
        {
            config = config with { ModelPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, mp)) };
        }
        if (config.Inference.OnnxRuntimeLibrary is { Length: > 0 } lib && !Path.IsPathRooted(lib))
        {
            config = config with { Inference = config.Inference with { OnnxRuntimeLibrary = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, lib)) } };
        }
        return config;
    }

    /// <summary>Parses YAML text; <paramref name="source"/> names it in errors. Unknown keys are errors.</summary>
    public static SegmenterConfig Parse(string yaml, string source = "config")
    {
        ConfigFile? file;
        try
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
            file = deserializer.Deserialize<ConfigFile?>(yaml);
        }
        catch (YamlException e)
        {
            string why = e.InnerException?.Message ?? e.Message;
            throw new ConfigException($"{source}: line {e.Start.Line}, column {e.Start.Column}: {why}", e);
        }
        if (file is null)
        {
            return new SegmenterConfig();
        }
        var defaults = new SegmenterConfig();
        var m = file.Model ?? new ModelSection();
        var i = file.Inference ?? new InferenceSection();
        var p = file.Pipeline ?? new PipelineSection();
        try
        {
            var config = new SegmenterConfig
            {
                ModelPath = m.Path,
                ModelOverrides = new ModelDescription
                {
                    ClassNames = m.ClassNames,
                    Palette = m.Palette?.Select((c, k) => c is { Length: 3 } && c.All(v => v is >= 0 and <= 255)
                        ? new Rgb((byte)c[0], (byte)c[1], (byte)c[2])
                        : throw new ConfigException($"{source}: model.palette colour {k} must be three values 0-255")).ToArray(),
                    InputWidth = m.InputWidth,
                    InputHeight = m.InputHeight,
                    ChannelOrder = m.ChannelOrder is null ? null : ModelMetadata.ParseChannelOrder(m.ChannelOrder),
                    Mean = m.Mean,
                    Std = m.Std,
                },
                Inference = new InferenceOptions
                {
                    Providers = i.Providers ?? defaults.Inference.Providers,
                    IntraOpThreads = i.IntraOpThreads ?? defaults.Inference.IntraOpThreads,
                    InterOpThreads = i.InterOpThreads ?? defaults.Inference.InterOpThreads,
                    ThreadSpinning = i.ThreadSpinning ?? defaults.Inference.ThreadSpinning,
                    GraphOptimization = i.GraphOptimization ?? defaults.Inference.GraphOptimization,
                    DeviceId = i.DeviceId ?? defaults.Inference.DeviceId,
                    Precision = i.Precision ?? defaults.Inference.Precision,
                    TensorrtFp16 = i.TensorrtFp16 ?? defaults.Inference.TensorrtFp16,
                    TensorrtEngineCache = i.TensorrtEngineCache ?? defaults.Inference.TensorrtEngineCache,
                    TensorrtWorkspaceMb = i.TensorrtWorkspaceMb ?? defaults.Inference.TensorrtWorkspaceMb,
                    OnnxRuntimeLibrary = i.OnnxruntimeLibrary ?? defaults.Inference.OnnxRuntimeLibrary,
                },
                Pipeline = new PipelineOptions
                {
                    Resize = p.Resize is null ? defaults.Pipeline.Resize : ParseEnum<ResizeMode>(p.Resize, "pipeline.resize", "stretch, letterbox"),
                    LabelResolution = p.LabelResolution is null ? defaults.Pipeline.LabelResolution : ParseEnum<LabelResolution>(p.LabelResolution, "pipeline.label_resolution", "input, network"),
                    LabelUpsampling = p.LabelUpsampling is null ? defaults.Pipeline.LabelUpsampling : ParseEnum<LabelUpsampling>(p.LabelUpsampling, "pipeline.label_upsampling", "bilinear, nearest"),
                    PersonGrouping = p.PersonGrouping is null ? defaults.Pipeline.PersonGrouping : ParseEnum<PersonGrouping>(p.PersonGrouping, "pipeline.person_grouping", "split, components"),
                    OverlayAnnotations = p.OverlayAnnotations is null ? defaults.Pipeline.OverlayAnnotations : ParseEnum<OverlayAnnotations>(p.OverlayAnnotations, "pipeline.overlay_annotations", "none, people, parts"),
                    OverlayAlpha = p.OverlayAlpha ?? defaults.Pipeline.OverlayAlpha,
                    MinRegionArea = p.MinRegionArea ?? defaults.Pipeline.MinRegionArea,
                    MinPersonArea = p.MinPersonArea ?? defaults.Pipeline.MinPersonArea,
                    MinPersonScore = p.MinPersonScore ?? defaults.Pipeline.MinPersonScore,
                },
            };
            config.Inference.Validate();
            config.Pipeline.Validate();
            return config;
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new ConfigException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>The model file to load: the configured one, else the bundled default.</summary>
    public string ResolveModelPath() => ModelPath ?? FindBundledModel()
        ?? throw new ModelException($"no model configured and the bundled models/{DefaultModelFile} was not found next to the program or in any parent folder; set model.path");

    /// <summary>Looks for models/&lt;default&gt; beside the program, then in the parents of the program and the working folder.</summary>
    public static string? FindBundledModel()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models", DefaultModelFile);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static T ParseEnum<T>(string value, string key, string allowed) where T : struct, Enum
        => Enum.TryParse<T>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var v) && Enum.IsDefined(v)
            ? v
            : throw new ArgumentException($"{key} must be one of {allowed} (got '{value}')");

    // YAML shape. Nullable everywhere so "not given" differs from a default.
    private sealed class ConfigFile
    {
        public ModelSection? Model { get; set; }

        public InferenceSection? Inference { get; set; }

        public PipelineSection? Pipeline { get; set; }
    }

    private sealed class ModelSection
    {
        public string? Path { get; set; }

        public List<string>? ClassNames { get; set; }

        public List<int[]>? Palette { get; set; }

        public int? InputWidth { get; set; }

        public int? InputHeight { get; set; }

        public string? ChannelOrder { get; set; }

        public List<float>? Mean { get; set; }

        public List<float>? Std { get; set; }
    }

    private sealed class InferenceSection
    {
        public List<string>? Providers { get; set; }

        public int? IntraOpThreads { get; set; }

        public int? InterOpThreads { get; set; }

        public bool? ThreadSpinning { get; set; }

        public string? GraphOptimization { get; set; }

        public int? DeviceId { get; set; }

        public string? Precision { get; set; }

        public bool? TensorrtFp16 { get; set; }

        public string? TensorrtEngineCache { get; set; }

        public int? TensorrtWorkspaceMb { get; set; }

        public string? OnnxruntimeLibrary { get; set; } // YAML key onnxruntime_library (one word, as ONNX Runtime spells it)
    }

    private sealed class PipelineSection
    {
        public string? Resize { get; set; }

        public string? LabelResolution { get; set; }

        public float? OverlayAlpha { get; set; }

        public int? MinRegionArea { get; set; }

        public int? MinPersonArea { get; set; }

        public float? MinPersonScore { get; set; }

        public string? LabelUpsampling { get; set; }

        public string? PersonGrouping { get; set; }

        public string? OverlayAnnotations { get; set; }
    }
}

/// <summary>A configuration file or value is invalid; the message names the file and key.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException() { }

    public ConfigException(string message) : base(message) { }

    public ConfigException(string message, Exception inner) : base(message, inner) { }
}

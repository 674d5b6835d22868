using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Inference;

/// <summary>Builds a ready pipeline from a configuration: finds the model, merges metadata and overrides, opens the session.</summary>
public static class SegmenterFactory
{
    /// <summary>
    /// Opens the configured model and returns a pipeline that owns it. <paramref name="log"/> hears which model
    /// and execution provider are in use. Throws <see cref="ModelException"/> for a missing or unusable model.
    /// </summary>
    public static SegmentationPipeline Create(SegmenterConfig config, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        string configured = config.ResolveModelPath();

        // The metadata decides the input size; the backend shows it to us from the one session it opens.
        ModelInfo? described = null;
        var backend = OnnxBackend.Open(provider => ModelPrecision.FileFor(configured, config.Inference.Precision, provider), (file, metadata) =>
        {
            described = Merge(file, metadata, config, log);
            return (described.InputWidth, described.InputHeight);
        }, config.Inference, log);
        var info = described!;
        string path = backend.ModelPath;
        if (!string.Equals(Path.GetFullPath(path), Path.GetFullPath(configured), StringComparison.Ordinal))
        {
            log?.Invoke($"precision '{config.Inference.Precision}' on '{backend.Provider}': running {Path.GetFileName(path)} instead of {Path.GetFileName(configured)} (precision: fp32 runs the fp32 file)");
        }
        try
        {
            var pipeline = new SegmentationPipeline(backend, info, config.Pipeline);
            log?.Invoke($"model '{info.Name}' from {path}: {info.ClassCount} classes ({string.Join(", ", info.ClassNames)}), input {info.InputWidth}x{info.InputHeight} {info.ChannelOrder.ToString().ToUpperInvariant()}, output grid {backend.OutputWidth}x{backend.OutputHeight}");
            return pipeline;
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    /// <summary>The model's own metadata merged with the configuration's overrides.</summary>
    public static ModelInfo Describe(string modelPath, SegmenterConfig config, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Merge(modelPath, ReadMetadata(modelPath), config, log);
    }

    private static ModelInfo Merge(string modelPath, IReadOnlyDictionary<string, string> metadata, SegmenterConfig config, Action<string>? log)
    {
        var own = ModelMetadata.Parse(metadata);
        if (own.ClassNames is null)
        {
            log?.Invoke($"model {modelPath} carries no class metadata; using the configuration's");
        }
        return own.With(config.ModelOverrides).ToModelInfo(modelPath);
    }

    private static IReadOnlyDictionary<string, string> ReadMetadata(string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new ModelException($"model file '{modelPath}' does not exist");
        }
        try
        {
            using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { GraphOptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_DISABLE_ALL };
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(modelPath, options);
            return new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw new ModelException($"'{modelPath}' is not a loadable ONNX model: {RosPartSeg.Core.ErrorText.FirstLine(e.Message)}", e);
        }
    }
}

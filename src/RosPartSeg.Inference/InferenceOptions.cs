namespace RosPartSeg.Inference;

/// <summary>How ONNX Runtime runs the model.</summary>
public sealed record InferenceOptions
{
    /// <summary>Execution providers to try, in order: <c>tensorrt</c>, <c>cuda</c>, <c>cpu</c>. CPU is always the last resort.</summary>
    public IReadOnlyList<string> Providers { get; init; } = ["tensorrt", "cuda", "cpu"];

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Whether ONNX Runtime's idle worker threads spin (busy-wait) for the next piece of work instead of
    /// sleeping. Spinning is ONNX Runtime's own default and about 15 % faster on an otherwise idle CPU, but it burns
    /// CPU between frames, and where other processes want the cores (a robot's) it is slower too; see docs/node.md.</summary>
    public bool ThreadSpinning { get; init; }

    /// <summary>Threads across operators; 1 runs the graph sequentially, which is fastest for this network.</summary>
    public int InterOpThreads { get; init; } = 1;

    /// <summary><c>disable</c>, <c>basic</c>, <c>extended</c> or <c>all</c>.</summary>
    public string GraphOptimization { get; init; } = "all";

    /// <summary>GPU to use for cuda and tensorrt.</summary>
    public int DeviceId { get; init; }

    /// <summary><c>auto</c> (the default: int8 on the CPU, fp16 on a GPU, where the sibling file exists, else the
    /// configured file), <c>fp32</c>, <c>int8</c> or <c>fp16</c>: that sibling of the configured file; null: exactly
    /// the configured file (what <c>bench --model</c> and <c>--compare</c> use); see <see cref="ModelPrecision"/>.</summary>
    public string? Precision { get; init; } = ModelPrecision.Auto;

    /// <summary>TensorRT: build fp16 kernels where the GPU has them.</summary>
    public bool TensorrtFp16 { get; init; } = true;

    /// <summary>TensorRT: folder where built engines are cached, so only the first start pays the build (minutes on a Jetson). Empty: no cache.</summary>
    public string TensorrtEngineCache { get; init; } = "";

    /// <summary>TensorRT: the builder's workspace limit in MiB.</summary>
    public int TensorrtWorkspaceMb { get; init; } = 1024;

    /// <summary>Path of the native ONNX Runtime library to load instead of the package's own (on a Jetson: JetPack's
    /// <c>libonnxruntime.so</c>, which has CUDA and TensorRT). Empty: the package's. <c>ROSPARTSEG_ONNXRUNTIME_LIBRARY</c> wins.</summary>
    public string OnnxRuntimeLibrary { get; init; } = "";

    public static readonly IReadOnlyList<string> KnownProviders = ["tensorrt", "cuda", "cpu"];

    public void Validate()
    {
        if (Providers.Count == 0)
        {
            throw new ArgumentException("providers must name at least one execution provider (tensorrt, cuda, cpu)");
        }
        foreach (var p in Providers)
        {
            if (!KnownProviders.Contains(p))
            {
                throw new ArgumentException($"unknown execution provider '{p}': use tensorrt, cuda or cpu");
            }
        }
        if (IntraOpThreads < 0 || InterOpThreads < 0)
        {
            throw new ArgumentException("intra_op_threads and inter_op_threads must be 0 or more");
        }
        if (Precision is not null)
        {
            ModelPrecision.Validate(Precision);
        }
        if (TensorrtWorkspaceMb <= 0)
        {
            throw new ArgumentException("tensorrt_workspace_mb must be positive");
        }
        if (GraphOptimization is not ("disable" or "basic" or "extended" or "all"))
        {
            throw new ArgumentException($"graph_optimization must be disable, basic, extended or all (got '{GraphOptimization}')");
        }
    }
}

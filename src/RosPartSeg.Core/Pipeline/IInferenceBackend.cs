namespace RosPartSeg.Core.Pipeline;

/// <summary>
/// The port to an inference engine. The pipeline writes the normalised CHW tensor into <see cref="Input"/>,
/// calls <see cref="Run"/>, and reads class scores from <see cref="Output"/>. Both buffers are owned by
/// the backend, allocated once and reused for every frame.
/// </summary>
public interface IInferenceBackend : IDisposable
{
    /// <summary>The execution provider in use, e.g. <c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>.</summary>
    string Provider { get; }

    /// <summary>Network input width (the tensor's last dimension).</summary>
    int InputWidth { get; }

    /// <summary>Network input height.</summary>
    int InputHeight { get; }

    /// <summary>The input tensor, shape [1, 3, InputHeight, InputWidth].</summary>
    Span<float> Input { get; }

    /// <summary>Number of classes in the output (its channel dimension).</summary>
    int OutputClasses { get; }

    /// <summary>Output grid height (the network may output at a stride, e.g. a quarter of the input).</summary>
    int OutputHeight { get; }

    /// <summary>Output grid width.</summary>
    int OutputWidth { get; }

    /// <summary>Class scores (logits), shape [1, OutputClasses, OutputHeight, OutputWidth]. Valid after <see cref="Run"/>.</summary>
    ReadOnlySpan<float> Output { get; }

    /// <summary>Runs the network on <see cref="Input"/>.</summary>
    void Run();
}

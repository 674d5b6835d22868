using RosPartSeg.Bags;

namespace RosPartSeg.Cli.Offline;

/// <summary>How <see cref="BagProcessor"/> runs.</summary>
public sealed record BagProcessOptions
{
    /// <summary>The image topic to segment; null picks the only Image/CompressedImage topic of the bag.</summary>
    public string? ImageTopic { get; init; }

    /// <summary>An aligned depth image topic (16UC1 mm or 32FC1 m, the colour size); null: no 3D outputs.</summary>
    public string? DepthTopic { get; init; }

    /// <summary>The colour camera's CameraInfo topic; needed with <see cref="DepthTopic"/>.</summary>
    public string? CameraInfoTopic { get; init; }

    /// <summary>How far a depth stamp may be from its colour stamp and still pair.</summary>
    public TimeSpan DepthSlop { get; init; } = TimeSpan.FromSeconds(0.02);

    /// <summary>Node name whose private namespace holds the outputs (<c>/part_segmenter/labels</c>, ...), as the live node uses.</summary>
    public string NodeName { get; init; } = "part_segmenter";

    /// <summary>Node namespace (empty or <c>/ns</c>).</summary>
    public string Namespace { get; init; } = "";

    /// <summary>Storage, compression, layout and overwrite of the output bag.</summary>
    public BagWriterOptions Output { get; init; } = BagWriterOptions.Default;

    /// <summary>Where a line about the run goes (the image codec of a compressed topic); null: nowhere.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>Progress of a run: messages handled out of the bag's total, frames segmented.</summary>
public readonly record struct BagProcessProgress(ulong MessagesDone, ulong MessagesTotal, int Frames);

/// <summary>What a run did.</summary>
public sealed record BagProcessSummary
{
    public required string OutputPath { get; init; }
    public required string ImageTopic { get; init; }
    public required IReadOnlyList<string> OutputTopics { get; init; }
    public int Frames { get; init; }
    public int SkippedFrames { get; init; }

    /// <summary>Depth images that could not be used (with <c>--depth-topic</c>).</summary>
    public int DepthRefused { get; init; }

    /// <summary>Colour frames without a depth within the slop or before the first CameraInfo (with <c>--depth-topic</c>).</summary>
    public int FramesWithoutDepth { get; init; }

    /// <summary>Why the first depth image was refused, or null.</summary>
    public string? FirstDepthRefusal { get; init; }
    public string? FirstSkipReason { get; init; }

    /// <summary>Skipped frames per cause (<c>BadFrameCauses</c> names such as <c>data_truncated</c>), largest first; causes not seen are absent.</summary>
    public IReadOnlyDictionary<string, int> SkippedByCause { get; init; } = new Dictionary<string, int>();

    /// <summary>"data_truncated 3, cdr_malformed 1": <see cref="SkippedByCause"/> as <c>process</c> prints it.</summary>
    public string SkippedByCauseText =>
        string.Join(", ", SkippedByCause.Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Key} {p.Value}")));
    public ulong MessagesCopied { get; init; }
    public double ElapsedSeconds { get; init; }

    /// <summary>Seconds spent inside <c>SegmentationPipeline.Process</c>.</summary>
    public double PipelineSeconds { get; init; }

    /// <summary>Frames per second over the whole run.</summary>
    public double FramesPerSecond => ElapsedSeconds > 0 ? Frames / ElapsedSeconds : 0;

    /// <summary>Share of the run spent outside the pipeline: reading, decoding, encoding, writing.</summary>
    public double OutsideShare => ElapsedSeconds > 0 ? Math.Clamp(1 - (PipelineSeconds / ElapsedSeconds), 0, 1) : 0;

    /// <summary>Part regions found, per class name, over all frames.</summary>
    public required IReadOnlyDictionary<string, int> RegionsPerClass { get; init; }

    public int People { get; init; }

    /// <summary>Seconds per stage: read, copy inputs, decode images, pipeline, encode+write outputs, finish bag.</summary>
    public IReadOnlyDictionary<string, double> Breakdown { get; init; } = new Dictionary<string, double>();
}

/// <summary>A bag that cannot be processed as asked (no image topic, several, an output name already taken).</summary>
public sealed class BagProcessException : Exception
{
    public BagProcessException()
    {
    }

    public BagProcessException(string message)
        : base(message)
    {
    }

    public BagProcessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

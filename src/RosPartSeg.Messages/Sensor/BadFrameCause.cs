using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Sensor;

/// <summary>
/// Why an input image message was refused, one value per cause the decoders distinguish. The live node's
/// /diagnostics and <c>rospartseg process</c> count frames per cause under <see cref="BadFrameCauses.Name"/>.
/// </summary>
public enum BadFrameCause
{
    /// <summary>An encoding the pipeline does not take (<see cref="FrameError.UnsupportedEncoding"/>).</summary>
    BadEncoding,

    /// <summary>Width or height is zero (<see cref="FrameError.InvalidDimensions"/>).</summary>
    ZeroSize,

    /// <summary>More than <see cref="ImageFrame.MaxSide"/> pixels on a side, or a size beyond 32 bits.</summary>
    SizeTooLarge,

    /// <summary>An odd width for a YUV 4:2:2 encoding, which packs pixels in pairs.</summary>
    OddWidthYuv,

    /// <summary>A step shorter than one row of pixels.</summary>
    StepTooShort,

    /// <summary>Less data than step x height.</summary>
    DataTruncated,

    /// <summary>Bytes that are not a well-formed CDR message of the input type (truncated, lying lengths, bad header).</summary>
    CdrMalformed,

    /// <summary>A CompressedImage whose bytes are not a decodable JPEG or PNG.</summary>
    Undecodable,

    /// <summary>Anything else that failed while processing the frame.</summary>
    ProcessingFailed,
}

/// <summary>Names of the causes and the mapping from the exceptions the decoders throw.</summary>
public static class BadFrameCauses
{
    private static readonly string[] Names =
    [
        "bad_encoding", "zero_size", "size_too_large", "odd_width_yuv", "step_too_short", "data_truncated",
        "cdr_malformed", "undecodable_image", "processing_failed",
    ];

    /// <summary>How many causes there are (the length of a counter array indexed by cause).</summary>
    public static int Count => Names.Length;

    /// <summary>Every cause in declaration order.</summary>
    public static IReadOnlyList<BadFrameCause> All { get; } = Enum.GetValues<BadFrameCause>();

    /// <summary>The stable snake_case name used in /diagnostics keys and in <c>process</c>'s summary.</summary>
    public static string Name(this BadFrameCause cause) => Names[(int)cause];

    /// <summary>The cause of a frame that failed with <paramref name="error"/>.</summary>
    public static BadFrameCause Of(Exception error) => error switch
    {
        FrameException f => Of(f.Error),
        CdrException => BadFrameCause.CdrMalformed,
        InvalidDataException => BadFrameCause.Undecodable,
        _ => BadFrameCause.ProcessingFailed,
    };

    /// <summary>The cause for a frame validation error.</summary>
    public static BadFrameCause Of(FrameError error) => error switch
    {
        FrameError.UnsupportedEncoding => BadFrameCause.BadEncoding,
        FrameError.InvalidDimensions => BadFrameCause.ZeroSize,
        FrameError.TooLarge => BadFrameCause.SizeTooLarge,
        FrameError.OddWidthForYuv => BadFrameCause.OddWidthYuv,
        FrameError.StepTooSmall => BadFrameCause.StepTooShort,
        FrameError.DataTooShort => BadFrameCause.DataTruncated,
        _ => BadFrameCause.ProcessingFailed,
    };
}

namespace RosPartSeg.Core.Frames;

/// <summary>Why a frame was refused. One value per cause so callers can count and rate-limit log lines per cause.</summary>
public enum FrameError
{
    UnsupportedEncoding,
    InvalidDimensions,
    TooLarge,
    StepTooSmall,
    DataTooShort,
    OddWidthForYuv,
}

/// <summary>A frame that cannot be processed. The message says exactly what is wrong with it.</summary>
public sealed class FrameException : Exception
{
    public FrameException(FrameError error, string message) : base(message) => Error = error;

    public FrameException() : this(FrameError.InvalidDimensions, "invalid frame") { }

    public FrameException(string message) : this(FrameError.InvalidDimensions, message) { }

    public FrameException(string message, Exception inner) : base(message, inner) => Error = FrameError.InvalidDimensions;

    public FrameError Error { get; }
}

namespace RosPartSeg.Messages.Cdr;

/// <summary>
/// Serialized data that cannot be decoded: truncated, a length that lies, a limit exceeded, a bad header.
/// Carries the byte offset (from the start of the message, encapsulation header included) and what was expected there.
/// </summary>
public sealed class CdrException : Exception
{
    public CdrException(string message, int offset, string expected)
        : base($"{message} at byte {offset} (expected {expected})")
    {
        Offset = offset;
        Expected = expected;
    }

    public CdrException() : this("invalid CDR data", 0, "valid data") { }

    public CdrException(string message) : this(message, 0, "valid data") { }

    public CdrException(string message, Exception inner) : base(message, inner) => Expected = "valid data";

    /// <summary>Byte offset into the message (encapsulation header included) where decoding failed.</summary>
    public int Offset { get; }

    /// <summary>What the decoder was looking for at <see cref="Offset"/>.</summary>
    public string Expected { get; }
}

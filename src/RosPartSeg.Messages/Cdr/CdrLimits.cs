namespace RosPartSeg.Messages.Cdr;

/// <summary>
/// Limits applied while decoding untrusted data. A length or count is always checked against the bytes that
/// remain first; these limits additionally bound what one message may ask for.
/// </summary>
/// <param name="MaxStringBytes">Longest string accepted, in UTF-8 bytes without the terminating NUL.</param>
/// <param name="MaxSequenceCount">Most elements accepted in a sequence of non-byte elements (messages, numbers, strings).</param>
/// <param name="MaxByteSequenceLength">Longest byte sequence accepted (image and compressed payloads).</param>
public readonly record struct CdrLimits(int MaxStringBytes, int MaxSequenceCount, int MaxByteSequenceLength)
{
    /// <summary>1 MiB strings, a million elements, 512 MiB byte payloads (an 8192x8192 rgba8 image is 256 MiB).</summary>
    public static CdrLimits Default { get; } = new(1 << 20, 1_000_000, 512 << 20);
}

namespace RosPartSeg.Bags.Mcap;

/// <summary>Limits and checks for reading MCAP files from untrusted sources.</summary>
public sealed record McapReaderOptions
{
    public static McapReaderOptions Default { get; } = new();

    /// <summary>Largest record (or chunk) content accepted, in bytes. Lengths above it are refused before any allocation.</summary>
    public long MaxRecordLength { get; init; } = 1L << 30;

    /// <summary>Largest uncompressed chunk accepted, in bytes.</summary>
    public long MaxChunkUncompressedSize { get; init; } = 1L << 30;

    /// <summary>Validate CRCs that are present (non-zero): data section, summary, chunks, attachments.</summary>
    public bool ValidateCrcs { get; init; } = true;
}

namespace RosPartSeg.Bags.Mcap;

/// <summary>How an <see cref="McapWriter"/> lays out a file.</summary>
public sealed record McapWriterOptions
{
    public static McapWriterOptions Default { get; } = new();

    /// <summary>Header profile; rosbag2 uses <c>ros2</c>.</summary>
    public string Profile { get; init; } = "ros2";

    /// <summary>Header library string.</summary>
    public string Library { get; init; } = "rospartseg";

    public McapCompression Compression { get; init; } = McapCompression.Zstd;

    /// <summary>zstd level for chunks (1 = fastest; images barely gain from more).</summary>
    public int ZstdLevel { get; init; } = 1;

    /// <summary>A chunk is closed once its uncompressed records reach this size.</summary>
    public int ChunkSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Write the CRC of the whole data section in DataEnd. Off by default, as in the format authors' C++ writer:
    /// every chunk already carries the CRC of its records, and hashing every byte twice costs throughput.
    /// </summary>
    public bool DataSectionCrc { get; init; }

    /// <summary>Compress and write each full chunk on a background task while the caller goes on (two chunk buffers).</summary>
    public bool BackgroundFlush { get; init; } = true;
}

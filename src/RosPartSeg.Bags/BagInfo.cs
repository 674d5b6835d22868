namespace RosPartSeg.Bags;

/// <summary>What <c>rospartseg info</c> shows: storage, files, time range, counts and topics.</summary>
public sealed record BagInfo
{
    public required string Path { get; init; }

    /// <summary><c>mcap</c> or <c>sqlite3</c>.</summary>
    public required string StorageIdentifier { get; init; }

    public required IReadOnlyList<string> Files { get; init; }

    public long SizeBytes { get; init; }

    /// <summary>Nanoseconds since the epoch of the first message (0 when empty).</summary>
    public long StartTime { get; init; }

    /// <summary>Nanoseconds since the epoch of the last message (0 when empty).</summary>
    public long EndTime { get; init; }

    public long Duration => EndTime - StartTime;

    public ulong MessageCount { get; init; }

    public required IReadOnlyList<BagTopicInfo> Topics { get; init; }

    /// <summary>Storage details worth showing, e.g. sqlite3 schema version or MCAP profile/library.</summary>
    public string Details { get; init; } = "";

    /// <summary>rosbag2 whole-bag compression (<c>compression_format</c>), usually empty.</summary>
    public string CompressionFormat { get; init; } = "";
}

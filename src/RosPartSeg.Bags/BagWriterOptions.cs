using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Bags;

/// <summary>Storage plugins a bag can be written with.</summary>
public enum BagStorageKind
{
    Mcap,
    Sqlite3,
}

/// <summary>How a <see cref="BagWriter"/> writes. Defaults match what ROS 2 Humble writes (metadata version 5, sqlite3 schema 3).</summary>
public sealed record BagWriterOptions
{
    public static BagWriterOptions Default { get; } = new();

    public BagStorageKind Storage { get; init; } = BagStorageKind.Mcap;

    public McapWriterOptions Mcap { get; init; } = McapWriterOptions.Default;

    /// <summary>3 as Humble writes, or 4 as Jazzy writes (type hashes, message_definitions table).</summary>
    public int SqliteSchemaVersion { get; init; } = 3;

    /// <summary>metadata.yaml version: 5 (Humble, QoS as a YAML string) or 9 (Jazzy, QoS as a list).</summary>
    public int MetadataVersion { get; init; } = 5;

    /// <summary>Written to the sqlite3 schema table and, from metadata version 8, to metadata.yaml.</summary>
    public string RosDistro { get; init; } = "humble";

    /// <summary>Replace an existing bag at the output path (only once the new one is complete).</summary>
    public bool Overwrite { get; init; }

    /// <summary>The Jazzy layout: metadata version 9, sqlite3 schema 4.</summary>
    public BagWriterOptions AsJazzy() => this with { MetadataVersion = 9, SqliteSchemaVersion = 4, RosDistro = "jazzy" };

    public static BagStorageKind ParseStorage(string name) => name.ToLowerInvariant() switch
    {
        "mcap" => BagStorageKind.Mcap,
        "sqlite3" or "sqlite" or "db3" => BagStorageKind.Sqlite3,
        _ => throw new ArgumentException($"unknown storage '{name}' (use mcap or sqlite3)", nameof(name)),
    };
}

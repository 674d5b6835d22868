using RosPartSeg.Bags.Mcap;
using RosPartSeg.Bags.Storage;

namespace RosPartSeg.Bags;

/// <summary>
/// Opens a bag given as a folder (with metadata.yaml, or holding storage files) or as a single .mcap/.db3 file.
/// Storage files are read one after another in the order metadata.yaml lists them.
/// </summary>
public sealed class BagReader : IBagReader
{
    private readonly List<IStorageReader> _storages;

    private BagReader(string path, List<IStorageReader> storages, BagMetadata? metadata, List<string> files)
    {
        _storages = storages;
        Metadata = metadata;
        Info = BuildInfo(path, storages, metadata, files);
    }

    /// <summary>The bag's metadata.yaml, when it has one.</summary>
    public BagMetadata? Metadata { get; }

    public BagInfo Info { get; }

    /// <summary>Opens a bag folder or storage file.</summary>
    public static BagReader Open(string path, McapReaderOptions? mcapOptions = null)
    {
        List<string> files;
        BagMetadata? metadata = null;
        if (Directory.Exists(path))
        {
            string metadataPath = Path.Combine(path, BagMetadata.FileName);
            if (File.Exists(metadataPath))
            {
                metadata = BagMetadata.Load(metadataPath);
                files = metadata.RelativeFilePaths.Select(p => Path.Combine(path, p)).ToList();
                var missing = files.Where(f => !File.Exists(f)).ToList();
                if (missing.Count > 0)
                {
                    throw new BagException(
                        $"{metadataPath} lists {missing.Count} storage file(s) that are missing: " +
                        string.Join(", ", missing.Select(Path.GetFileName)));
                }
            }
            else
            {
                files = Directory.EnumerateFiles(path).Where(f => StorageOf(f) is not null).Order(StringComparer.Ordinal).ToList();
            }
            if (files.Count == 0)
            {
                throw new BagException($"'{path}' holds no .mcap or .db3 storage files");
            }
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            throw new BagException($"no such bag '{path}'");
        }

        var storages = new List<IStorageReader>();
        try
        {
            foreach (var file in files)
            {
                storages.Add(OpenStorage(file, metadata?.StorageIdentifier, mcapOptions));
            }
            return new BagReader(path, storages, metadata, files);
        }
        catch
        {
            storages.ForEach(s => s.Dispose());
            throw;
        }
    }

    public IEnumerable<BagMessage> ReadMessages(Func<BagTopic, bool>? topicFilter = null)
    {
        foreach (var storage in _storages)
        {
            foreach (var m in storage.ReadMessages(topicFilter))
            {
                yield return m;
            }
        }
    }

    public MessageDefinition? FindDefinition(string topicType) =>
        _storages.Select(s => s.FindDefinition(topicType)).FirstOrDefault(d => d is not null);

    public void Dispose() => _storages.ForEach(s => s.Dispose());

    private static string? StorageOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".mcap" => "mcap",
        ".db3" => "sqlite3",
        _ => null,
    };

    private static IStorageReader OpenStorage(string file, string? declared, McapReaderOptions? mcapOptions)
    {
        string? kind = StorageOf(file) ?? declared ?? Sniff(file);
        try
        {
            return kind switch
            {
                "mcap" => new McapStorageReader(file, mcapOptions),
                "sqlite3" => new SqliteStorageReader(file),
                _ => throw new BagException($"'{file}' is neither MCAP nor sqlite3"),
            };
        }
        catch (McapFormatException e)
        {
            throw new BagException($"'{file}' is not a valid MCAP file: {e.Message}", e);
        }
    }

    private static string? Sniff(string file)
    {
        Span<byte> head = stackalloc byte[16];
        using var f = File.OpenRead(file);
        int n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 8 && head[..8].SequenceEqual(McapConstants.Magic))
        {
            return "mcap";
        }
        return n >= 16 && head.SequenceEqual("SQLite format 3\0"u8) ? "sqlite3" : null;
    }

    private static BagInfo BuildInfo(string path, List<IStorageReader> storages, BagMetadata? metadata, List<string> files)
    {
        // Counts come from the storage files themselves (metadata.yaml may disagree if a recording was cut short).
        var topics = new Dictionary<string, (BagTopic Topic, ulong Count)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var t in storages.SelectMany(s => s.Topics))
        {
            if (topics.TryGetValue(t.Topic.Name, out var existing))
            {
                topics[t.Topic.Name] = (existing.Topic, existing.Count + t.MessageCount);
            }
            else
            {
                topics[t.Topic.Name] = (t.Topic, t.MessageCount);
                order.Add(t.Topic.Name);
            }
        }
        var nonEmpty = storages.Where(s => s.MessageCount > 0).ToList();
        return new BagInfo
        {
            Path = path,
            StorageIdentifier = storages[0].StorageIdentifier,
            Files = files,
            SizeBytes = files.Sum(f => new FileInfo(f).Length),
            StartTime = nonEmpty.Count == 0 ? 0 : nonEmpty.Min(s => s.StartTime),
            EndTime = nonEmpty.Count == 0 ? 0 : nonEmpty.Max(s => s.EndTime),
            MessageCount = (ulong)storages.Sum(s => (long)s.MessageCount),
            Topics = order.Select(n => new BagTopicInfo(topics[n].Topic, topics[n].Count)).ToList(),
            Details = string.Join("; ", storages.Select(s => s.Details).Distinct()),
            CompressionFormat = metadata?.CompressionFormat ?? "",
        };
    }
}

using RosPartSeg.Bags.Storage;

namespace RosPartSeg.Bags;

/// <summary>
/// Writes a bag folder (<c>NAME/NAME_0.mcap</c> or <c>.db3</c> plus metadata.yaml). Everything is written under a
/// hidden temporary folder beside the output and renamed to the final name by <see cref="Complete"/>; disposing
/// without completing deletes it, so a failed or interrupted run never leaves a half bag under the final name.
/// </summary>
public sealed class BagWriter : IBagWriter
{
    private readonly string _finalPath;
    private readonly string _tempPath;
    private readonly string _fileName;
    private readonly BagWriterOptions _options;
    private readonly IStorageWriter _storage;
    private readonly List<BagTopic> _topics = [];
    private readonly List<ulong> _counts = [];
    private long _start = long.MaxValue;
    private long _end = long.MinValue;
    private ulong _total;
    private bool _completed;

    private BagWriter(string path, BagWriterOptions options)
    {
        _options = options;
        _finalPath = Path.GetFullPath(path.TrimEnd(Path.DirectorySeparatorChar));
        if ((Directory.Exists(_finalPath) || File.Exists(_finalPath)) && !options.Overwrite)
        {
            throw new BagException($"output '{path}' already exists");
        }
        string name = Path.GetFileName(_finalPath);
        string parent = Path.GetDirectoryName(_finalPath)!;
        if (!Directory.Exists(parent))
        {
            throw new BagException($"output folder '{parent}' does not exist");
        }
        _tempPath = Path.Combine(parent, $".{name}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_tempPath);
        _fileName = name + "_0" + (options.Storage == BagStorageKind.Mcap ? ".mcap" : ".db3");
        try
        {
            string file = Path.Combine(_tempPath, _fileName);
            _storage = options.Storage == BagStorageKind.Mcap ? new McapStorageWriter(file, options) : new SqliteStorageWriter(file, options);
        }
        catch
        {
            Directory.Delete(_tempPath, recursive: true);
            throw;
        }
    }

    /// <summary>The folder the bag will have once complete.</summary>
    public string FinalPath => _finalPath;

    /// <summary>Starts a bag that will appear at <paramref name="path"/> when completed.</summary>
    public static BagWriter Create(string path, BagWriterOptions? options = null) => new(path, options ?? BagWriterOptions.Default);

    public int AddTopic(BagTopic topic, MessageDefinition? definition)
    {
        if (_topics.Any(t => t.Name == topic.Name))
        {
            throw new ArgumentException($"topic '{topic.Name}' was added twice", nameof(topic));
        }
        int id = _topics.Count + 1;
        // QoS text in the form the target distro's rosbag2 decodes (ints for Humble, names for Jazzy).
        topic = topic with { OfferedQosProfiles = QosProfile.Normalize(topic.OfferedQosProfiles, _options.MetadataVersion) };
        _storage.AddTopic(id, topic, definition);
        _topics.Add(topic);
        _counts.Add(0);
        return id;
    }

    public void Write(int topic, long logTime, long publishTime, ReadOnlySpan<byte> data)
    {
        if (topic < 1 || topic > _topics.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(topic), topic, "unknown topic handle");
        }
        _storage.Write(topic, logTime, publishTime, data);
        _counts[topic - 1]++;
        _total++;
        _start = Math.Min(_start, logTime);
        _end = Math.Max(_end, logTime);
    }

    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var metadata = BuildMetadata();
        string yaml = metadata.ToYaml();
        _storage.Finish(metadata.ToEmbeddedYaml(), metadata.Version);
        _storage.Dispose();
        File.WriteAllText(Path.Combine(_tempPath, BagMetadata.FileName), yaml);
        if (_options.Overwrite && Directory.Exists(_finalPath))
        {
            Directory.Delete(_finalPath, recursive: true);
        }
        else if (_options.Overwrite && File.Exists(_finalPath))
        {
            File.Delete(_finalPath);
        }
        Directory.Move(_tempPath, _finalPath);
        _completed = true;
    }

    public void Dispose()
    {
        if (_completed)
        {
            return;
        }
        _storage.Dispose();
        try
        {
            Directory.Delete(_tempPath, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the partial bag is hidden and never under the final name.
        }
        _completed = true;
    }

    private BagMetadata BuildMetadata()
    {
        long start = _total == 0 ? 0 : _start;
        long duration = _total == 0 ? 0 : _end - _start;
        return new BagMetadata
        {
            Version = _options.MetadataVersion,
            StorageIdentifier = _options.Storage == BagStorageKind.Mcap ? "mcap" : "sqlite3",
            RelativeFilePaths = [_fileName],
            Duration = duration,
            StartingTime = start,
            MessageCount = _total,
            Topics = _topics.Select((t, i) => new BagTopicInfo(t, _counts[i])).ToList(),
            Files = [new BagFileInfo(_fileName, start, duration, _total)],
            RosDistro = _options.RosDistro,
        };
    }
}

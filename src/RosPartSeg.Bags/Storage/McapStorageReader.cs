using System.Text;
using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Bags.Storage;

/// <summary>A rosbag2 MCAP file: topics from the summary when it has Statistics, otherwise from one scan.</summary>
internal sealed class McapStorageReader : IStorageReader
{
    private readonly string _path;
    private readonly McapReaderOptions _options;
    private readonly Dictionary<ushort, McapSchema> _schemas = [];
    private readonly Dictionary<ushort, BagTopic> _topics = [];
    private readonly List<BagTopicInfo> _topicInfos = [];
    private readonly McapSummary? _summary;

    public McapStorageReader(string path, McapReaderOptions? options = null)
    {
        _path = path;
        _options = options ?? McapReaderOptions.Default;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        var summary = McapSummary.TryRead(stream, _options);
        // Statistics alone are not enough: the summary must also repeat every channel (and so its schema).
        if (summary?.Statistics is { } stats && summary.Channels.Count >= stats.ChannelCount)
        {
            foreach (var s in summary.Schemas.Values)
            {
                _schemas[s.Id] = s;
            }
            foreach (var c in summary.Channels.Values.OrderBy(c => c.Id))
            {
                var topic = ToTopic(c);
                _topics[c.Id] = topic;
                _topicInfos.Add(new BagTopicInfo(topic, stats.ChannelMessageCounts.GetValueOrDefault(c.Id)));
            }
            MessageCount = stats.MessageCount;
            StartTime = (long)stats.MessageStartTime;
            EndTime = (long)stats.MessageEndTime;
            Details = $"profile '{summary.Header.Profile}', library '{summary.Header.Library}', {summary.ChunkIndexes.Count} chunks, indexed";
            _summary = summary;
        }
        else
        {
            Scan(stream);
        }
    }

    public string StorageIdentifier => "mcap";

    public IReadOnlyList<BagTopicInfo> Topics => _topicInfos;

    public long StartTime { get; private set; }

    public long EndTime { get; private set; }

    public ulong MessageCount { get; private set; }

    public string Details { get; private set; } = "";

    public IEnumerable<BagMessage> ReadMessages(Func<BagTopic, bool>? topicFilter)
    {
        if (topicFilter is not null && _summary is not null && McapIndexedReader.CanIndex(_summary))
        {
            return ReadIndexed(_summary, topicFilter);
        }
        return ReadStreamed(topicFilter);
    }

    /// <summary>Only the chunks holding wanted topics are read, found through the summary's ChunkIndex records.</summary>
    private IEnumerable<BagMessage> ReadIndexed(McapSummary summary, Func<BagTopic, bool> topicFilter)
    {
        var wanted = _topics.Where(p => topicFilter(p.Value)).ToDictionary(p => p.Key, p => p.Value);
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        using var reader = new McapIndexedReader(stream, summary, _options);
        foreach (var m in reader.ReadMessages(wanted.ContainsKey))
        {
            yield return new BagMessage(wanted[m.ChannelId], (long)m.LogTime, (long)m.PublishTime, m.Data);
        }
    }

    private IEnumerable<BagMessage> ReadStreamed(Func<BagTopic, bool>? topicFilter)
    {
        using var reader = McapStreamReader.Open(_path, _options);
        var wanted = new Dictionary<ushort, BagTopic?>();
        foreach (var record in reader.ReadRecords())
        {
            switch (record)
            {
                case McapSchema s:
                    _schemas[s.Id] = s;
                    break;
                case McapChannel c:
                    var topic = _topics.TryGetValue(c.Id, out var known) ? known : ToTopic(c);
                    _topics[c.Id] = topic;
                    wanted[c.Id] = topicFilter is null || topicFilter(topic) ? topic : null;
                    break;
                case McapMessage m:
                    if (!wanted.TryGetValue(m.ChannelId, out var t))
                    {
                        throw new McapFormatException($"message on channel {m.ChannelId} before its Channel record", -1);
                    }
                    if (t is not null)
                    {
                        yield return new BagMessage(t, (long)m.LogTime, (long)m.PublishTime, m.Data);
                    }
                    break;
                default:
                    break;
            }
        }
    }

    public MessageDefinition? FindDefinition(string topicType)
    {
        var schema = _schemas.Values.FirstOrDefault(s => s.Name == topicType);
        return schema is null ? null : new MessageDefinition(schema.Name, schema.Encoding, Encoding.UTF8.GetString(schema.Data.Span));
    }

    public void Dispose()
    {
    }

    private BagTopic ToTopic(McapChannel c)
    {
        string type = _schemas.TryGetValue(c.SchemaId, out var s) ? s.Name : "";
        return new BagTopic(c.Topic, type, c.MessageEncoding,
            c.Metadata.GetValueOrDefault("offered_qos_profiles", ""), c.Metadata.GetValueOrDefault("topic_type_hash", ""));
    }

    private void Scan(Stream stream)
    {
        stream.Position = 0;
        using var reader = new McapStreamReader(stream, _options, leaveOpen: true);
        var counts = new Dictionary<ushort, ulong>();
        long start = long.MaxValue, end = 0;
        McapHeader? header = null;
        foreach (var record in reader.ReadRecords())
        {
            switch (record)
            {
                case McapHeader h: header = h; break;
                case McapSchema s: _schemas[s.Id] = s; break;
                case McapChannel c when !_topics.ContainsKey(c.Id):
                    _topics[c.Id] = ToTopic(c);
                    counts[c.Id] = 0;
                    break;
                case McapMessage m:
                    counts[m.ChannelId] = counts.GetValueOrDefault(m.ChannelId) + 1;
                    start = Math.Min(start, (long)m.LogTime);
                    end = Math.Max(end, (long)m.LogTime);
                    MessageCount++;
                    break;
                default: break;
            }
        }
        foreach (var (id, topic) in _topics.OrderBy(p => p.Key))
        {
            _topicInfos.Add(new BagTopicInfo(topic, counts.GetValueOrDefault(id)));
        }
        StartTime = MessageCount == 0 ? 0 : start;
        EndTime = end;
        Details = $"profile '{header?.Profile}', library '{header?.Library}', no summary (scanned)";
    }
}

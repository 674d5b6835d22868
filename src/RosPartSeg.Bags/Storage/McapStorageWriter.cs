using System.Text;
using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Bags.Storage;

/// <summary>Writes a rosbag2 MCAP file: ros2msg schemas, cdr channels with QoS metadata, a <c>rosbag2</c> Metadata record.</summary>
internal sealed class McapStorageWriter : IStorageWriter
{
    private readonly McapWriter _writer;
    private readonly bool _jazzy;
    private readonly Dictionary<string, ushort> _schemaByType = new(StringComparer.Ordinal);
    private readonly Dictionary<int, ushort> _channelById = [];
    private readonly Dictionary<int, uint> _sequence = [];

    public McapStorageWriter(string path, BagWriterOptions options)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        _writer = new McapWriter(stream, options.Mcap);
        _jazzy = options.MetadataVersion >= 9;
    }

    public void AddTopic(int id, BagTopic topic, MessageDefinition? definition)
    {
        if (!_schemaByType.TryGetValue(topic.Type, out ushort schema))
        {
            schema = _writer.AddSchema(topic.Type, definition?.Encoding ?? "ros2msg", Encoding.UTF8.GetBytes(definition?.Text ?? ""));
            _schemaByType[topic.Type] = schema;
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["offered_qos_profiles"] = topic.OfferedQosProfiles };
        if (_jazzy)
        {
            metadata["topic_type_hash"] = topic.TypeDescriptionHash;
        }
        _channelById[id] = _writer.AddChannel(schema, topic.Name, topic.SerializationFormat, metadata);
        _sequence[id] = 0;
    }

    public void Write(int id, long logTime, long publishTime, ReadOnlySpan<byte> data)
    {
        uint seq = _sequence[id]++;
        _writer.WriteMessage(_channelById[id], seq, (ulong)logTime, (ulong)publishTime, data);
    }

    public void Finish(string metadataYaml, int metadataVersion)
    {
        _writer.WriteMetadata("rosbag2", new Dictionary<string, string> { ["serialized_metadata"] = metadataYaml });
        _writer.Finish();
    }

    public void Dispose() => _writer.Dispose();
}

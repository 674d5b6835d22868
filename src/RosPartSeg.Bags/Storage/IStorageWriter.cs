namespace RosPartSeg.Bags.Storage;

/// <summary>One storage file being written.</summary>
internal interface IStorageWriter : IDisposable
{
    void AddTopic(int id, BagTopic topic, MessageDefinition? definition);

    void Write(int id, long logTime, long publishTime, ReadOnlySpan<byte> data);

    /// <summary>Completes the file; <paramref name="metadataYaml"/> is the bag's metadata, stored inside too as rosbag2 does.</summary>
    void Finish(string metadataYaml, int metadataVersion);
}

namespace RosPartSeg.Bags;

/// <summary>Reads a rosbag2 bag (or one storage file of it).</summary>
public interface IBagReader : IDisposable
{
    /// <summary>Topics, counts, time range; gathered without reading every message where the storage allows.</summary>
    BagInfo Info { get; }

    /// <summary>All messages in storage order (receive-time order as rosbag2 writes them), optionally only some topics.</summary>
    IEnumerable<BagMessage> ReadMessages(Func<BagTopic, bool>? topicFilter = null);

    /// <summary>The stored definition of a type, when the bag carries one (MCAP schemas, sqlite3 schema 4).</summary>
    MessageDefinition? FindDefinition(string topicType);
}

/// <summary>Writes a rosbag2 bag. Nothing appears under the final name until <see cref="Complete"/> succeeds.</summary>
public interface IBagWriter : IDisposable
{
    /// <summary>Adds a topic and returns its handle for <see cref="Write"/>.</summary>
    int AddTopic(BagTopic topic, MessageDefinition? definition);

    /// <summary>Writes one serialized message (CDR with encapsulation header); times are nanoseconds since the epoch.</summary>
    void Write(int topic, long logTime, long publishTime, ReadOnlySpan<byte> data);

    /// <summary>Finishes the storage, writes metadata.yaml and moves the bag to its final name.</summary>
    void Complete();
}

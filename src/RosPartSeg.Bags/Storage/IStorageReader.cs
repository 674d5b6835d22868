namespace RosPartSeg.Bags.Storage;

/// <summary>One storage file (.mcap or .db3) of a bag.</summary>
internal interface IStorageReader : IDisposable
{
    string StorageIdentifier { get; }

    IReadOnlyList<BagTopicInfo> Topics { get; }

    long StartTime { get; }

    long EndTime { get; }

    ulong MessageCount { get; }

    string Details { get; }

    IEnumerable<BagMessage> ReadMessages(Func<BagTopic, bool>? topicFilter);

    MessageDefinition? FindDefinition(string topicType);
}

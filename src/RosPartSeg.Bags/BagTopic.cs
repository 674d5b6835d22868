namespace RosPartSeg.Bags;

/// <summary>
/// A topic as rosbag2 stores it. <see cref="OfferedQosProfiles"/> is the YAML text of the QoS list (the form sqlite3
/// tables, MCAP channel metadata and metadata.yaml before version 9 use); see <see cref="QosProfile"/> to parse it.
/// </summary>
public sealed record BagTopic(
    string Name,
    string Type,
    string SerializationFormat = "cdr",
    string OfferedQosProfiles = "",
    string TypeDescriptionHash = "");

/// <summary>A topic and how many messages it has in the bag.</summary>
public sealed record BagTopicInfo(BagTopic Topic, ulong MessageCount);

/// <summary>
/// A message definition as rosbag2 keeps it: encoding <c>ros2msg</c> (or <c>ros2idl</c>) and the text with its
/// dependencies appended, each after a line of 80 <c>=</c> and a line <c>MSG: pkg/Type</c>.
/// </summary>
public sealed record MessageDefinition(string TopicType, string Encoding, string Text, string TypeDescriptionHash = "");

/// <summary>
/// One serialized message. <see cref="Data"/> (CDR with its encapsulation header) may point into the reader's buffer
/// and is valid only until the reader moves on.
/// </summary>
public readonly record struct BagMessage(BagTopic Topic, long LogTime, long PublishTime, ReadOnlyMemory<byte> Data);

using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Builtin;
using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Std;

/// <summary><c>std_msgs/msg/Header</c>: builtin_interfaces/Time stamp, string frame_id.</summary>
public readonly record struct Header(Timestamp Stamp, string FrameId) : IRosMessage<Header>
{
    /// <summary>Fewest encoded bytes: stamp (8) and an empty string (4: some writers send length 0 and no NUL).</summary>
    public const int MinSize = 12;

    public static MessageType Type { get; } = MessageRegistry.Get("std_msgs/msg/Header");

    public void Write(CdrWriter writer) => Write(writer, Stamp, FrameId);

    public static Header Read(ref CdrReader reader)
    {
        var stamp = Time.ReadTimestamp(ref reader);
        return new Header(stamp, reader.ReadString());
    }

    /// <summary>
    /// The stamp of a serialized message that starts with a Header, read without decoding the rest (no allocation);
    /// malformed: <see cref="CdrException"/>.
    /// </summary>
    public static Timestamp ReadStamp(ReadOnlySpan<byte> message)
    {
        var reader = new CdrReader(message);
        return Time.ReadTimestamp(ref reader);
    }

    /// <summary>Writes a header from its parts (no allocation).</summary>
    public static void Write(CdrWriter writer, Timestamp stamp, string? frameId)
    {
        Time.Write(writer, stamp);
        writer.WriteString(frameId);
    }
}

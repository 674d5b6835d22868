using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Builtin;

/// <summary><c>builtin_interfaces/msg/Time</c>: int32 sec, uint32 nanosec. Converts to and from <see cref="Timestamp"/>.</summary>
public readonly record struct Time(int Sec, uint Nanosec) : IRosMessage<Time>
{
    /// <summary>Encoded size: two 4-byte fields.</summary>
    public const int Size = 8;

    public static MessageType Type { get; } = MessageRegistry.Get("builtin_interfaces/msg/Time");

    public static implicit operator Timestamp(Time t) => new(t.Sec, t.Nanosec);

    public static implicit operator Time(Timestamp t) => new(t.Seconds, t.Nanoseconds);

    public Timestamp ToTimestamp() => this;

    public static Time FromTimestamp(Timestamp t) => t;

    public void Write(CdrWriter writer) => Write(writer, this);

    public static Time Read(ref CdrReader reader) => new(reader.ReadInt32(), reader.ReadUInt32());

    /// <summary>Writes a <see cref="Timestamp"/> as a Time.</summary>
    public static void Write(CdrWriter writer, Timestamp stamp)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteInt32(stamp.Seconds);
        writer.WriteUInt32(stamp.Nanoseconds);
    }

    /// <summary>Reads a Time as a <see cref="Timestamp"/>.</summary>
    public static Timestamp ReadTimestamp(ref CdrReader reader) => new(reader.ReadInt32(), reader.ReadUInt32());
}

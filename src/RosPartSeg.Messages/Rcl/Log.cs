using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Builtin;
using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Rcl;

/// <summary>
/// <c>rcl_interfaces/msg/Log</c> (as on <c>/rosout</c>): Time stamp, uint8 level, string name, msg, file, function,
/// uint32 line. Level constants: DEBUG 10, INFO 20, WARN 30, ERROR 40, FATAL 50.
/// </summary>
public sealed record Log : IRosMessage<Log>
{
    public const byte Debug = 10;
    public const byte Info = 20;
    public const byte Warn = 30;
    public const byte Error = 40;
    public const byte Fatal = 50;

    public static MessageType Type { get; } = MessageRegistry.Get("rcl_interfaces/msg/Log");

    public Timestamp Stamp { get; init; }

    public byte Level { get; init; }

    public string Name { get; init; } = "";

    public string Msg { get; init; } = "";

    public string File { get; init; } = "";

    public string Function { get; init; } = "";

    public uint Line { get; init; }

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Time.Write(writer, Stamp);
        writer.WriteByte(Level);
        writer.WriteString(Name);
        writer.WriteString(Msg);
        writer.WriteString(File);
        writer.WriteString(Function);
        writer.WriteUInt32(Line);
    }

    public static Log Read(ref CdrReader reader) => new()
    {
        Stamp = Time.ReadTimestamp(ref reader),
        Level = reader.ReadByte(),
        Name = reader.ReadString(),
        Msg = reader.ReadString(),
        File = reader.ReadString(),
        Function = reader.ReadString(),
        Line = reader.ReadUInt32(),
    };
}

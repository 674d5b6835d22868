using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Diagnostic;

/// <summary><c>diagnostic_msgs/msg/KeyValue</c>: string key, string value.</summary>
public sealed record KeyValue(string Key, string Value) : IRosMessage<KeyValue>
{
    public const int MinSize = 8;

    public static MessageType Type { get; } = MessageRegistry.Get("diagnostic_msgs/msg/KeyValue");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(Key);
        writer.WriteString(Value);
    }

    public static KeyValue Read(ref CdrReader reader) => new(reader.ReadString(), reader.ReadString());
}

/// <summary>The <c>level</c> constants of <c>diagnostic_msgs/DiagnosticStatus</c>.</summary>
public enum DiagnosticLevel : byte
{
    Ok = 0,
    Warn = 1,
    Error = 2,
    Stale = 3,
}

/// <summary><c>diagnostic_msgs/msg/DiagnosticStatus</c>: byte level, string name, message, hardware_id, KeyValue[] values.</summary>
public sealed record DiagnosticStatus : IRosMessage<DiagnosticStatus>
{
    public const int MinSize = 1 + (3 * 4) + 4;

    public static MessageType Type { get; } = MessageRegistry.Get("diagnostic_msgs/msg/DiagnosticStatus");

    public DiagnosticLevel Level { get; init; }

    public string Name { get; init; } = "";

    public string Message { get; init; } = "";

    public string HardwareId { get; init; } = "";

    public IReadOnlyList<KeyValue> Values { get; init; } = [];

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte((byte)Level);
        writer.WriteString(Name);
        writer.WriteString(Message);
        writer.WriteString(HardwareId);
        CdrSequences.Write(writer, Values);
    }

    public static DiagnosticStatus Read(ref CdrReader reader) => new()
    {
        Level = (DiagnosticLevel)reader.ReadByte(),
        Name = reader.ReadString(),
        Message = reader.ReadString(),
        HardwareId = reader.ReadString(),
        Values = CdrSequences.Read<KeyValue>(ref reader, KeyValue.MinSize),
    };
}

/// <summary><c>diagnostic_msgs/msg/DiagnosticArray</c>: std_msgs/Header header, DiagnosticStatus[] status.</summary>
public sealed record DiagnosticArray : IRosMessage<DiagnosticArray>
{
    public static MessageType Type { get; } = MessageRegistry.Get("diagnostic_msgs/msg/DiagnosticArray");

    public Header Header { get; init; }

    public IReadOnlyList<DiagnosticStatus> Status { get; init; } = [];

    public void Write(CdrWriter writer)
    {
        Header.Write(writer);
        CdrSequences.Write(writer, Status);
    }

    public static DiagnosticArray Read(ref CdrReader reader) => new()
    {
        Header = Header.Read(ref reader),
        Status = CdrSequences.Read<DiagnosticStatus>(ref reader, DiagnosticStatus.MinSize),
    };
}

using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Rcl;

/// <summary><c>rcl_interfaces/msg/FloatingPointRange</c>: float64 from_value, to_value, step (0: any value in between).</summary>
public sealed record FloatingPointRange(double From, double To, double Step) : IRosMessage<FloatingPointRange>
{
    public const int MinSize = 24;

    public static MessageType Type { get; } = MessageRegistry.Get("rcl_interfaces/msg/FloatingPointRange");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteFloat64(From);
        writer.WriteFloat64(To);
        writer.WriteFloat64(Step);
    }

    public static FloatingPointRange Read(ref CdrReader reader) => new(reader.ReadFloat64(), reader.ReadFloat64(), reader.ReadFloat64());
}

/// <summary><c>rcl_interfaces/msg/IntegerRange</c>: int64 from_value, to_value, uint64 step (0: any value in between).</summary>
public sealed record IntegerRange(long From, long To, ulong Step) : IRosMessage<IntegerRange>
{
    public const int MinSize = 24;

    public static MessageType Type { get; } = MessageRegistry.Get("rcl_interfaces/msg/IntegerRange");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteInt64(From);
        writer.WriteInt64(To);
        writer.WriteUInt64(Step);
    }

    public static IntegerRange Read(ref CdrReader reader) => new(reader.ReadInt64(), reader.ReadInt64(), reader.ReadUInt64());
}

/// <summary>
/// <c>rcl_interfaces/msg/ParameterDescriptor</c>: string name, uint8 type, string description, string
/// additional_constraints, bool read_only, bool dynamic_typing, FloatingPointRange[&lt;=1], IntegerRange[&lt;=1].
/// </summary>
public sealed record ParameterDescriptor : IRosMessage<ParameterDescriptor>
{
    public const int MinSize = 5 + 1 + 5 + 5 + 1 + 1 + 4 + 4;

    public static MessageType Type { get; } = MessageRegistry.Get("rcl_interfaces/msg/ParameterDescriptor");

    public string Name { get; init; } = "";

    /// <summary>One of <see cref="ParameterTypes"/>.</summary>
    public byte Kind { get; init; }

    public string Description { get; init; } = "";

    public string AdditionalConstraints { get; init; } = "";

    public bool ReadOnly { get; init; }

    public bool DynamicTyping { get; init; }

    /// <summary>At most one range (a bounded sequence of one in the message).</summary>
    public FloatingPointRange? FloatingPointRange { get; init; }

    public IntegerRange? IntegerRange { get; init; }

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(Name);
        writer.WriteByte(Kind);
        writer.WriteString(Description);
        writer.WriteString(AdditionalConstraints);
        writer.WriteBool(ReadOnly);
        writer.WriteBool(DynamicTyping);
        writer.WriteSequenceCount(FloatingPointRange is null ? 0 : 1);
        FloatingPointRange?.Write(writer);
        writer.WriteSequenceCount(IntegerRange is null ? 0 : 1);
        IntegerRange?.Write(writer);
    }

    public static ParameterDescriptor Read(ref CdrReader reader) => new()
    {
        Name = reader.ReadString(),
        Kind = reader.ReadByte(),
        Description = reader.ReadString(),
        AdditionalConstraints = reader.ReadString(),
        ReadOnly = reader.ReadBool(),
        DynamicTyping = reader.ReadBool(),
        FloatingPointRange = ReadOptional<FloatingPointRange>(ref reader, "floating_point_range"),
        IntegerRange = ReadOptional<IntegerRange>(ref reader, "integer_range"),
    };

    // A bounded sequence of at most one element: more is malformed, not silently cut.
    private static T? ReadOptional<T>(ref CdrReader reader, string what) where T : class, IRosMessage<T>
    {
        int at = reader.Position;
        int count = reader.ReadSequenceCount(24, what);
        if (count > 1)
        {
            throw new CdrException($"{what} holds {count} elements", at, "at most 1");
        }
        return count == 1 ? T.Read(ref reader) : null;
    }
}

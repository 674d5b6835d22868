using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Rcl;

/// <summary>The constants of <c>rcl_interfaces/msg/ParameterType</c>: what a <see cref="ParameterValue"/> holds.</summary>
public static class ParameterTypes
{
    public const byte NotSet = 0;
    public const byte Bool = 1;
    public const byte Integer = 2;
    public const byte Double = 3;
    public const byte String = 4;
    public const byte ByteArray = 5;
    public const byte BoolArray = 6;
    public const byte IntegerArray = 7;
    public const byte DoubleArray = 8;
    public const byte StringArray = 9;

    /// <summary>The name <c>ros2 param</c> prints for a type (<c>bool</c>, <c>integer</c>, ...).</summary>
    public static string Name(byte type) => type switch
    {
        NotSet => "not set",
        Bool => "bool",
        Integer => "integer",
        Double => "double",
        String => "string",
        ByteArray => "byte array",
        BoolArray => "bool array",
        IntegerArray => "integer array",
        DoubleArray => "double array",
        StringArray => "string array",
        _ => $"unknown type {type}",
    };
}

/// <summary>
/// <c>rcl_interfaces/msg/ParameterValue</c>: uint8 type, then every slot (bool, int64, float64, string, and the five
/// array kinds) whether used or not; <see cref="Type"/> says which one counts.
/// </summary>
public sealed record ParameterValue : IRosMessage<ParameterValue>
{
    /// <summary>The fewest bytes one value takes: type, bool, two 8-byte numbers (aligned), an empty string, five counts.</summary>
    public const int MinSize = 1 + 1 + 8 + 8 + 4 + (5 * 4);

    public static MessageType Type { get; } = MessageRegistry.Get("rcl_interfaces/msg/ParameterValue");

    /// <summary>One of <see cref="ParameterTypes"/>.</summary>
    public byte Kind { get; init; }

    public bool BoolValue { get; init; }

    public long IntegerValue { get; init; }

    public double DoubleValue { get; init; }

    public string StringValue { get; init; } = "";

    public IReadOnlyList<byte> ByteArrayValue { get; init; } = [];

    public IReadOnlyList<bool> BoolArrayValue { get; init; } = [];

    public IReadOnlyList<long> IntegerArrayValue { get; init; } = [];

    public IReadOnlyList<double> DoubleArrayValue { get; init; } = [];

    public IReadOnlyList<string> StringArrayValue { get; init; } = [];

    public static ParameterValue Of(bool value) => new() { Kind = ParameterTypes.Bool, BoolValue = value };

    public static ParameterValue Of(long value) => new() { Kind = ParameterTypes.Integer, IntegerValue = value };

    public static ParameterValue Of(double value) => new() { Kind = ParameterTypes.Double, DoubleValue = value };

    public static ParameterValue Of(string value) => new() { Kind = ParameterTypes.String, StringValue = value };

    /// <summary>The value that is not set (what get_parameters answers for a name without a value).</summary>
    public static ParameterValue NotSet { get; } = new();

    /// <summary>Equal when every slot is, the arrays element by element (not by reference).</summary>
    public bool Equals(ParameterValue? other) =>
        other is not null && Kind == other.Kind && BoolValue == other.BoolValue && IntegerValue == other.IntegerValue
        && DoubleValue.Equals(other.DoubleValue) && StringValue == other.StringValue
        && ByteArrayValue.SequenceEqual(other.ByteArrayValue) && BoolArrayValue.SequenceEqual(other.BoolArrayValue)
        && IntegerArrayValue.SequenceEqual(other.IntegerArrayValue) && DoubleArrayValue.SequenceEqual(other.DoubleArrayValue)
        && StringArrayValue.SequenceEqual(other.StringArrayValue);

    public override int GetHashCode() => HashCode.Combine(Kind, BoolValue, IntegerValue, DoubleValue, StringValue);

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(Kind);
        writer.WriteBool(BoolValue);
        writer.WriteInt64(IntegerValue);
        writer.WriteFloat64(DoubleValue);
        writer.WriteString(StringValue);
        writer.WriteByteSequence(ByteArrayValue is byte[] bytes ? bytes : [.. ByteArrayValue]);
        writer.WriteSequenceCount(BoolArrayValue.Count);
        foreach (var b in BoolArrayValue)
        {
            writer.WriteBool(b);
        }
        writer.WriteSequenceCount(IntegerArrayValue.Count);
        foreach (var i in IntegerArrayValue)
        {
            writer.WriteInt64(i);
        }
        writer.WriteSequenceCount(DoubleArrayValue.Count);
        foreach (var d in DoubleArrayValue)
        {
            writer.WriteFloat64(d);
        }
        RclStrings.Write(writer, StringArrayValue);
    }

    public static ParameterValue Read(ref CdrReader reader)
    {
        var kind = reader.ReadByte();
        var b = reader.ReadBool();
        var i = reader.ReadInt64();
        var d = reader.ReadFloat64();
        var s = reader.ReadString();
        var bytes = reader.ReadByteSequence().ToArray();
        var bools = new bool[reader.ReadSequenceCount(1, "bool_array_value")];
        for (int k = 0; k < bools.Length; k++)
        {
            bools[k] = reader.ReadBool();
        }
        var ints = new long[reader.ReadSequenceCount(8, "integer_array_value")];
        for (int k = 0; k < ints.Length; k++)
        {
            ints[k] = reader.ReadInt64();
        }
        var doubles = new double[reader.ReadSequenceCount(8, "double_array_value")];
        for (int k = 0; k < doubles.Length; k++)
        {
            doubles[k] = reader.ReadFloat64();
        }
        return new ParameterValue
        {
            Kind = kind,
            BoolValue = b,
            IntegerValue = i,
            DoubleValue = d,
            StringValue = s,
            ByteArrayValue = bytes,
            BoolArrayValue = bools,
            IntegerArrayValue = ints,
            DoubleArrayValue = doubles,
            StringArrayValue = RclStrings.Read(ref reader, "string_array_value"),
        };
    }
}

/// <summary><c>string[]</c> fields, which rcl_interfaces uses for names and prefixes.</summary>
public static class RclStrings
{
    public static void Write(CdrWriter writer, IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(items);
        writer.WriteSequenceCount(items.Count);
        foreach (var s in items)
        {
            writer.WriteString(s);
        }
    }

    /// <summary>Reads a <c>string[]</c>; every element takes at least its 4-byte length and its NUL.</summary>
    public static string[] Read(ref CdrReader reader, string what)
    {
        var items = new string[reader.ReadSequenceCount(5, what)];
        for (int k = 0; k < items.Length; k++)
        {
            items[k] = reader.ReadString();
        }
        return items;
    }
}

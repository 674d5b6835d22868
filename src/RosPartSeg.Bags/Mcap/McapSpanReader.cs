using System.Buffers.Binary;
using System.Text;

namespace RosPartSeg.Bags.Mcap;

/// <summary>
/// Reads the little-endian fields of one record's content. Every length read from the data is checked against
/// what remains before it is used, so truncated or lying records become a <see cref="McapFormatException"/>.
/// </summary>
internal ref struct McapSpanReader
{
    private readonly ReadOnlySpan<byte> _content;
    private readonly long _recordOffset;
    private readonly McapOpcode _opcode;
    private int _position;

    public McapSpanReader(ReadOnlySpan<byte> content, long recordOffset, McapOpcode opcode)
    {
        _content = content;
        _recordOffset = recordOffset;
        _opcode = opcode;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _content.Length - _position;

    public byte ReadU8() => Take(1, "uint8")[0];

    public ushort ReadU16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "uint16"));

    public uint ReadU32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "uint32"));

    public ulong ReadU64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "uint64"));

    /// <summary>A uint32-length-prefixed UTF-8 string.</summary>
    public string ReadString(string field)
    {
        uint length = ReadU32();
        return Encoding.UTF8.GetString(TakeChecked(length, field));
    }

    /// <summary>A uint32-length-prefixed byte array.</summary>
    public ReadOnlySpan<byte> ReadBytes32(string field) => TakeChecked(ReadU32(), field);

    /// <summary>A uint64-length-prefixed byte array.</summary>
    public ReadOnlySpan<byte> ReadBytes64(string field) => TakeChecked(ReadU64(), field);

    /// <summary>Everything left in the record.</summary>
    public ReadOnlySpan<byte> ReadRest()
    {
        var rest = _content[_position..];
        _position = _content.Length;
        return rest;
    }

    /// <summary>A map or array: uint32 byte length, then the entries; returns a reader over just the entries.</summary>
    public McapSpanReader ReadLengthPrefixedBody(string field)
    {
        var body = TakeChecked(ReadU32(), field);
        return new McapSpanReader(body, _recordOffset, _opcode);
    }

    /// <summary>A map of string to string.</summary>
    public Dictionary<string, string> ReadStringMap(string field)
    {
        var body = ReadLengthPrefixedBody(field);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (body.Remaining > 0)
        {
            string key = body.ReadString(field + " key");
            map[key] = body.ReadString(field + " value");
        }
        return map;
    }

    /// <summary>A map of uint16 to uint64.</summary>
    public Dictionary<ushort, ulong> ReadU16U64Map(string field)
    {
        var body = ReadLengthPrefixedBody(field);
        var map = new Dictionary<ushort, ulong>();
        while (body.Remaining > 0)
        {
            ushort key = body.ReadU16();
            map[key] = body.ReadU64();
        }
        return map;
    }

    public readonly McapFormatException Error(string detail) => new(detail, _recordOffset, _opcode);

    private ReadOnlySpan<byte> TakeChecked(ulong length, string field)
    {
        if (length > (ulong)Remaining)
        {
            throw Error($"field '{field}' claims {length} bytes but only {Remaining} remain in the record");
        }
        return Take((int)length, field);
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
        {
            throw Error($"record too short reading {field}: needs {count} bytes, {Remaining} remain");
        }
        var span = _content.Slice(_position, count);
        _position += count;
        return span;
    }
}

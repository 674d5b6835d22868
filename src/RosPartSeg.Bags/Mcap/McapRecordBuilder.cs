using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace RosPartSeg.Bags.Mcap;

/// <summary>Appends little-endian MCAP fields to a buffer. Lengths of records are patched in when a record ends.</summary>
internal sealed class McapRecordBuilder(ArrayBufferWriter<byte> buffer)
{
    private int _recordStart = -1;

    public ArrayBufferWriter<byte> Buffer => buffer;

    /// <summary>Starts a record: writes the opcode and a length placeholder.</summary>
    public McapRecordBuilder Begin(McapOpcode opcode)
    {
        _recordStart = buffer.WrittenCount;
        U8((byte)opcode).U64(0);
        return this;
    }

    /// <summary>Ends the record begun last, filling in its content length; returns the record's total size.</summary>
    public int End()
    {
        int total = buffer.WrittenCount - _recordStart;
        // ArrayBufferWriter exposes only written memory read-only; patch through the underlying array segment.
        var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory);
        BinaryPrimitives.WriteUInt64LittleEndian(written.Span.Slice(_recordStart + 1, 8), (ulong)(total - McapConstants.RecordPrefixLength));
        _recordStart = -1;
        return total;
    }

    public McapRecordBuilder U8(byte v)
    {
        buffer.GetSpan(1)[0] = v;
        buffer.Advance(1);
        return this;
    }

    public McapRecordBuilder U16(ushort v)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.GetSpan(2), v);
        buffer.Advance(2);
        return this;
    }

    public McapRecordBuilder U32(uint v)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.GetSpan(4), v);
        buffer.Advance(4);
        return this;
    }

    public McapRecordBuilder U64(ulong v)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.GetSpan(8), v);
        buffer.Advance(8);
        return this;
    }

    public McapRecordBuilder Str(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        U32((uint)n);
        Encoding.UTF8.GetBytes(s, buffer.GetSpan(n));
        buffer.Advance(n);
        return this;
    }

    public McapRecordBuilder Raw(ReadOnlySpan<byte> data)
    {
        data.CopyTo(buffer.GetSpan(data.Length));
        buffer.Advance(data.Length);
        return this;
    }

    public McapRecordBuilder Bytes32(ReadOnlySpan<byte> data) => U32((uint)data.Length).Raw(data);

    public McapRecordBuilder StringMap(IReadOnlyDictionary<string, string> map)
    {
        int lengthAt = buffer.WrittenCount;
        U32(0);
        foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Str(k).Str(v);
        }
        PatchU32(lengthAt, (uint)(buffer.WrittenCount - lengthAt - 4));
        return this;
    }

    public McapRecordBuilder U16U64Map(IEnumerable<KeyValuePair<ushort, ulong>> map)
    {
        int lengthAt = buffer.WrittenCount;
        U32(0);
        foreach (var (k, v) in map.OrderBy(p => p.Key))
        {
            U16(k).U64(v);
        }
        PatchU32(lengthAt, (uint)(buffer.WrittenCount - lengthAt - 4));
        return this;
    }

    public McapRecordBuilder TimeOffsetArray(List<(ulong Time, ulong Offset)> entries)
    {
        U32((uint)(entries.Count * 16));
        foreach (var (t, o) in entries)
        {
            U64(t).U64(o);
        }
        return this;
    }

    private void PatchU32(int at, uint value)
    {
        var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory);
        BinaryPrimitives.WriteUInt32LittleEndian(written.Span.Slice(at, 4), value);
    }
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace RosPartSeg.Messages.Cdr;

/// <summary>
/// Writes one plain-CDR (XCDR1, little-endian) message into a growable buffer that is reused from message to
/// message: after <see cref="Reset"/> the same array is written again, so once it has grown to the largest message
/// nothing is allocated. The result is <see cref="WrittenSpan"/> / <see cref="WrittenMemory"/>, valid until the
/// next <see cref="Reset"/>. Not thread-safe.
/// </summary>
public sealed class CdrWriter
{
    private byte[] _buffer;
    private int _pos;

    public CdrWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(initialCapacity, 16)];
        Reset();
    }

    /// <summary>Bytes written so far, encapsulation header included.</summary>
    public int Length => _pos;

    /// <summary>Current capacity of the reused buffer.</summary>
    public int Capacity => _buffer.Length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _pos);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _pos);

    /// <summary>Starts a new message: forgets what was written and writes the header <c>00 01 00 00</c>.</summary>
    public void Reset()
    {
        _buffer[0] = 0x00;
        _buffer[1] = 0x01;
        _buffer[2] = 0x00;
        _buffer[3] = 0x00;
        _pos = CdrReader.HeaderSize;
    }

    /// <summary>Replaces a buffer larger than <paramref name="capacity"/> with one of that size (what was written is dropped).</summary>
    public void Shrink(int capacity)
    {
        if (_buffer.Length > Math.Max(capacity, 16))
        {
            _buffer = new byte[Math.Max(capacity, 16)];
            _pos = 0;
        }
    }

    /// <summary>Makes sure <paramref name="bytes"/> more bytes fit without growing later.</summary>
    public void EnsureCapacity(int bytes)
    {
        long needed = (long)_pos + bytes;
        if (needed > _buffer.Length)
        {
            Grow(needed);
        }
    }

    private void Grow(long needed)
    {
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"CDR message of {needed} bytes is too large");
        }
        long size = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        Array.Resize(ref _buffer, (int)size);
    }

    /// <summary>Writes zero padding so the next value is aligned to <paramref name="size"/>, counted after the header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Align(int size)
    {
        int pad = (size - ((_pos - CdrReader.HeaderSize) & (size - 1))) & (size - 1);
        if (pad != 0)
        {
            EnsureCapacity(pad);
            _buffer.AsSpan(_pos, pad).Clear();
            _pos += pad;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Advance(int size)
    {
        Align(size);
        EnsureCapacity(size);
        var s = _buffer.AsSpan(_pos, size);
        _pos += size;
        return s;
    }

    public void WriteByte(byte value)
    {
        EnsureCapacity(1);
        _buffer[_pos++] = value;
    }

    public void WriteSByte(sbyte value) => WriteByte(unchecked((byte)value));

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Advance(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Advance(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Advance(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Advance(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Advance(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Advance(8), value);

    public void WriteFloat32(float value) => BinaryPrimitives.WriteSingleLittleEndian(Advance(4), value);

    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Advance(8), value);

    /// <summary>Writes a string as UTF-8: length (bytes + 1), the bytes, a NUL. Encodes straight into the buffer.</summary>
    public void WriteString(string? value)
    {
        value ??= string.Empty;
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteUInt32(checked((uint)byteCount + 1));
        EnsureCapacity(byteCount + 1);
        int written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_pos, byteCount));
        _pos += written;
        _buffer[_pos++] = 0;
    }

    /// <summary>Writes a string given as UTF-8 bytes (no NUL inside).</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        WriteUInt32(checked((uint)utf8.Length + 1));
        EnsureCapacity(utf8.Length + 1);
        utf8.CopyTo(_buffer.AsSpan(_pos));
        _pos += utf8.Length;
        _buffer[_pos++] = 0;
    }

    /// <summary>
    /// Starts a string whose bytes are written with <see cref="WriteRaw"/> or <see cref="WriteRawByte"/> and closed
    /// with <see cref="EndString"/>, which patches in the length: for ids formatted without a temporary string.
    /// </summary>
    public int BeginString()
    {
        WriteUInt32(0);
        return _pos;
    }

    /// <summary>Ends a string started with <see cref="BeginString"/>: writes the NUL and patches the length.</summary>
    public void EndString(int start)
    {
        WriteByte(0);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start - 4, 4), checked((uint)(_pos - start)));
    }

    /// <summary>Writes bytes with no length or alignment (inside a string being built, or a fixed array).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_pos));
        _pos += bytes.Length;
    }

    public void WriteRawByte(byte value) => WriteByte(value);

    /// <summary>Writes a non-negative integer in decimal digits with no length (inside a string being built).</summary>
    public void WriteRawDecimal(int value)
    {
        EnsureCapacity(11);
        if (!value.TryFormat(_buffer.AsSpan(_pos), out int written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("decimal formatting failed");
        }
        _pos += written;
    }

    /// <summary>Writes a <c>uint8[]</c> sequence: count, then the bytes in one block copy.</summary>
    public void WriteByteSequence(ReadOnlySpan<byte> bytes)
    {
        WriteUInt32(checked((uint)bytes.Length));
        WriteRaw(bytes);
    }

    /// <summary>
    /// Writes a <c>uint8[]</c> sequence of <paramref name="length"/> bytes and returns the span to fill in place,
    /// so a producer can render straight into the message (valid until the next write).
    /// </summary>
    public Span<byte> WriteByteSequence(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        WriteUInt32((uint)length);
        EnsureCapacity(length);
        var s = _buffer.AsSpan(_pos, length);
        _pos += length;
        return s;
    }

    /// <summary>Writes a sequence's element count (elements follow, written by the caller).</summary>
    public void WriteSequenceCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteUInt32((uint)count);
    }

    /// <summary>Copies the message to a new array (for callers that must keep it past the next <see cref="Reset"/>).</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();
}

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace RosPartSeg.Messages.Cdr;

/// <summary>
/// Reads one plain-CDR (XCDR1, little-endian) message: the 4-byte encapsulation header, then the fields, each
/// primitive aligned to its own size counted from the first byte after the header. Every length read from the
/// data is checked against what remains and against <see cref="CdrLimits"/> before it is used; any problem is a
/// <see cref="CdrException"/>. Built over a <see cref="ReadOnlyMemory{T}"/>, byte sequences can be returned as
/// slices of the message (no copy); built over a span only, they are copied.
/// </summary>
public ref struct CdrReader
{
    /// <summary>Size of the encapsulation header; alignment is counted from here.</summary>
    public const int HeaderSize = 4;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly bool _hasMemory;
    private readonly CdrLimits _limits;
    private readonly Utf8StringCache? _strings;
    private int _pos;

    /// <summary>Reader over a span; byte sequences read as memory are copied.</summary>
    public CdrReader(ReadOnlySpan<byte> message, CdrLimits? limits = null, Utf8StringCache? strings = null)
    {
        _buffer = message;
        _memory = default;
        _hasMemory = false;
        _limits = limits ?? CdrLimits.Default;
        _strings = strings;
        _pos = 0;
        ReadEncapsulation();
    }

    /// <summary>Reader over memory; <see cref="ReadByteSequenceMemory"/> returns slices of it (no copy).</summary>
    public CdrReader(ReadOnlyMemory<byte> message, CdrLimits? limits = null, Utf8StringCache? strings = null)
    {
        _buffer = message.Span;
        _memory = message;
        _hasMemory = true;
        _limits = limits ?? CdrLimits.Default;
        _strings = strings;
        _pos = 0;
        ReadEncapsulation();
    }

    /// <summary>Offset of the next byte to read, from the start of the message (header included).</summary>
    public readonly int Position => _pos;

    /// <summary>Bytes not yet read (trailing padding of a message is allowed and ignored by callers).</summary>
    public readonly int Remaining => _buffer.Length - _pos;

    public readonly CdrLimits Limits => _limits;

    private void ReadEncapsulation()
    {
        if (_buffer.Length < HeaderSize)
        {
            ThrowTruncated(0, HeaderSize, "the 4-byte CDR encapsulation header");
        }
        // Byte 0 is always 0; byte 1 is the representation: 0x00 CDR_BE, 0x01 CDR_LE; XCDR2 uses 0x06..0x0B.
        if (_buffer[0] != 0x00 || _buffer[1] != 0x01)
        {
            string found = $"{_buffer[0]:x2} {_buffer[1]:x2}";
            string what = _buffer[0] == 0 && _buffer[1] == 0x00
                ? "big-endian CDR is not supported"
                : $"unsupported CDR encapsulation {found}";
            throw new CdrException(what, 0, "00 01 (plain CDR, little-endian)");
        }
        _pos = HeaderSize;
    }

    /// <summary>Skips padding so the next read is aligned to <paramref name="size"/> (1, 2, 4 or 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Align(int size)
    {
        int pad = (size - ((_pos - HeaderSize) & (size - 1))) & (size - 1);
        if (pad > _buffer.Length - _pos)
        {
            ThrowTruncated(_pos, pad, $"{pad} padding bytes before a {size}-byte value");
        }
        _pos += pad;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int size, string what)
    {
        Align(size);
        if (size > _buffer.Length - _pos)
        {
            ThrowTruncated(_pos, size, what);
        }
        var s = _buffer.Slice(_pos, size);
        _pos += size;
        return s;
    }

    public byte ReadByte()
    {
        if (_pos >= _buffer.Length)
        {
            ThrowTruncated(_pos, 1, "a byte");
        }
        return _buffer[_pos++];
    }

    public sbyte ReadSByte() => unchecked((sbyte)ReadByte());

    /// <summary>A bool is one byte; any non-zero value reads as true.</summary>
    public bool ReadBool() => ReadByte() != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2, "an int16"));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "a uint16"));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "an int32"));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "a uint32"));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "an int64"));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "a uint64"));

    public float ReadFloat32() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "a float32"));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, "a float64"));

    /// <summary>
    /// Reads a string's UTF-8 bytes without the terminating NUL, as a slice of the message (no allocation).
    /// A length of 0 is accepted as the empty string (some writers emit it); otherwise the last byte must be NUL.
    /// </summary>
    public ReadOnlySpan<byte> ReadStringBytes()
    {
        int at = _pos;
        uint length = ReadUInt32();
        if (length == 0)
        {
            return [];
        }
        if (length - 1 > (uint)_limits.MaxStringBytes)
        {
            throw new CdrException($"string length {length} exceeds the limit", at, $"at most {_limits.MaxStringBytes} bytes");
        }
        if (length > (uint)(_buffer.Length - _pos))
        {
            ThrowTruncated(_pos, (long)length, $"{length} string bytes (length field at byte {at})");
        }
        var bytes = _buffer.Slice(_pos, (int)length);
        if (bytes[^1] != 0)
        {
            throw new CdrException("string is not NUL-terminated", _pos + (int)length - 1, "a NUL byte ending the string");
        }
        _pos += (int)length;
        return bytes[..^1];
    }

    /// <summary>Reads a string. Invalid UTF-8 is replaced (U+FFFD), as ROS strings are not validated by senders.
    /// With a <see cref="Utf8StringCache"/>, a string seen recently is returned without allocating.</summary>
    public string ReadString()
    {
        var bytes = ReadStringBytes();
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }
        return _strings is null ? Encoding.UTF8.GetString(bytes) : _strings.Get(bytes);
    }

    /// <summary>
    /// Reads a sequence's element count and checks it: within <see cref="CdrLimits.MaxSequenceCount"/>, and the
    /// elements (at least <paramref name="minElementSize"/> bytes each) fit in what remains.
    /// </summary>
    public int ReadSequenceCount(int minElementSize, string what)
    {
        int at = _pos;
        uint count = ReadUInt32();
        if (count > (uint)_limits.MaxSequenceCount)
        {
            throw new CdrException($"sequence of {count} {what} exceeds the limit", at, $"at most {_limits.MaxSequenceCount} elements");
        }
        long needed = (long)count * Math.Max(minElementSize, 0);
        if (needed > _buffer.Length - _pos)
        {
            ThrowTruncated(_pos, needed, $"{count} {what} of at least {minElementSize} bytes each (count at byte {at})");
        }
        return (int)count;
    }

    /// <summary>Reads a <c>uint8[]</c> sequence as a slice of the message (no copy).</summary>
    public ReadOnlySpan<byte> ReadByteSequence()
    {
        var (start, length) = ReadByteSequenceRange();
        return _buffer.Slice(start, length);
    }

    /// <summary>
    /// Reads a <c>uint8[]</c> sequence as memory: a slice of the message when the reader was built over memory,
    /// otherwise a copy.
    /// </summary>
    public ReadOnlyMemory<byte> ReadByteSequenceMemory()
    {
        var (start, length) = ReadByteSequenceRange();
        return _hasMemory ? _memory.Slice(start, length) : _buffer.Slice(start, length).ToArray();
    }

    private (int Start, int Length) ReadByteSequenceRange()
    {
        int at = _pos;
        uint length = ReadUInt32();
        if (length > (uint)_limits.MaxByteSequenceLength)
        {
            throw new CdrException($"byte sequence of {length} bytes exceeds the limit", at, $"at most {_limits.MaxByteSequenceLength} bytes");
        }
        if (length > (uint)(_buffer.Length - _pos))
        {
            ThrowTruncated(_pos, (long)length, $"{length} bytes of a byte sequence (length at byte {at})");
        }
        int start = _pos;
        _pos += (int)length;
        return (start, (int)length);
    }

    /// <summary>Reads a fixed-size byte array (e.g. <c>char[24]</c>) into <paramref name="destination"/>.</summary>
    public void ReadFixedBytes(scoped Span<byte> destination)
    {
        if (destination.Length > _buffer.Length - _pos)
        {
            ThrowTruncated(_pos, destination.Length, $"a fixed array of {destination.Length} bytes");
        }
        _buffer.Slice(_pos, destination.Length).CopyTo(destination);
        _pos += destination.Length;
    }

    [DoesNotReturn]
    private readonly void ThrowTruncated(int offset, long needed, string what)
        => throw new CdrException($"message truncated: {needed} bytes needed but {_buffer.Length - offset} remain", offset, what);
}

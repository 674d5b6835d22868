using System.Buffers.Binary;

namespace RosPartSeg.Messages.Cdr;

/// <summary>
/// Walks a plain-CDR message with exactly the checks of <see cref="CdrReader"/> (encapsulation header, alignment,
/// lengths against what remains and against <see cref="CdrLimits"/>, NUL-terminated strings) but answers false
/// instead of throwing. Hot paths that meet malformed data in volume (a fuzzed or broken publisher) refuse it with
/// this and no exception, which keeps the garbage per bad message at zero; <see cref="CdrReader"/> then reads a
/// message known to be well formed, and still explains a bad one when a message is wanted for a log line.
/// </summary>
public ref struct CdrScanner
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly CdrLimits _limits;
    private int _pos;

    /// <summary>Starts after the encapsulation header; <see cref="Ok"/> is false if the header is not plain little-endian CDR.</summary>
    public CdrScanner(ReadOnlySpan<byte> message, CdrLimits? limits = null)
    {
        _buffer = message;
        _limits = limits ?? CdrLimits.Default;
        Ok = message.Length >= CdrReader.HeaderSize && message[0] == 0x00 && message[1] == 0x01;
        _pos = CdrReader.HeaderSize;
    }

    /// <summary>False from the first check that failed on.</summary>
    public bool Ok { get; private set; }

    /// <summary>A uint32 (aligned to 4), or 0 once a check has failed.</summary>
    public uint UInt32()
    {
        if (!Align(4) || !Has(4))
        {
            return 0;
        }
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(_pos, 4));
        _pos += 4;
        return v;
    }

    /// <summary>One byte, or 0 once a check has failed.</summary>
    public byte Byte()
    {
        if (!Has(1))
        {
            return 0;
        }
        return _buffer[_pos++];
    }

    /// <summary>A string's bytes without the NUL (length 0 is the empty string, as in <see cref="CdrReader.ReadStringBytes"/>).</summary>
    public ReadOnlySpan<byte> StringBytes()
    {
        uint length = UInt32();
        if (!Ok || length == 0)
        {
            return [];
        }
        if (length - 1 > (uint)_limits.MaxStringBytes || !Has(length) || _buffer[_pos + (int)length - 1] != 0)
        {
            return Fail();
        }
        var bytes = _buffer.Slice(_pos, (int)length - 1);
        _pos += (int)length;
        return bytes;
    }

    /// <summary>A <c>uint8[]</c> sequence: its offset in the message and its length, or (0, 0) once a check has failed.</summary>
    public (int Start, int Length) ByteSequence()
    {
        uint length = UInt32();
        if (!Ok)
        {
            return default;
        }
        if (length > (uint)_limits.MaxByteSequenceLength || !Has(length))
        {
            Fail();
            return default;
        }
        int start = _pos;
        _pos += (int)length;
        return (start, (int)length);
    }

    private bool Align(int size)
    {
        int pad = (size - ((_pos - CdrReader.HeaderSize) & (size - 1))) & (size - 1);
        if (!Has((uint)pad))
        {
            return false;
        }
        _pos += pad;
        return true;
    }

    private bool Has(uint bytes)
    {
        if (Ok && bytes <= (uint)(_buffer.Length - _pos))
        {
            return true;
        }
        Ok = false;
        return false;
    }

    private ReadOnlySpan<byte> Fail()
    {
        Ok = false;
        return [];
    }
}

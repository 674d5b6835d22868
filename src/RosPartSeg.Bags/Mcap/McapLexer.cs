using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace RosPartSeg.Bags.Mcap;

/// <summary>
/// Splits an MCAP byte stream into raw records (opcode, content, offset) without interpreting them. Keeps a running
/// CRC32 of the bytes it has passed so a reader can check the DataEnd and Footer CRCs while streaming. Content is
/// read into one reused buffer that grows to the largest record seen.
/// </summary>
public sealed class McapLexer : IDisposable
{
    private readonly Stream _stream;
    private readonly McapReaderOptions _options;
    private readonly Crc32 _crc = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private readonly byte[] _prefix = new byte[McapConstants.RecordPrefixLength];
    private int _pendingLength = -1; // bytes of the current record's content not yet hashed; -1 = nothing pending
    private bool _skipPendingHash;
    private long _position;

    public McapLexer(Stream stream, McapReaderOptions? options = null, long startPosition = 0)
    {
        _stream = stream;
        _options = options ?? McapReaderOptions.Default;
        _position = startPosition;
    }

    /// <summary>File offset of the next byte to be read.</summary>
    public long Position => _position;

    /// <summary>CRC32 of all bytes passed before the current record (since the start or the last restart).</summary>
    public uint CrcBeforeCurrent => _crc.GetCurrentHashAsUInt32();

    /// <summary>Reads and checks the 8-byte magic.</summary>
    public void ReadMagic(string where)
    {
        Span<byte> magic = stackalloc byte[8];
        int got = ReadFully(magic);
        if (got < 8 || !magic.SequenceEqual(McapConstants.Magic))
        {
            throw new McapFormatException(
                got < 8 ? $"file ends before the {where} magic ({got} of 8 bytes)" : $"wrong {where} magic: not an MCAP file",
                _position - got);
        }
        if (_options.ValidateCrcs)
        {
            _crc.Append(magic);
        }
    }

    /// <summary>Reads the next record, or returns false at a clean end of stream.</summary>
    public bool TryNext(out McapRawRecord record)
    {
        HashPending();
        long offset = _position;
        int got = ReadFully(_prefix);
        if (got == 0)
        {
            record = default;
            return false;
        }
        if (got < _prefix.Length)
        {
            throw new McapFormatException($"file truncated inside a record header ({got} of 9 bytes)", offset);
        }
        byte opcode = _prefix[0];
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(_prefix.AsSpan(1));
        CheckLength(length, offset, opcode);
        int len = (int)length;
        if (_buffer.Length < len)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(len);
        }
        int read = ReadFully(_buffer.AsSpan(0, len));
        if (read < len)
        {
            throw new McapFormatException($"file truncated: record content has {read} of {len} bytes", offset, (McapOpcode)opcode);
        }
        _pendingLength = len;
        record = new McapRawRecord(opcode, _buffer.AsMemory(0, len), offset);
        return true;
    }

    /// <summary>Starts the running CRC afresh after the current record (the summary CRC starts after DataEnd).</summary>
    public void RestartCrcAfterCurrent()
    {
        _skipPendingHash = true;
        _crc.Reset();
    }

    /// <summary>Adds the current record's prefix and first <paramref name="contentBytes"/> bytes to the CRC and returns it (Footer check).</summary>
    public uint CrcThroughCurrent(int contentBytes)
    {
        _crc.Append(_prefix);
        _crc.Append(_buffer.AsSpan(0, contentBytes));
        _pendingLength = -1;
        return _crc.GetCurrentHashAsUInt32();
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void HashPending()
    {
        if (_pendingLength >= 0 && _options.ValidateCrcs && !_skipPendingHash)
        {
            _crc.Append(_prefix);
            _crc.Append(_buffer.AsSpan(0, _pendingLength));
        }
        _pendingLength = -1;
        _skipPendingHash = false;
    }

    private void CheckLength(ulong length, long offset, byte opcode)
    {
        if (length > (ulong)_options.MaxRecordLength || length > (ulong)Array.MaxLength)
        {
            throw new McapFormatException(
                $"record length {length} exceeds the limit of {Math.Min(_options.MaxRecordLength, Array.MaxLength)} bytes",
                offset, (McapOpcode)opcode);
        }
        if (_stream.CanSeek)
        {
            long remaining = _stream.Length - _stream.Position;
            if ((long)length > remaining)
            {
                throw new McapFormatException(
                    $"file truncated: record claims {length} bytes but only {remaining} remain", offset, (McapOpcode)opcode);
            }
        }
    }

    private int ReadFully(Span<byte> target)
    {
        int total = 0;
        while (total < target.Length)
        {
            int n = _stream.Read(target[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        _position += total;
        return total;
    }
}

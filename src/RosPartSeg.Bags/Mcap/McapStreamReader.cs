using System.Buffers.Binary;
using System.IO.Hashing;

namespace RosPartSeg.Bags.Mcap;

/// <summary>
/// Reads an MCAP file front to back without needing its summary. Records inside a chunk are yielded in place of
/// the chunk (after the chunk is decompressed and its CRC checked); every present CRC is validated; the Footer is the
/// last record and the closing magic is checked after it. Message data points into reused buffers: it is valid until
/// the enumeration moves on.
/// </summary>
public sealed class McapStreamReader : IDisposable
{
    private readonly Stream _stream;
    private readonly McapReaderOptions _options;
    private readonly bool _leaveOpen;
    private readonly McapChunkCodec _codec = new();

    public McapStreamReader(Stream stream, McapReaderOptions? options = null, bool leaveOpen = false)
    {
        _stream = stream;
        _options = options ?? McapReaderOptions.Default;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Opens a file for sequential reading.</summary>
    public static McapStreamReader Open(string path, McapReaderOptions? options = null) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan), options);

    /// <summary>Yields every record in file order (chunks expanded, MessageIndex records included).</summary>
    public IEnumerable<McapRecord> ReadRecords()
    {
        using var lexer = new McapLexer(_stream, _options, _stream.CanSeek ? _stream.Position : 0);
        lexer.ReadMagic("leading");
        bool sawDataEnd = false;
        bool first = true;
        while (true)
        {
            if (!lexer.TryNext(out var raw))
            {
                throw new McapFormatException("file truncated: ended before the Footer record", lexer.Position);
            }
            if (first && raw.Opcode != (byte)McapOpcode.Header)
            {
                throw new McapFormatException("the first record is not a Header", raw.Offset, (McapOpcode)raw.Opcode);
            }
            first = false;
            switch ((McapOpcode)raw.Opcode)
            {
                case McapOpcode.Chunk:
                    foreach (var inner in ReadChunk(raw))
                    {
                        yield return inner;
                    }
                    break;
                case McapOpcode.DataEnd:
                    var dataEnd = McapRecordParser.ParseDataEnd(raw.Content.Span, raw.Offset);
                    CheckCrc(dataEnd.DataSectionCrc, lexer.CrcBeforeCurrent, "data section", raw);
                    lexer.RestartCrcAfterCurrent();
                    sawDataEnd = true;
                    yield return dataEnd;
                    break;
                case McapOpcode.Footer:
                    var footer = McapRecordParser.ParseFooter(raw.Content.Span, raw.Offset);
                    if (footer.SummaryCrc != 0 && _options.ValidateCrcs && sawDataEnd && footer.SummaryStart != 0)
                    {
                        CheckCrc(footer.SummaryCrc, lexer.CrcThroughCurrent(16), "summary", raw);
                    }
                    lexer.ReadMagic("trailing");
                    yield return footer;
                    yield break;
                default:
                    yield return McapRecordParser.Parse(raw.Opcode, raw.Content, raw.Offset, _options.ValidateCrcs);
                    break;
            }
        }
    }

    /// <summary>Decompresses a chunk, checks its CRC and yields the records inside it.</summary>
    public IEnumerable<McapRecord> ReadChunk(McapRawRecord raw)
    {
        var chunk = McapRecordParser.ParseChunk(raw.Content.Span, raw.Offset);
        if (chunk.UncompressedSize > (ulong)_options.MaxChunkUncompressedSize || chunk.UncompressedSize > (ulong)Array.MaxLength)
        {
            throw new McapFormatException(
                $"chunk uncompressed_size {chunk.UncompressedSize} exceeds the limit of {_options.MaxChunkUncompressedSize} bytes",
                raw.Offset, McapOpcode.Chunk);
        }
        int start = (int)(chunk.RecordsOffset - raw.Offset - McapConstants.RecordPrefixLength);
        var compressed = raw.Content.Slice(start, (int)chunk.RecordsLength);
        var records = _codec.Decompress(chunk.Compression, compressed, (int)chunk.UncompressedSize, raw.Offset);
        if (chunk.UncompressedCrc != 0 && _options.ValidateCrcs)
        {
            CheckCrc(chunk.UncompressedCrc, Crc32.HashToUInt32(records.Span), "chunk", raw);
        }
        return EnumerateChunkRecords(records, raw.Offset);
    }

    public void Dispose()
    {
        _codec.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private IEnumerable<McapRecord> EnumerateChunkRecords(ReadOnlyMemory<byte> records, long chunkOffset)
    {
        int pos = 0;
        while (pos < records.Length)
        {
            var (opcode, content) = SliceInner(records.Span, pos, chunkOffset);
            var memory = records.Slice(pos + McapConstants.RecordPrefixLength, content);
            pos += McapConstants.RecordPrefixLength + content;
            if (opcode == (byte)McapOpcode.Chunk)
            {
                throw new McapFormatException("a chunk contains another chunk", chunkOffset, McapOpcode.Chunk);
            }
            yield return McapRecordParser.Parse(opcode, memory, chunkOffset, _options.ValidateCrcs);
        }
    }

    private static (byte Opcode, int Length) SliceInner(ReadOnlySpan<byte> records, int pos, long chunkOffset)
    {
        int remaining = records.Length - pos;
        if (remaining < McapConstants.RecordPrefixLength)
        {
            throw new McapFormatException(
                $"chunk records end inside a record header at uncompressed offset {pos}", chunkOffset, McapOpcode.Chunk);
        }
        byte opcode = records[pos];
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(records.Slice(pos + 1, 8));
        if (length > (ulong)(remaining - McapConstants.RecordPrefixLength))
        {
            throw new McapFormatException(
                $"record 0x{opcode:X2} at uncompressed offset {pos} claims {length} bytes but the chunk has {remaining - McapConstants.RecordPrefixLength} left",
                chunkOffset, McapOpcode.Chunk);
        }
        return (opcode, (int)length);
    }

    private void CheckCrc(uint expected, uint actual, string what, McapRawRecord raw)
    {
        if (expected != 0 && _options.ValidateCrcs && expected != actual)
        {
            throw new McapFormatException(
                $"{what} CRC mismatch: expected {expected}, computed {actual}", raw.Offset, (McapOpcode)raw.Opcode);
        }
    }
}

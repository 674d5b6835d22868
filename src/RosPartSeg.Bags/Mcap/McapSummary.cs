using System.Buffers.Binary;
using System.IO.Hashing;

namespace RosPartSeg.Bags.Mcap;

/// <summary>
/// What an MCAP file's summary section says: schemas, channels, statistics and indexes, read from the end of the
/// file without touching the data section. <see cref="TryRead"/> returns null for files without a summary.
/// </summary>
public sealed class McapSummary
{
    public required McapHeader Header { get; init; }

    public required McapFooter Footer { get; init; }

    public IReadOnlyDictionary<ushort, McapSchema> Schemas { get; init; } = new Dictionary<ushort, McapSchema>();

    public IReadOnlyDictionary<ushort, McapChannel> Channels { get; init; } = new Dictionary<ushort, McapChannel>();

    public McapStatistics? Statistics { get; init; }

    public IReadOnlyList<McapChunkIndex> ChunkIndexes { get; init; } = [];

    public IReadOnlyList<McapMetadataIndex> MetadataIndexes { get; init; } = [];

    public IReadOnlyList<McapAttachmentIndex> AttachmentIndexes { get; init; } = [];

    /// <summary>Reads the Header, Footer and summary section of a seekable stream; null when the file has no summary.</summary>
    public static McapSummary? TryRead(Stream stream, McapReaderOptions? options = null)
    {
        options ??= McapReaderOptions.Default;
        long length = stream.Length;
        const int minimum = 8 + McapConstants.RecordPrefixLength + McapConstants.FooterContentLength + 8;
        if (length < minimum)
        {
            throw new McapFormatException($"file of {length} bytes is too short for MCAP (at least {minimum})", 0);
        }
        stream.Position = 0;
        McapHeader header;
        using (var lexer = new McapLexer(stream, options with { ValidateCrcs = false }))
        {
            lexer.ReadMagic("leading");
            if (!lexer.TryNext(out var raw) || raw.Opcode != (byte)McapOpcode.Header)
            {
                throw new McapFormatException("the first record is not a Header", 8);
            }
            header = McapRecordParser.ParseHeader(raw.Content.Span, raw.Offset);
        }

        long footerOffset = length - 8 - McapConstants.RecordPrefixLength - McapConstants.FooterContentLength;
        var tail = new byte[McapConstants.RecordPrefixLength + McapConstants.FooterContentLength + 8];
        stream.Position = footerOffset;
        stream.ReadExactly(tail);
        if (!tail.AsSpan(tail.Length - 8).SequenceEqual(McapConstants.Magic))
        {
            throw new McapFormatException("wrong trailing magic: file truncated or not MCAP", length - 8);
        }
        if (tail[0] != (byte)McapOpcode.Footer || BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(1)) != McapConstants.FooterContentLength)
        {
            throw new McapFormatException("no Footer record before the trailing magic", footerOffset);
        }
        var footer = McapRecordParser.ParseFooter(tail.AsSpan(McapConstants.RecordPrefixLength, McapConstants.FooterContentLength), footerOffset);
        if (footer.SummaryStart == 0)
        {
            return null;
        }
        if (footer.SummaryStart >= (ulong)footerOffset)
        {
            throw new McapFormatException($"Footer summary_start {footer.SummaryStart} is past the Footer", footerOffset, McapOpcode.Footer);
        }
        long summaryLength = footerOffset - (long)footer.SummaryStart;
        if (summaryLength > options.MaxRecordLength)
        {
            throw new McapFormatException($"summary section of {summaryLength} bytes exceeds the limit", footerOffset, McapOpcode.Footer);
        }
        var summary = new byte[summaryLength];
        stream.Position = (long)footer.SummaryStart;
        stream.ReadExactly(summary);
        if (options.ValidateCrcs && footer.SummaryCrc != 0)
        {
            var crc = new Crc32();
            crc.Append(summary);
            crc.Append(tail.AsSpan(0, McapConstants.RecordPrefixLength + 16));
            uint actual = crc.GetCurrentHashAsUInt32();
            if (actual != footer.SummaryCrc)
            {
                throw new McapFormatException($"summary CRC mismatch: expected {footer.SummaryCrc}, computed {actual}", footerOffset, McapOpcode.Footer);
            }
        }
        return Parse(header, footer, summary);
    }

    private static McapSummary Parse(McapHeader header, McapFooter footer, byte[] summary)
    {
        var schemas = new Dictionary<ushort, McapSchema>();
        var channels = new Dictionary<ushort, McapChannel>();
        var chunks = new List<McapChunkIndex>();
        var metadata = new List<McapMetadataIndex>();
        var attachments = new List<McapAttachmentIndex>();
        McapStatistics? statistics = null;
        int pos = 0;
        while (pos < summary.Length)
        {
            long offset = (long)footer.SummaryStart + pos;
            if (summary.Length - pos < McapConstants.RecordPrefixLength)
            {
                throw new McapFormatException("summary section ends inside a record header", offset);
            }
            byte opcode = summary[pos];
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(summary.AsSpan(pos + 1));
            if (len > (ulong)(summary.Length - pos - McapConstants.RecordPrefixLength))
            {
                throw new McapFormatException($"summary record claims {len} bytes, past the Footer", offset, (McapOpcode)opcode);
            }
            var content = summary.AsMemory(pos + McapConstants.RecordPrefixLength, (int)len);
            pos += McapConstants.RecordPrefixLength + (int)len;
            switch (McapRecordParser.Parse(opcode, content, offset))
            {
                case McapSchema s: schemas[s.Id] = s; break;
                case McapChannel c: channels[c.Id] = c; break;
                case McapStatistics s: statistics = s; break;
                case McapChunkIndex c: chunks.Add(c); break;
                case McapMetadataIndex m: metadata.Add(m); break;
                case McapAttachmentIndex a: attachments.Add(a); break;
                default: break; // SummaryOffset and unknown records carry nothing needed here.
            }
        }
        return new McapSummary
        {
            Header = header, Footer = footer, Schemas = schemas, Channels = channels, Statistics = statistics,
            ChunkIndexes = chunks, MetadataIndexes = metadata, AttachmentIndexes = attachments,
        };
    }
}

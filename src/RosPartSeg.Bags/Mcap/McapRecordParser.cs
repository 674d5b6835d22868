using System.IO.Hashing;

namespace RosPartSeg.Bags.Mcap;

/// <summary>
/// One parse function per record type. Each reads the fields the spec defines and ignores bytes after them
/// (later format versions may append fields). Byte fields are copied except a Message's data, which is a slice of
/// <c>content</c> so image payloads are not copied.
/// </summary>
public static class McapRecordParser
{
    /// <summary>Parses a record of any known opcode; unknown opcodes yield <see cref="McapUnknownRecord"/>.</summary>
    /// <param name="opcode">The raw opcode byte.</param>
    /// <param name="content">The record content (after opcode and length).</param>
    /// <param name="offset">File offset of the record's opcode, for errors and chunk locations.</param>
    /// <param name="validateCrc">Check an Attachment's CRC when it is non-zero.</param>
    public static McapRecord Parse(byte opcode, ReadOnlyMemory<byte> content, long offset, bool validateCrc = true)
    {
        var op = (McapOpcode)opcode;
        return op switch
        {
            McapOpcode.Header => ParseHeader(content.Span, offset),
            McapOpcode.Footer => ParseFooter(content.Span, offset),
            McapOpcode.Schema => ParseSchema(content.Span, offset),
            McapOpcode.Channel => ParseChannel(content.Span, offset),
            McapOpcode.Message => ParseMessage(content, offset),
            McapOpcode.Chunk => ParseChunk(content.Span, offset),
            McapOpcode.MessageIndex => ParseMessageIndex(content.Span, offset),
            McapOpcode.ChunkIndex => ParseChunkIndex(content.Span, offset),
            McapOpcode.Attachment => ParseAttachment(content.Span, offset, validateCrc),
            McapOpcode.AttachmentIndex => ParseAttachmentIndex(content.Span, offset),
            McapOpcode.Statistics => ParseStatistics(content.Span, offset),
            McapOpcode.Metadata => ParseMetadata(content.Span, offset),
            McapOpcode.MetadataIndex => ParseMetadataIndex(content.Span, offset),
            McapOpcode.SummaryOffset => ParseSummaryOffset(content.Span, offset),
            McapOpcode.DataEnd => ParseDataEnd(content.Span, offset),
            _ => new McapUnknownRecord(opcode, content.ToArray()),
        };
    }

    public static McapHeader ParseHeader(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.Header);
        return new McapHeader(r.ReadString("profile"), r.ReadString("library"));
    }

    public static McapFooter ParseFooter(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.Footer);
        return new McapFooter(r.ReadU64(), r.ReadU64(), r.ReadU32());
    }

    public static McapSchema ParseSchema(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.Schema);
        ushort id = r.ReadU16();
        string name = r.ReadString("name");
        string encoding = r.ReadString("encoding");
        return new McapSchema(id, name, encoding, r.ReadBytes32("data").ToArray());
    }

    public static McapChannel ParseChannel(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.Channel);
        ushort id = r.ReadU16();
        ushort schemaId = r.ReadU16();
        string topic = r.ReadString("topic");
        string encoding = r.ReadString("message_encoding");
        return new McapChannel(id, schemaId, topic, encoding, r.ReadStringMap("metadata"));
    }

    public static McapMessage ParseMessage(ReadOnlyMemory<byte> content, long offset)
    {
        var r = new McapSpanReader(content.Span, offset, McapOpcode.Message);
        ushort channel = r.ReadU16();
        uint sequence = r.ReadU32();
        ulong logTime = r.ReadU64();
        ulong publishTime = r.ReadU64();
        return new McapMessage(channel, sequence, logTime, publishTime, content[r.Position..]);
    }

    public static McapChunk ParseChunk(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.Chunk);
        ulong start = r.ReadU64();
        ulong end = r.ReadU64();
        ulong uncompressedSize = r.ReadU64();
        uint crc = r.ReadU32();
        string compression = r.ReadString("compression");
        ulong length = r.ReadU64();
        if (length > (ulong)r.Remaining)
        {
            throw r.Error($"chunk records claim {length} bytes but only {r.Remaining} remain in the record");
        }
        long recordsOffset = offset + McapConstants.RecordPrefixLength + r.Position;
        return new McapChunk(start, end, uncompressedSize, crc, compression, recordsOffset, (long)length);
    }

    public static McapMessageIndex ParseMessageIndex(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.MessageIndex);
        ushort channel = r.ReadU16();
        var body = r.ReadLengthPrefixedBody("records");
        var entries = new List<(ulong, ulong)>(body.Remaining / 16);
        while (body.Remaining > 0)
        {
            entries.Add((body.ReadU64(), body.ReadU64()));
        }
        return new McapMessageIndex(channel, entries);
    }

    public static McapChunkIndex ParseChunkIndex(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.ChunkIndex);
        ulong start = r.ReadU64();
        ulong end = r.ReadU64();
        ulong chunkOffset = r.ReadU64();
        ulong chunkLength = r.ReadU64();
        var indexOffsets = r.ReadU16U64Map("message_index_offsets");
        ulong indexLength = r.ReadU64();
        string compression = r.ReadString("compression");
        ulong compressed = r.ReadU64();
        ulong uncompressed = r.ReadU64();
        return new McapChunkIndex(start, end, chunkOffset, chunkLength, indexOffsets, indexLength, compression, compressed, uncompressed);
    }

    public static McapAttachment ParseAttachment(ReadOnlySpan<byte> content, long offset, bool validateCrc)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.Attachment);
        ulong logTime = r.ReadU64();
        ulong createTime = r.ReadU64();
        string name = r.ReadString("name");
        string mediaType = r.ReadString("media_type");
        byte[] data = r.ReadBytes64("data").ToArray();
        int crcStart = r.Position;
        uint crc = r.ReadU32();
        if (validateCrc && crc != 0)
        {
            uint actual = Crc32.HashToUInt32(content[..crcStart]);
            if (actual != crc)
            {
                throw r.Error($"attachment '{name}' CRC mismatch: expected {crc}, computed {actual}");
            }
        }
        return new McapAttachment(logTime, createTime, name, mediaType, data, crc);
    }

    public static McapAttachmentIndex ParseAttachmentIndex(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.AttachmentIndex);
        return new McapAttachmentIndex(r.ReadU64(), r.ReadU64(), r.ReadU64(), r.ReadU64(), r.ReadU64(),
            r.ReadString("name"), r.ReadString("media_type"));
    }

    public static McapStatistics ParseStatistics(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.Statistics);
        return new McapStatistics(r.ReadU64(), r.ReadU16(), r.ReadU32(), r.ReadU32(), r.ReadU32(), r.ReadU32(),
            r.ReadU64(), r.ReadU64(), r.ReadU16U64Map("channel_message_counts"));
    }

    public static McapMetadata ParseMetadata(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.Metadata);
        string name = r.ReadString("name");
        return new McapMetadata(name, r.ReadStringMap("metadata"));
    }

    public static McapMetadataIndex ParseMetadataIndex(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.MetadataIndex);
        return new McapMetadataIndex(r.ReadU64(), r.ReadU64(), r.ReadString("name"));
    }

    public static McapSummaryOffset ParseSummaryOffset(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.SummaryOffset);
        return new McapSummaryOffset((McapOpcode)r.ReadU8(), r.ReadU64(), r.ReadU64());
    }

    public static McapDataEnd ParseDataEnd(ReadOnlySpan<byte> content, long offset)
    {
        var r = new McapSpanReader(content, offset, McapOpcode.DataEnd);
        return new McapDataEnd(r.ReadU32());
    }
}

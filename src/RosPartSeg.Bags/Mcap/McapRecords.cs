namespace RosPartSeg.Bags.Mcap;

/// <summary>One parsed MCAP record. Byte fields of <see cref="McapMessage"/> may point into a reader's buffer (see there).</summary>
public abstract record McapRecord
{
    public abstract McapOpcode Opcode { get; }
}

public sealed record McapHeader(string Profile, string Library) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.Header;
}

public sealed record McapFooter(ulong SummaryStart, ulong SummaryOffsetStart, uint SummaryCrc) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.Footer;
}

public sealed record McapSchema(ushort Id, string Name, string Encoding, ReadOnlyMemory<byte> Data) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.Schema;
}

public sealed record McapChannel(
    ushort Id, ushort SchemaId, string Topic, string MessageEncoding, IReadOnlyDictionary<string, string> Metadata)
    : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.Channel;
}

/// <summary>
/// A message. When it comes from a streaming reader, <see cref="Data"/> points into the reader's buffer and is valid
/// only until the reader moves on (copy it to keep it); this keeps large image payloads zero-copy.
/// </summary>
public sealed record McapMessage(ushort ChannelId, uint Sequence, ulong LogTime, ulong PublishTime, ReadOnlyMemory<byte> Data)
    : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.Message;
}

/// <summary>A chunk header; <see cref="RecordsOffset"/>/<see cref="RecordsLength"/> locate the compressed records in the file.</summary>
public sealed record McapChunk(
    ulong MessageStartTime, ulong MessageEndTime, ulong UncompressedSize, uint UncompressedCrc, string Compression,
    long RecordsOffset, long RecordsLength) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.Chunk;
}

public sealed record McapMessageIndex(ushort ChannelId, IReadOnlyList<(ulong LogTime, ulong Offset)> Records) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.MessageIndex;
}

public sealed record McapChunkIndex(
    ulong MessageStartTime, ulong MessageEndTime, ulong ChunkStartOffset, ulong ChunkLength,
    IReadOnlyDictionary<ushort, ulong> MessageIndexOffsets, ulong MessageIndexLength, string Compression,
    ulong CompressedSize, ulong UncompressedSize) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.ChunkIndex;
}

public sealed record McapAttachment(
    ulong LogTime, ulong CreateTime, string Name, string MediaType, ReadOnlyMemory<byte> Data, uint Crc) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.Attachment;
}

public sealed record McapAttachmentIndex(
    ulong Offset, ulong Length, ulong LogTime, ulong CreateTime, ulong DataSize, string Name, string MediaType)
    : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.AttachmentIndex;
}

public sealed record McapStatistics(
    ulong MessageCount, ushort SchemaCount, uint ChannelCount, uint AttachmentCount, uint MetadataCount,
    uint ChunkCount, ulong MessageStartTime, ulong MessageEndTime, IReadOnlyDictionary<ushort, ulong> ChannelMessageCounts)
    : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.Statistics;
}

public sealed record McapMetadata(string Name, IReadOnlyDictionary<string, string> Metadata) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.Metadata;
}

public sealed record McapMetadataIndex(ulong Offset, ulong Length, string Name) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.MetadataIndex;
}

public sealed record McapSummaryOffset(McapOpcode GroupOpcode, ulong GroupStart, ulong GroupLength) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.SummaryOffset;
}

public sealed record McapDataEnd(uint DataSectionCrc) : McapRecord
{
    public override McapOpcode Opcode => McapOpcode.DataEnd;
}

/// <summary>A record whose opcode this reader does not know; kept raw so tools can show or skip it.</summary>
public sealed record McapUnknownRecord(byte RawOpcode, ReadOnlyMemory<byte> Content) : McapRecord
{
    public override McapOpcode Opcode => (McapOpcode)RawOpcode;
}

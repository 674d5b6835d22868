namespace RosPartSeg.Bags.Mcap;

/// <summary>Record opcodes of the MCAP format (version 0).</summary>
public enum McapOpcode : byte
{
    Header = 0x01,
    Footer = 0x02,
    Schema = 0x03,
    Channel = 0x04,
    Message = 0x05,
    Chunk = 0x06,
    MessageIndex = 0x07,
    ChunkIndex = 0x08,
    Attachment = 0x09,
    AttachmentIndex = 0x0A,
    Statistics = 0x0B,
    Metadata = 0x0C,
    MetadataIndex = 0x0D,
    SummaryOffset = 0x0E,
    DataEnd = 0x0F,
}

/// <summary>Constants of the file layout.</summary>
public static class McapConstants
{
    /// <summary>The 8-byte magic at both ends of a file: <c>\x89MCAP0\r\n</c>.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, 0x4D, 0x43, 0x41, 0x50, 0x30, 0x0D, 0x0A];

    /// <summary>opcode (1) + length (8).</summary>
    public const int RecordPrefixLength = 9;

    /// <summary>Footer content: summary_start (8) + summary_offset_start (8) + summary_crc (4).</summary>
    public const int FooterContentLength = 20;
}

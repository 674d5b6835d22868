namespace RosPartSeg.Bags.Mcap;

/// <summary>
/// A malformed or unsupported MCAP file. Carries where it went wrong (file offset, and the record's opcode when
/// known) so a user can tell a truncated download from a bad CRC or a file that is not MCAP at all.
/// </summary>
public sealed class McapFormatException : Exception
{
    public McapFormatException()
    {
    }

    public McapFormatException(string message)
        : base(message)
    {
    }

    public McapFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public McapFormatException(string detail, long offset, McapOpcode? opcode = null, Exception? innerException = null)
        : base(Describe(detail, offset, opcode), innerException)
    {
        Offset = offset;
        Opcode = opcode;
    }

    /// <summary>File offset of the record (or byte) where the problem was found; -1 when unknown.</summary>
    public long Offset { get; } = -1;

    /// <summary>Opcode of the record being read, when known.</summary>
    public McapOpcode? Opcode { get; }

    private static string Describe(string detail, long offset, McapOpcode? opcode) =>
        opcode is { } op
            ? $"MCAP: {detail} (record {OpcodeName(op)} at offset {offset})"
            : $"MCAP: {detail} (at offset {offset})";

    private static string OpcodeName(McapOpcode op) =>
        Enum.IsDefined(op) ? $"{op} (0x{(byte)op:X2})" : $"0x{(byte)op:X2}";
}

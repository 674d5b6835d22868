namespace RosPartSeg.Bags.Mcap;

/// <summary>A record as the lexer meets it: raw opcode, content bytes (valid until the lexer moves on) and file offset.</summary>
public readonly record struct McapRawRecord(byte Opcode, ReadOnlyMemory<byte> Content, long Offset);

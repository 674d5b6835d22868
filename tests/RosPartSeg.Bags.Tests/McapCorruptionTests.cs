using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Bags.Tests;

/// <summary>Damaged files give a <see cref="McapFormatException"/> naming what is wrong, never another exception.</summary>
public class McapCorruptionTests
{
    private static McapFormatException ReadAll(byte[] file)
    {
        return Assert.Throws<McapFormatException>(() =>
        {
            using var reader = new McapStreamReader(new MemoryStream(file));
            foreach (var r in reader.ReadRecords())
            {
                _ = r;
            }
        });
    }

    [Fact]
    public void Wrong_magic_is_reported()
    {
        byte[] file = McapWriterTests.WriteSample(McapCompression.None, messages: 3);
        file[1] = (byte)'X';
        var e = ReadAll(file);
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void Every_truncation_is_reported()
    {
        byte[] file = McapWriterTests.WriteSample(McapCompression.Zstd, messages: 9, chunkSize: 30_000);
        for (int cut = 0; cut < file.Length; cut += Math.Max(1, file.Length / 300))
        {
            var e = ReadAll(file[..cut]);
            Assert.True(e.Message.Contains("truncated", StringComparison.Ordinal) || e.Message.Contains("magic", StringComparison.Ordinal)
                || e.Message.Contains("ends", StringComparison.Ordinal), e.Message);
        }
    }

    [Fact]
    public void Truncated_file_has_no_summary_to_read()
    {
        byte[] file = McapWriterTests.WriteSample(McapCompression.Zstd, messages: 9);
        Assert.Throws<McapFormatException>(() => McapSummary.TryRead(new MemoryStream(file[..(file.Length - 5)])));
    }

    [Theory]
    [InlineData(McapCompression.None)]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    public void A_flipped_byte_in_a_chunk_is_caught(McapCompression compression)
    {
        byte[] file = McapWriterTests.WriteSample(compression, messages: 6);
        var summary = McapSummary.TryRead(new MemoryStream(file))!;
        var chunk = summary.ChunkIndexes[0];
        // Flip a byte near the end of the chunk's compressed records.
        file[chunk.ChunkStartOffset + chunk.ChunkLength - 10] ^= 0x40;
        var e = ReadAll(file);
        Assert.Equal(McapOpcode.Chunk, e.Opcode);
        Assert.Equal((long)chunk.ChunkStartOffset, e.Offset);
    }

    [Fact]
    public void A_bad_chunk_crc_is_reported_as_a_crc_mismatch()
    {
        byte[] file = McapWriterTests.WriteSample(McapCompression.None, messages: 6);
        var chunk = McapSummary.TryRead(new MemoryStream(file))!.ChunkIndexes[0];
        // uncompressed_crc sits after opcode (1), length (8), start (8), end (8), size (8).
        file[chunk.ChunkStartOffset + 33] ^= 0x01;
        var e = ReadAll(file);
        Assert.Contains("chunk CRC mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_summary_crc_is_reported()
    {
        byte[] file = McapWriterTests.WriteSample(McapCompression.None, messages: 6);
        int footerCrc = file.Length - 8 - 4;
        file[footerCrc] ^= 0x01;
        Assert.Contains("summary CRC", ReadAll(file).Message, StringComparison.Ordinal);
        Assert.Contains("summary CRC", Assert.Throws<McapFormatException>(() => McapSummary.TryRead(new MemoryStream(file))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_lying_record_length_is_refused_before_allocation()
    {
        byte[] file = McapWriterTests.WriteSample(McapCompression.None, messages: 2);
        // The Header's length field (bytes 9..16) claims 2^62 bytes.
        BitConverter.TryWriteBytes(file.AsSpan(9, 8), 1UL << 62);
        var e = ReadAll(file);
        Assert.Equal(McapOpcode.Header, e.Opcode);
        Assert.Contains("exceeds the limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_length_past_the_record_is_reported()
    {
        byte[] file = McapWriterTests.WriteSample(McapCompression.None, messages: 2);
        // Header content starts at 17 with the profile string's u32 length.
        BitConverter.TryWriteBytes(file.AsSpan(17, 4), 1000u);
        var e = ReadAll(file);
        Assert.Contains("profile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_section_crc_mismatch_is_reported()
    {
        byte[] file = McapWriterTests.WriteSample(McapCompression.None, messages: 2);
        // The Header's library string is data-section content covered only by the DataEnd CRC.
        int library = 17 + 4 + 4 + 4; // profile "ros2", then library length
        file[library] ^= 0x20;
        Assert.Contains("data section CRC", ReadAll(file).Message, StringComparison.Ordinal);
    }
}

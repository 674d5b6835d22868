using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Bags.Tests;

public class McapWriterTests
{
    internal static byte[] WriteSample(McapCompression compression, int messages = 60, int chunkSize = 64 * 1024, int seed = 7, bool dataCrc = true)
    {
        var rng = new Random(seed);
        using var ms = new MemoryStream();
        using (var w = new McapWriter(ms, new McapWriterOptions { Compression = compression, ChunkSize = chunkSize, DataSectionCrc = dataCrc }, leaveOpen: true))
        {
            ushort s1 = w.AddSchema("std_msgs/msg/String", "ros2msg", "string data\n"u8);
            ushort s2 = w.AddSchema("sensor_msgs/msg/Image", "ros2msg", "uint32 height\n"u8);
            w.AddChannel(s1, "/chatter", "cdr", new Dictionary<string, string> { ["offered_qos_profiles"] = "" });
            w.AddChannel(s2, "/camera/image_raw", "cdr", new Dictionary<string, string>());
            w.AddChannel(s1, "/other", "cdr", new Dictionary<string, string> { ["a"] = "b" });
            for (int i = 0; i < messages; i++)
            {
                ushort channel = (ushort)(1 + (i % 3));
                var data = new byte[channel == 2 ? rng.Next(20_000, 100_000) : rng.Next(0, 50)];
                rng.NextBytes(data);
                w.WriteMessage(channel, (uint)i, 1_000 + (ulong)i * 10, 500 + (ulong)i, data);
            }
            w.WriteMetadata("rosbag2", new Dictionary<string, string> { ["serialized_metadata"] = "x: 1" });
            w.Finish();
        }
        return ms.ToArray();
    }

    [Theory]
    [InlineData(McapCompression.None)]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    public void Written_messages_stream_back_identically(McapCompression compression)
    {
        var rng = new Random(7);
        byte[] file = WriteSample(compression);
        using var reader = new McapStreamReader(new MemoryStream(file));
        var records = reader.ReadRecords().ToList();

        var messages = records.OfType<McapMessage>().ToList();
        Assert.Equal(60, messages.Count);
        for (int i = 0; i < messages.Count; i++)
        {
            ushort channel = (ushort)(1 + (i % 3));
            var data = new byte[channel == 2 ? rng.Next(20_000, 100_000) : rng.Next(0, 50)];
            rng.NextBytes(data);
            Assert.Equal(channel, messages[i].ChannelId);
            Assert.Equal((uint)i, messages[i].Sequence);
            Assert.Equal(1_000 + (ulong)i * 10, messages[i].LogTime);
            Assert.Equal(500 + (ulong)i, messages[i].PublishTime);
            // Data is only valid during enumeration, so it was checked via a second pass below.
        }
        Assert.IsType<McapHeader>(records[0]);
        Assert.Equal("ros2", ((McapHeader)records[0]).Profile);
        Assert.IsType<McapFooter>(records[^1]);
        Assert.Contains(records, r => r is McapDataEnd { DataSectionCrc: not 0 });
        Assert.True(records.OfType<McapMessageIndex>().Count() > 3);
    }

    [Theory]
    [InlineData(McapCompression.None)]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.Lz4)]
    public void Message_payloads_survive_compression(McapCompression compression)
    {
        var rng = new Random(7);
        byte[] file = WriteSample(compression);
        using var reader = new McapStreamReader(new MemoryStream(file));
        int i = 0;
        foreach (var m in reader.ReadRecords().OfType<McapMessage>())
        {
            ushort channel = (ushort)(1 + (i % 3));
            var data = new byte[channel == 2 ? rng.Next(20_000, 100_000) : rng.Next(0, 50)];
            rng.NextBytes(data);
            Assert.True(data.AsSpan().SequenceEqual(m.Data.Span), $"message {i} differs");
            i++;
        }
        Assert.Equal(60, i);
    }

    [Fact]
    public void Summary_lists_schemas_channels_statistics_and_indexes()
    {
        byte[] file = WriteSample(McapCompression.Zstd);
        var summary = McapSummary.TryRead(new MemoryStream(file));
        Assert.NotNull(summary);
        Assert.Equal(2, summary.Schemas.Count);
        Assert.Equal(["/chatter", "/camera/image_raw", "/other"], summary.Channels.Values.OrderBy(c => c.Id).Select(c => c.Topic));
        var stats = summary.Statistics!;
        Assert.Equal(60UL, stats.MessageCount);
        Assert.Equal(20UL, stats.ChannelMessageCounts[2]);
        Assert.Equal(1_000UL, stats.MessageStartTime);
        Assert.Equal(1_590UL, stats.MessageEndTime);
        Assert.Equal((uint)summary.ChunkIndexes.Count, stats.ChunkCount);
        Assert.True(summary.ChunkIndexes.Count > 5);
        Assert.Single(summary.MetadataIndexes);

        // Every index offset points at the record it names.
        foreach (var ci in summary.ChunkIndexes)
        {
            Assert.Equal((byte)McapOpcode.Chunk, file[ci.ChunkStartOffset]);
            Assert.Equal("zstd", ci.Compression);
            foreach (var (_, offset) in ci.MessageIndexOffsets)
            {
                Assert.Equal((byte)McapOpcode.MessageIndex, file[offset]);
            }
        }
        Assert.Equal((byte)McapOpcode.Metadata, file[summary.MetadataIndexes[0].Offset]);
    }

    [Fact]
    public void Message_index_offsets_point_at_messages_inside_the_decompressed_chunk()
    {
        byte[] file = WriteSample(McapCompression.Lz4);
        using var reader = new McapStreamReader(new MemoryStream(file));
        var indexes = reader.ReadRecords().OfType<McapMessageIndex>().Select(m => (m.ChannelId, m.Records.ToList())).ToList();
        int total = indexes.Sum(i => i.Item2.Count);
        Assert.Equal(60, total);
        // Offsets within one chunk and channel are increasing and times match the writer's pattern.
        foreach (var (channel, entries) in indexes)
        {
            Assert.All(entries, e => Assert.Equal(0UL, (e.LogTime - 1_000) % 10));
            Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.Offset < p.Second.Offset));
            Assert.All(entries, e => Assert.Equal((ulong)(channel - 1), ((e.LogTime - 1_000) / 10) % 3));
        }
    }

    [Fact]
    public void By_default_the_data_section_crc_is_left_out_but_chunk_and_summary_crcs_are_written()
    {
        byte[] file = WriteSample(McapCompression.None, messages: 5, dataCrc: false);
        using var reader = new McapStreamReader(new MemoryStream(file));
        var records = reader.ReadRecords().ToList();
        Assert.Equal(0u, records.OfType<McapDataEnd>().Single().DataSectionCrc);
        Assert.NotEqual(0u, records.OfType<McapFooter>().Single().SummaryCrc);
        var summary = McapSummary.TryRead(new MemoryStream(file))!;
        Assert.All(summary.ChunkIndexes, c => Assert.Equal("", c.Compression));
        Assert.Equal(5, records.OfType<McapMessage>().Count());
    }

    [Fact]
    public void An_empty_file_is_valid()
    {
        using var ms = new MemoryStream();
        using (var w = new McapWriter(ms, leaveOpen: true))
        {
            w.Finish();
        }
        using var reader = new McapStreamReader(new MemoryStream(ms.ToArray()));
        Assert.Equal([McapOpcode.Header, McapOpcode.DataEnd, McapOpcode.Statistics, McapOpcode.SummaryOffset, McapOpcode.Footer],
            reader.ReadRecords().Select(r => r.Opcode));
    }
}

public class McapIndexedReaderTests
{
    [Theory]
    [InlineData(McapCompression.Zstd)]
    [InlineData(McapCompression.None)]
    public void Reading_one_channel_through_the_index_skips_other_chunks_and_matches_streaming(McapCompression compression)
    {
        // Channel 1 messages only in the first half, channel 2 only in the second: chunks separate them.
        using var ms = new MemoryStream();
        using (var w = new McapWriter(ms, new McapWriterOptions { Compression = compression, ChunkSize = 4096 }, leaveOpen: true))
        {
            ushort s = w.AddSchema("a/msg/B", "ros2msg", "uint8 x\n"u8);
            w.AddChannel(s, "/first", "cdr", new Dictionary<string, string>());
            w.AddChannel(s, "/second", "cdr", new Dictionary<string, string>());
            for (int i = 0; i < 100; i++)
            {
                w.WriteMessage((ushort)(i < 50 ? 1 : 2), (uint)i, (ulong)i, (ulong)i, new byte[500 + i]);
            }
            w.Finish();
        }
        byte[] file = ms.ToArray();
        var summary = McapSummary.TryRead(new MemoryStream(file))!;
        Assert.True(McapIndexedReader.CanIndex(summary));
        using var indexed = new McapIndexedReader(new MemoryStream(file), summary);
        var viaIndex = indexed.ReadMessages(c => c == 2).Select(m => (m.Sequence, m.Data.Length)).ToList();
        Assert.True(indexed.ChunksRead < summary.ChunkIndexes.Count, $"read {indexed.ChunksRead} of {summary.ChunkIndexes.Count} chunks");

        using var streamed = new McapStreamReader(new MemoryStream(file));
        var viaStream = streamed.ReadRecords().OfType<McapMessage>().Where(m => m.ChannelId == 2).Select(m => (m.Sequence, m.Data.Length)).ToList();
        Assert.Equal(50, viaIndex.Count);
        Assert.Equal(viaStream, viaIndex);
    }

    [Fact]
    public void A_chunk_index_pointing_outside_the_file_is_an_error()
    {
        byte[] file = McapWriterTests.WriteSample(McapCompression.None, messages: 6);
        var summary = McapSummary.TryRead(new MemoryStream(file))!;
        var bad = new McapSummary
        {
            Header = summary.Header, Footer = summary.Footer, Statistics = summary.Statistics, Channels = summary.Channels,
            ChunkIndexes = [summary.ChunkIndexes[0] with { ChunkStartOffset = (ulong)file.Length - 4 }],
        };
        using var reader = new McapIndexedReader(new MemoryStream(file), bad);
        Assert.Throws<McapFormatException>(() => reader.ReadMessages(_ => true).ToList());
    }
}

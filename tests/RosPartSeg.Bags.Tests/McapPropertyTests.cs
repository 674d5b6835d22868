using FsCheck.Xunit;
using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Bags.Tests;

/// <summary>Property: whatever messages go in, with any chunk size and compression, the same come out, and the summary agrees.</summary>
public class McapPropertyTests
{
    [Property(MaxTest = 60)]
    public void Any_messages_round_trip(byte[][] payloads, ushort[] channels, ulong[] times, byte compression, ushort chunkKiB)
    {
        payloads ??= [];
        var mode = (McapCompression)(compression % 3);
        int chunkSize = 1 + (chunkKiB % 64) * 1024;
        int channelCount = 3;
        var expected = new List<(ushort Channel, ulong Time, byte[] Data)>();
        using var ms = new MemoryStream();
        using (var w = new McapWriter(ms, new McapWriterOptions { Compression = mode, ChunkSize = chunkSize, DataSectionCrc = true }, leaveOpen: true))
        {
            ushort schema = w.AddSchema("pkg/msg/T", "ros2msg", "uint8 x\n"u8);
            for (int c = 0; c < channelCount; c++)
            {
                w.AddChannel(schema, $"/t{c}", "cdr", new Dictionary<string, string> { ["k"] = c.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
            for (int i = 0; i < payloads.Length; i++)
            {
                ushort channel = (ushort)(1 + ((channels is { Length: > 0 } ? channels[i % channels.Length] : 0) % channelCount));
                ulong time = times is { Length: > 0 } ? times[i % times.Length] : (ulong)i;
                var data = payloads[i] ?? [];
                w.WriteMessage(channel, (uint)i, time, time / 2, data);
                expected.Add((channel, time, data));
            }
            w.Finish();
        }
        byte[] file = ms.ToArray();
        using var reader = new McapStreamReader(new MemoryStream(file));
        int k = 0;
        foreach (var m in reader.ReadRecords().OfType<McapMessage>())
        {
            Assert.Equal(expected[k].Channel, m.ChannelId);
            Assert.Equal(expected[k].Time, m.LogTime);
            Assert.Equal(expected[k].Time / 2, m.PublishTime);
            Assert.True(expected[k].Data.AsSpan().SequenceEqual(m.Data.Span));
            k++;
        }
        Assert.Equal(expected.Count, k);
        var stats = McapSummary.TryRead(new MemoryStream(file))!.Statistics!;
        Assert.Equal((ulong)expected.Count, stats.MessageCount);
        for (ushort c = 1; c <= channelCount; c++)
        {
            Assert.Equal((ulong)expected.Count(e => e.Channel == c), stats.ChannelMessageCounts[c]);
        }
        if (expected.Count > 0)
        {
            Assert.Equal(expected.Min(e => e.Time), stats.MessageStartTime);
            Assert.Equal(expected.Max(e => e.Time), stats.MessageEndTime);
        }
    }
}

using System.Globalization;
using System.Text.Json;

namespace RosPartSeg.Bags.Mcap;

/// <summary>
/// Writes records in the JSON form of the MCAP conformance corpus: <c>{"records":[{"type":..,"fields":[[name,value],..]}]}</c>
/// with snake_case field names sorted by name, integers as decimal strings, byte arrays as arrays of decimal
/// strings and maps as objects. MessageIndex records are left out, as the corpus does.
/// </summary>
public static class McapJson
{
    /// <summary>Streams <paramref name="mcap"/> and writes all its records as one JSON document.</summary>
    public static void WriteRecords(Stream mcap, Utf8JsonWriter json, McapReaderOptions? options = null)
    {
        using var reader = new McapStreamReader(mcap, options, leaveOpen: true);
        json.WriteStartObject();
        json.WriteStartArray("records");
        foreach (var record in reader.ReadRecords())
        {
            if (record is not McapMessageIndex)
            {
                WriteRecord(record, json);
                json.Flush();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>Writes one record as <c>{"type":..,"fields":[..]}</c>.</summary>
    public static void WriteRecord(McapRecord record, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", record is McapUnknownRecord ? "Unknown" : record.Opcode.ToString());
        json.WriteStartArray("fields");
        var f = new FieldWriter(json);
        switch (record)
        {
            case McapHeader r:
                f.Str("library", r.Library).Str("profile", r.Profile);
                break;
            case McapFooter r:
                f.Int("summary_crc", r.SummaryCrc).Int("summary_offset_start", r.SummaryOffsetStart).Int("summary_start", r.SummaryStart);
                break;
            case McapSchema r:
                f.Bytes("data", r.Data.Span).Str("encoding", r.Encoding).Int("id", r.Id).Str("name", r.Name);
                break;
            case McapChannel r:
                f.Int("id", r.Id).Str("message_encoding", r.MessageEncoding).Map("metadata", r.Metadata)
                    .Int("schema_id", r.SchemaId).Str("topic", r.Topic);
                break;
            case McapMessage r:
                f.Int("channel_id", r.ChannelId).Bytes("data", r.Data.Span).Int("log_time", r.LogTime)
                    .Int("publish_time", r.PublishTime).Int("sequence", r.Sequence);
                break;
            case McapChunk r:
                f.Str("compression", r.Compression).Int("message_end_time", r.MessageEndTime)
                    .Int("message_start_time", r.MessageStartTime).Int("uncompressed_crc", r.UncompressedCrc)
                    .Int("uncompressed_size", r.UncompressedSize);
                break;
            case McapMessageIndex r:
                f.Int("channel_id", r.ChannelId);
                break;
            case McapChunkIndex r:
                f.Int("chunk_length", r.ChunkLength).Int("chunk_start_offset", r.ChunkStartOffset)
                    .Int("compressed_size", r.CompressedSize).Str("compression", r.Compression)
                    .Int("message_end_time", r.MessageEndTime).Int("message_index_length", r.MessageIndexLength)
                    .Map("message_index_offsets", r.MessageIndexOffsets).Int("message_start_time", r.MessageStartTime)
                    .Int("uncompressed_size", r.UncompressedSize);
                break;
            case McapAttachment r:
                f.Int("create_time", r.CreateTime).Bytes("data", r.Data.Span).Int("log_time", r.LogTime)
                    .Str("media_type", r.MediaType).Str("name", r.Name);
                break;
            case McapAttachmentIndex r:
                f.Int("create_time", r.CreateTime).Int("data_size", r.DataSize).Int("length", r.Length)
                    .Int("log_time", r.LogTime).Str("media_type", r.MediaType).Str("name", r.Name).Int("offset", r.Offset);
                break;
            case McapStatistics r:
                f.Int("attachment_count", r.AttachmentCount).Int("channel_count", r.ChannelCount)
                    .Map("channel_message_counts", r.ChannelMessageCounts).Int("chunk_count", r.ChunkCount)
                    .Int("message_count", r.MessageCount).Int("message_end_time", r.MessageEndTime)
                    .Int("message_start_time", r.MessageStartTime).Int("metadata_count", r.MetadataCount)
                    .Int("schema_count", r.SchemaCount);
                break;
            case McapMetadata r:
                f.Map("metadata", r.Metadata).Str("name", r.Name);
                break;
            case McapMetadataIndex r:
                f.Int("length", r.Length).Str("name", r.Name).Int("offset", r.Offset);
                break;
            case McapSummaryOffset r:
                f.Int("group_length", r.GroupLength).Int("group_opcode", (byte)r.GroupOpcode).Int("group_start", r.GroupStart);
                break;
            case McapDataEnd r:
                f.Int("data_section_crc", r.DataSectionCrc);
                break;
            case McapUnknownRecord r:
                f.Bytes("data", r.Content.Span).Int("opcode", r.RawOpcode);
                break;
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private readonly struct FieldWriter(Utf8JsonWriter json)
    {
        public FieldWriter Str(string name, string value)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            json.WriteStringValue(value);
            json.WriteEndArray();
            return this;
        }

        public FieldWriter Int(string name, ulong value) => Str(name, value.ToString(CultureInfo.InvariantCulture));

        public FieldWriter Bytes(string name, ReadOnlySpan<byte> data)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            json.WriteStartArray();
            foreach (byte b in data)
            {
                json.WriteStringValue(Digits[b]);
            }
            json.WriteEndArray();
            json.WriteEndArray();
            return this;
        }

        public FieldWriter Map(string name, IReadOnlyDictionary<string, string> map)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            json.WriteStartObject();
            foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteString(k, v);
            }
            json.WriteEndObject();
            json.WriteEndArray();
            return this;
        }

        public FieldWriter Map(string name, IReadOnlyDictionary<ushort, ulong> map)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            json.WriteStartObject();
            foreach (var (k, v) in map.OrderBy(p => p.Key))
            {
                json.WriteString(k.ToString(CultureInfo.InvariantCulture), v.ToString(CultureInfo.InvariantCulture));
            }
            json.WriteEndObject();
            json.WriteEndArray();
            return this;
        }
    }

    private static readonly string[] Digits = Enumerable.Range(0, 256).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
}

using System.Buffers;
using System.IO.Hashing;

namespace RosPartSeg.Bags.Mcap;

/// <summary>
/// Writes an indexed MCAP file: Header, chunks (zstd, lz4 or none) each followed by its MessageIndex records,
/// Metadata records, DataEnd with the data-section CRC, then a summary (Schema, Channel, Statistics, ChunkIndex,
/// MetadataIndex groups and their SummaryOffsets) and a Footer with the summary CRC. The file is complete only
/// after <see cref="Finish"/>.
/// </summary>
public sealed class McapWriter : IDisposable
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly McapWriterOptions _options;
    private readonly Crc32 _crc = new();
    private readonly McapChunkCodec _codec = new();
    private readonly ArrayBufferWriter<byte> _flushScratch = new(4096);
    private readonly McapRecordBuilder _flushBuilder;
    private ArrayBufferWriter<byte> _chunk = new(1 << 20);
    private ArrayBufferWriter<byte> _spareChunk = new(1 << 20);
    private McapRecordBuilder _spareChunkBuilder;
    private Dictionary<ushort, List<(ulong, ulong)>> _spareMessageIndex = [];
    private Task? _pendingFlush;
    private readonly ArrayBufferWriter<byte> _compressed = new(1 << 20);
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private McapRecordBuilder _chunkBuilder;
    private readonly McapRecordBuilder _scratchBuilder;
    private readonly List<McapSchema> _schemas = [];
    private readonly List<McapChannel> _channels = [];
    private readonly List<McapChunkIndex> _chunkIndexes = [];
    private readonly List<McapMetadataIndex> _metadataIndexes = [];
    private Dictionary<ushort, List<(ulong, ulong)>> _messageIndex = [];
    private readonly Dictionary<ushort, ulong> _channelCounts = [];
    private long _position;
    private ulong _messageCount;
    private ulong _startTime = ulong.MaxValue;
    private ulong _endTime;
    private ulong _chunkStart = ulong.MaxValue;
    private ulong _chunkEnd;
    private bool _finished;
    private bool _hashing;

    public McapWriter(Stream output, McapWriterOptions? options = null, bool leaveOpen = false)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        _options = options ?? McapWriterOptions.Default;
        _chunkBuilder = new McapRecordBuilder(_chunk);
        _spareChunkBuilder = new McapRecordBuilder(_spareChunk);
        _flushBuilder = new McapRecordBuilder(_flushScratch);
        _scratchBuilder = new McapRecordBuilder(_scratch);
        _hashing = _options.DataSectionCrc;
        Emit(McapConstants.Magic);
        _scratch.ResetWrittenCount();
        _scratchBuilder.Begin(McapOpcode.Header).Str(_options.Profile).Str(_options.Library).End();
        Emit(_scratch.WrittenSpan);
    }

    public IReadOnlyList<McapChannel> Channels => _channels;

    /// <summary>Adds a schema (written into the current chunk) and returns its id (1, 2, ...).</summary>
    public ushort AddSchema(string name, string encoding, ReadOnlySpan<byte> data)
    {
        var schema = new McapSchema(checked((ushort)(_schemas.Count + 1)), name, encoding, data.ToArray());
        _schemas.Add(schema);
        WriteSchema(_chunkBuilder, schema);
        return schema.Id;
    }

    /// <summary>Adds a channel (written into the current chunk) and returns its id (1, 2, ...).</summary>
    public ushort AddChannel(ushort schemaId, string topic, string messageEncoding, IReadOnlyDictionary<string, string> metadata)
    {
        if (schemaId != 0 && schemaId > _schemas.Count)
        {
            throw new ArgumentException($"unknown schema id {schemaId}", nameof(schemaId));
        }
        var channel = new McapChannel(checked((ushort)(_channels.Count + 1)), schemaId, topic, messageEncoding,
            new Dictionary<string, string>(metadata, StringComparer.Ordinal));
        _channels.Add(channel);
        _channelCounts[channel.Id] = 0;
        WriteChannel(_chunkBuilder, channel);
        return channel.Id;
    }

    /// <summary>Appends a message to the current chunk; closes the chunk when it reaches the configured size.</summary>
    public void WriteMessage(ushort channelId, uint sequence, ulong logTime, ulong publishTime, ReadOnlySpan<byte> data)
    {
        if (channelId == 0 || channelId > _channels.Count)
        {
            throw new ArgumentException($"unknown channel id {channelId}", nameof(channelId));
        }
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!_messageIndex.TryGetValue(channelId, out var index))
        {
            index = [];
            _messageIndex[channelId] = index;
        }
        index.Add((logTime, (ulong)_chunk.WrittenCount));
        _chunkBuilder.U8((byte)McapOpcode.Message).U64((ulong)(22 + data.Length))
            .U16(channelId).U32(sequence).U64(logTime).U64(publishTime).Raw(data);
        _messageCount++;
        _channelCounts[channelId]++;
        _startTime = Math.Min(_startTime, logTime);
        _endTime = Math.Max(_endTime, logTime);
        _chunkStart = Math.Min(_chunkStart, logTime);
        _chunkEnd = Math.Max(_chunkEnd, logTime);
        if (_chunk.WrittenCount >= _options.ChunkSize)
        {
            FlushChunk();
        }
    }

    /// <summary>Writes a Metadata record (outside chunks) such as rosbag2's <c>rosbag2</c>/<c>serialized_metadata</c>.</summary>
    public void WriteMetadata(string name, IReadOnlyDictionary<string, string> metadata)
    {
        FlushChunk();
        WaitForFlush();
        _scratch.ResetWrittenCount();
        _scratchBuilder.Begin(McapOpcode.Metadata).Str(name).StringMap(metadata);
        int length = _scratchBuilder.End();
        _metadataIndexes.Add(new McapMetadataIndex((ulong)_position, (ulong)length, name));
        Emit(_scratch.WrittenSpan);
    }

    /// <summary>Closes the last chunk and writes DataEnd, the summary, the Footer and the closing magic.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }
        FlushChunk();
        WaitForFlush();
        _scratch.ResetWrittenCount();
        _scratchBuilder.Begin(McapOpcode.DataEnd).U32(_options.DataSectionCrc ? _crc.GetCurrentHashAsUInt32() : 0).End();
        Emit(_scratch.WrittenSpan);
        _crc.Reset();
        _hashing = true; // the summary CRC is always written

        ulong summaryStart = (ulong)_position;
        var offsets = new List<McapSummaryOffset>();
        WriteGroup(McapOpcode.Schema, offsets, b => _schemas.ForEach(s => WriteSchema(b, s)));
        WriteGroup(McapOpcode.Channel, offsets, b => _channels.ForEach(c => WriteChannel(b, c)));
        WriteGroup(McapOpcode.Statistics, offsets, WriteStatistics);
        WriteGroup(McapOpcode.ChunkIndex, offsets, b => _chunkIndexes.ForEach(c => WriteChunkIndex(b, c)));
        WriteGroup(McapOpcode.MetadataIndex, offsets, b => _metadataIndexes.ForEach(m =>
            b.Begin(McapOpcode.MetadataIndex).U64(m.Offset).U64(m.Length).Str(m.Name).End()));

        ulong summaryOffsetStart = (ulong)_position;
        _scratch.ResetWrittenCount();
        foreach (var o in offsets)
        {
            _scratchBuilder.Begin(McapOpcode.SummaryOffset).U8((byte)o.GroupOpcode).U64(o.GroupStart).U64(o.GroupLength).End();
        }
        _scratchBuilder.Begin(McapOpcode.Footer).U64(summaryStart).U64(summaryOffsetStart).U32(0).End();
        // The summary CRC covers everything up to the Footer's own CRC field.
        Emit(_scratch.WrittenSpan[..^4]);
        Span<byte> crc = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(crc, _crc.GetCurrentHashAsUInt32());
        Emit(crc);
        Emit(McapConstants.Magic);
        _output.Flush();
        _finished = true;
    }

    public void Dispose()
    {
        try
        {
            WaitForFlush();
        }
        catch (IOException)
        {
            // The file is incomplete anyway; the error was or will be reported by the write that failed.
        }
        _codec.Dispose();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    /// <summary>Seals the current chunk and writes it (on a background task when enabled, overlapping the caller's work).</summary>
    private void FlushChunk()
    {
        if (_chunk.WrittenCount == 0)
        {
            return;
        }
        WaitForFlush();
        var sealedChunk = _chunk;
        var sealedIndex = _messageIndex;
        ulong start = _chunkStart == ulong.MaxValue ? 0 : _chunkStart;
        ulong end = _chunkEnd;
        (_chunk, _spareChunk) = (_spareChunk, _chunk);
        (_chunkBuilder, _spareChunkBuilder) = (_spareChunkBuilder, _chunkBuilder);
        (_messageIndex, _spareMessageIndex) = (_spareMessageIndex, _messageIndex);
        _chunkStart = ulong.MaxValue;
        _chunkEnd = 0;
        if (_options.BackgroundFlush)
        {
            _pendingFlush = Task.Run(() => WriteChunk(sealedChunk, sealedIndex, start, end));
        }
        else
        {
            WriteChunk(sealedChunk, sealedIndex, start, end);
        }
    }

    /// <summary>Waits for a background chunk write; its failure surfaces here, on the caller's thread.</summary>
    private void WaitForFlush()
    {
        var pending = _pendingFlush;
        _pendingFlush = null;
        pending?.GetAwaiter().GetResult();
    }

    private void WriteChunk(ArrayBufferWriter<byte> chunk, Dictionary<ushort, List<(ulong, ulong)>> messageIndex, ulong start, ulong end)
    {
        var records = chunk.WrittenSpan;
        uint crc = Crc32.HashToUInt32(records);
        ReadOnlySpan<byte> stored = records;
        if (_options.Compression != McapCompression.None)
        {
            _codec.Compress(_options.Compression, records, _compressed, _options.ZstdLevel);
            stored = _compressed.WrittenSpan;
        }
        string compression = McapChunkCodec.Name(_options.Compression);

        long chunkOffset = _position;
        _flushScratch.ResetWrittenCount();
        _flushBuilder.Begin(McapOpcode.Chunk).U64(start).U64(end).U64((ulong)records.Length).U32(crc)
            .Str(compression).U64((ulong)stored.Length);
        // Patch the record length by hand: the records are emitted straight from their own buffer.
        ulong contentLength = (ulong)(_flushScratch.WrittenCount - McapConstants.RecordPrefixLength + stored.Length);
        var head = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_flushScratch.WrittenMemory).Span;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(head.Slice(1, 8), contentLength);
        Emit(_flushScratch.WrittenSpan);
        Emit(stored);
        long chunkLength = _position - chunkOffset;

        long indexStart = _position;
        var indexOffsets = new Dictionary<ushort, ulong>();
        _flushScratch.ResetWrittenCount();
        foreach (var channelId in messageIndex.Keys.Order())
        {
            var entries = messageIndex[channelId];
            if (entries.Count == 0)
            {
                continue;
            }
            indexOffsets[channelId] = (ulong)(indexStart + _flushScratch.WrittenCount);
            _flushBuilder.Begin(McapOpcode.MessageIndex).U16(channelId).TimeOffsetArray(entries).End();
            entries.Clear();
        }
        Emit(_flushScratch.WrittenSpan);

        _chunkIndexes.Add(new McapChunkIndex(start, end, (ulong)chunkOffset, (ulong)chunkLength, indexOffsets,
            (ulong)(_position - indexStart), compression, (ulong)stored.Length, (ulong)records.Length));
        chunk.ResetWrittenCount();
    }

    private void WriteGroup(McapOpcode opcode, List<McapSummaryOffset> offsets, Action<McapRecordBuilder> write)
    {
        _scratch.ResetWrittenCount();
        write(_scratchBuilder);
        if (_scratch.WrittenCount == 0)
        {
            return;
        }
        offsets.Add(new McapSummaryOffset(opcode, (ulong)_position, (ulong)_scratch.WrittenCount));
        Emit(_scratch.WrittenSpan);
    }

    private static void WriteSchema(McapRecordBuilder b, McapSchema s) =>
        b.Begin(McapOpcode.Schema).U16(s.Id).Str(s.Name).Str(s.Encoding).Bytes32(s.Data.Span).End();

    private static void WriteChannel(McapRecordBuilder b, McapChannel c) =>
        b.Begin(McapOpcode.Channel).U16(c.Id).U16(c.SchemaId).Str(c.Topic).Str(c.MessageEncoding).StringMap(c.Metadata).End();

    private static void WriteChunkIndex(McapRecordBuilder b, McapChunkIndex c) =>
        b.Begin(McapOpcode.ChunkIndex).U64(c.MessageStartTime).U64(c.MessageEndTime).U64(c.ChunkStartOffset)
            .U64(c.ChunkLength).U16U64Map(c.MessageIndexOffsets).U64(c.MessageIndexLength).Str(c.Compression)
            .U64(c.CompressedSize).U64(c.UncompressedSize).End();

    private void WriteStatistics(McapRecordBuilder b) =>
        b.Begin(McapOpcode.Statistics).U64(_messageCount).U16((ushort)_schemas.Count).U32((uint)_channels.Count)
            .U32(0).U32((uint)_metadataIndexes.Count).U32((uint)_chunkIndexes.Count)
            .U64(_messageCount == 0 ? 0 : _startTime).U64(_endTime).U16U64Map(_channelCounts).End();

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        if (_hashing)
        {
            _crc.Append(bytes);
        }
        _position += bytes.Length;
    }
}

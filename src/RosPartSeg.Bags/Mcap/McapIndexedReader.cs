using System.Buffers;
using System.Buffers.Binary;

namespace RosPartSeg.Bags.Mcap;

/// <summary>
/// Reads messages of chosen channels through the summary's ChunkIndex records: only chunks that hold one of those
/// channels are read (seek, read, decompress, CRC check). Usable when <see cref="CanIndex"/>: the file has a summary
/// with chunk indexes and its data section holds messages only inside chunks.
/// </summary>
public sealed class McapIndexedReader : IDisposable
{
    private readonly Stream _stream;
    private readonly McapReaderOptions _options;
    private readonly McapStreamReader _chunks;
    private byte[] _buffer = [];

    public McapIndexedReader(Stream stream, McapSummary summary, McapReaderOptions? options = null)
    {
        _stream = stream;
        Summary = summary;
        _options = options ?? McapReaderOptions.Default;
        _chunks = new McapStreamReader(stream, _options, leaveOpen: true);
    }

    public McapSummary Summary { get; }

    /// <summary>
    /// True when the summary indexes every chunk (Statistics' chunk count matches the ChunkIndex records). Messages
    /// written outside chunks are not indexed by MCAP at all; rosbag2 and this project's writer never do that.
    /// </summary>
    public static bool CanIndex(McapSummary summary) =>
        summary.ChunkIndexes.Count > 0 && summary.Statistics is { } s && s.ChunkCount == summary.ChunkIndexes.Count;

    /// <summary>How many chunks were read so far (the ones skipped by the index are not).</summary>
    public int ChunksRead { get; private set; }

    /// <summary>Messages of the channels <paramref name="wanted"/> accepts, in file order; data valid until the next one.</summary>
    public IEnumerable<McapMessage> ReadMessages(Func<ushort, bool> wanted)
    {
        foreach (var index in Summary.ChunkIndexes.OrderBy(c => c.ChunkStartOffset))
        {
            if (index.MessageIndexOffsets.Count > 0 && !index.MessageIndexOffsets.Keys.Any(wanted))
            {
                continue;
            }
            var raw = ReadChunkRecord(index);
            ChunksRead++;
            foreach (var record in _chunks.ReadChunk(raw))
            {
                if (record is McapMessage m && wanted(m.ChannelId))
                {
                    yield return m;
                }
            }
        }
    }

    public void Dispose()
    {
        _chunks.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private McapRawRecord ReadChunkRecord(McapChunkIndex index)
    {
        long offset = (long)index.ChunkStartOffset;
        if (index.ChunkStartOffset > (ulong)_stream.Length || index.ChunkLength > (ulong)(_stream.Length - offset)
            || index.ChunkLength < McapConstants.RecordPrefixLength || index.ChunkLength > (ulong)_options.MaxRecordLength)
        {
            throw new McapFormatException(
                $"ChunkIndex points at {index.ChunkLength} bytes at {index.ChunkStartOffset}, outside the file of {_stream.Length} bytes",
                offset, McapOpcode.ChunkIndex);
        }
        int length = (int)index.ChunkLength;
        if (_buffer.Length < length)
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = ArrayPool<byte>.Shared.Rent(length);
        }
        _stream.Position = offset;
        _stream.ReadExactly(_buffer, 0, length);
        ulong contentLength = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(1, 8));
        if (_buffer[0] != (byte)McapOpcode.Chunk || contentLength != (ulong)(length - McapConstants.RecordPrefixLength))
        {
            throw new McapFormatException("ChunkIndex does not point at a Chunk record of its length", offset, McapOpcode.ChunkIndex);
        }
        return new McapRawRecord((byte)McapOpcode.Chunk, _buffer.AsMemory(McapConstants.RecordPrefixLength, length - McapConstants.RecordPrefixLength), offset);
    }
}

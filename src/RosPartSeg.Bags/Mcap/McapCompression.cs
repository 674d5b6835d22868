using System.Buffers;
using System.Runtime.InteropServices;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using ZstdSharp;

namespace RosPartSeg.Bags.Mcap;

/// <summary>Chunk compression names used by MCAP: <c>""</c> (none), <c>zstd</c>, <c>lz4</c> (LZ4 frame format).</summary>
public enum McapCompression
{
    None,
    Zstd,
    Lz4,
}

/// <summary>Names of <see cref="McapCompression"/> values as MCAP writes them.</summary>
public static class McapChunkCodecNames
{
    public static string Name(McapCompression compression) => McapChunkCodec.Name(compression);

    /// <summary>Parses <c>none</c>/<c>""</c>, <c>zstd</c> or <c>lz4</c>.</summary>
    public static McapCompression Parse(string name) => McapChunkCodec.Parse(name);
}

/// <summary>Compresses and decompresses chunk records. Decompression never writes past the declared uncompressed size.</summary>
internal sealed class McapChunkCodec : IDisposable
{
    private readonly Decompressor _zstdDecompressor = new();
    private Compressor? _zstdCompressor;
    private byte[] _buffer = [];

    public static string Name(McapCompression compression) => compression switch
    {
        McapCompression.Zstd => "zstd",
        McapCompression.Lz4 => "lz4",
        _ => "",
    };

    public static McapCompression Parse(string name) => name.ToLowerInvariant() switch
    {
        "" or "none" => McapCompression.None,
        "zstd" => McapCompression.Zstd,
        "lz4" => McapCompression.Lz4,
        _ => throw new ArgumentException($"unknown MCAP compression '{name}' (use none, zstd or lz4)", nameof(name)),
    };

    /// <summary>
    /// Decompresses <paramref name="compressed"/> into an internal buffer (valid until the next call) and checks it
    /// yields exactly <paramref name="uncompressedSize"/> bytes.
    /// </summary>
    public ReadOnlyMemory<byte> Decompress(string compression, ReadOnlyMemory<byte> compressed, int uncompressedSize, long chunkOffset)
    {
        if (compression.Length == 0)
        {
            if (compressed.Length != uncompressedSize)
            {
                throw new McapFormatException(
                    $"uncompressed chunk holds {compressed.Length} bytes but declares uncompressed_size {uncompressedSize}",
                    chunkOffset, McapOpcode.Chunk);
            }
            return compressed;
        }
        EnsureBuffer(uncompressedSize);
        var target = _buffer.AsSpan(0, uncompressedSize);
        int produced;
        try
        {
            produced = compression switch
            {
                "zstd" => DecompressZstd(compressed.Span, target),
                "lz4" => DecompressLz4(compressed, target),
                _ => throw new McapFormatException($"unsupported chunk compression '{compression}'", chunkOffset, McapOpcode.Chunk),
            };
        }
        catch (Exception e) when (e is not McapFormatException)
        {
            throw new McapFormatException($"{compression} chunk does not decompress: {e.Message}", chunkOffset, McapOpcode.Chunk, e);
        }
        if (produced != uncompressedSize)
        {
            throw new McapFormatException(
                $"{compression} chunk decompressed to {produced} bytes, expected uncompressed_size {uncompressedSize}",
                chunkOffset, McapOpcode.Chunk);
        }
        return _buffer.AsMemory(0, uncompressedSize);
    }

    /// <summary>Compresses into <paramref name="output"/> (cleared first).</summary>
    public void Compress(McapCompression compression, ReadOnlySpan<byte> source, ArrayBufferWriter<byte> output, int zstdLevel)
    {
        output.ResetWrittenCount();
        switch (compression)
        {
            case McapCompression.Zstd:
                _zstdCompressor ??= new Compressor(zstdLevel);
                var dest = output.GetSpan(Compressor.GetCompressBound(source.Length));
                output.Advance(_zstdCompressor.Wrap(source, dest));
                break;
            case McapCompression.Lz4:
                LZ4Frame.Encode(source, output, new LZ4EncoderSettings { CompressionLevel = LZ4Level.L00_FAST });
                break;
            default:
                source.CopyTo(output.GetSpan(source.Length));
                output.Advance(source.Length);
                break;
        }
    }

    public void Dispose()
    {
        _zstdDecompressor.Dispose();
        _zstdCompressor?.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private int DecompressZstd(ReadOnlySpan<byte> source, Span<byte> target) => _zstdDecompressor.Unwrap(source, target);

    private static int DecompressLz4(ReadOnlyMemory<byte> source, Span<byte> target)
    {
        if (!MemoryMarshal.TryGetArray(source, out ArraySegment<byte> segment))
        {
            segment = source.ToArray();
        }
        using var input = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        using var decoder = LZ4Stream.Decode(input, leaveOpen: true);
        int total = 0;
        while (total < target.Length)
        {
            int n = decoder.Read(target[total..]);
            if (n == 0)
            {
                return total;
            }
            total += n;
        }
        // Anything beyond the declared size is an error too.
        Span<byte> probe = stackalloc byte[1];
        return decoder.Read(probe) == 0 ? total : total + 1;
    }

    private void EnsureBuffer(int size)
    {
        if (_buffer.Length < size)
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = ArrayPool<byte>.Shared.Rent(size);
        }
    }
}

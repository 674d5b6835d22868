using System.Buffers.Binary;

namespace RosPartSeg.Tests;

/// <summary>
/// Small compressed images that decode to huge ones, made in memory (never committed as files): a PNG of zeros
/// whose deflate stream is written by hand (about 2 MB for 16384x16384 16-bit RGBA, 4.3 GB once decoded and
/// converted), and a JPEG whose frame header is rewritten to a huge size.
/// </summary>
public static class DecodeBombs
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>A valid PNG of <paramref name="side"/> x <paramref name="side"/> zero pixels: colour type 6 (RGBA)
    /// or 0 (grey), bit depth 8 or 16.</summary>
    public static byte[] ZeroPng(int side, int colourType = 6, int bitDepth = 16)
    {
        int channels = colourType == 6 ? 4 : colourType == 2 ? 3 : 1;
        long raw = (long)side * (1 + ((long)side * channels * bitDepth / 8)); // each row starts with filter byte 0
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)side);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)side);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colourType;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", ZlibOfZeros(raw));
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary><paramref name="png"/> with one more chunk (its CRC computed) right after IHDR, e.g. a gAMA.</summary>
    public static byte[] WithChunkAfterHeader(byte[] png, string type, byte[] data)
    {
        const int afterIhdr = 8 + 12 + 13;
        var s = new MemoryStream();
        s.Write(png.AsSpan(0, afterIhdr));
        Chunk(s, type, data);
        s.Write(png.AsSpan(afterIhdr));
        return s.ToArray();
    }

    /// <summary>
    /// <paramref name="smallJpeg"/> (any baseline JPEG) with its frame header saying
    /// <paramref name="width"/> x <paramref name="height"/> and the entropy-coded data cut off: libjpeg warns of
    /// the premature end and fills the rest, so decoders still produce (and allocate) the whole image.
    /// </summary>
    public static byte[] HugeJpeg(byte[] smallJpeg, int width, int height)
    {
        var b = (byte[])smallJpeg.Clone();
        int i = 2, sos = -1;
        while (i + 4 < b.Length && sos < 0)
        {
            byte marker = b[i + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(i + 2));
            if (marker is >= 0xC0 and <= 0xC3)
            {
                BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(i + 7), (ushort)width);
            }
            if (marker == 0xDA)
            {
                sos = i + 2 + length;
            }
            i += 2 + length;
        }
        return sos < 0 ? throw new ArgumentException("no start of scan", nameof(smallJpeg)) : [.. b.AsSpan(0, Math.Min(b.Length, sos + 64)), 0xFF, 0xD9];
    }

    /// <summary>
    /// A zlib stream of <paramref name="count"/> zero bytes in one dynamic-Huffman deflate block whose codes are
    /// chosen so that a match of 258 bytes at distance 1 takes 2 bits, both 0: the body is zero bytes.
    /// </summary>
    private static byte[] ZlibOfZeros(long count)
    {
        var w = new BitWriter();
        w.Bits(1, 1); // BFINAL
        w.Bits(2, 2); // BTYPE dynamic
        w.Bits(29, 5); // HLIT: 286 literal/length codes
        w.Bits(0, 5); // HDIST: 1 distance code
        w.Bits(14, 4); // HCLEN: 18 code length codes
        // Code length code lengths in the order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1: 18 -> 1 bit, 2 and 1 -> 2 bits.
        foreach (var len in new[] { 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2 })
        {
            w.Bits(len, 3);
        }
        // Canonical codes: 18 = 0, 1 = 10, 2 = 11. Literal/length lengths: 0 -> 2, 256 -> 2, 285 -> 1; distance 0 -> 1.
        void Zeros(int n)
        {
            w.Code(0b0, 1);
            w.Bits(n - 11, 7);
        }
        w.Code(0b11, 2); // length 2 for literal 0
        Zeros(138);
        Zeros(117); // literals 1..255
        w.Code(0b11, 2); // length 2 for 256 (end of block)
        Zeros(28); // 257..284
        w.Code(0b10, 2); // length 1 for 285 (match length 258)
        w.Code(0b10, 2); // length 1 for distance code 0 (distance 1)
        // Canonical: 285 = 0, literal 0 = 10, 256 = 11; distance 0 = 0.
        w.Code(0b10, 2); // literal 0
        long matches = (count - 1) / 258;
        long rest = (count - 1) % 258;
        w.ZeroBits(matches * 2);
        for (long k = 0; k < rest; k++)
        {
            w.Code(0b10, 2);
        }
        w.Code(0b11, 2); // end of block
        var body = w.ToArray();
        var z = new byte[2 + body.Length + 4];
        z[0] = 0x78;
        z[1] = 0x01;
        body.CopyTo(z, 2);
        uint adler = (uint)((count % 65521) << 16) | 1; // a stays 1 over zeros, b adds 1 per byte
        BinaryPrimitives.WriteUInt32BigEndian(z.AsSpan(2 + body.Length), adler);
        return z;
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(head, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, head[4..]);
        s.Write(head);
        s.Write(data);
        uint crc = Crc(0xFFFFFFFF, head[4..]);
        crc = Crc(crc, data) ^ 0xFFFFFFFF;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            t[n] = c;
        }
        return t;
    }

    /// <summary>Deflate's bit order: fields least significant bit first, Huffman codes most significant bit first.</summary>
    private sealed class BitWriter
    {
        private readonly MemoryStream _out = new();
        private int _acc;
        private int _n;

        public void Bits(int value, int count)
        {
            for (int i = 0; i < count; i++)
            {
                Bit((value >> i) & 1);
            }
        }

        public void Code(int code, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                Bit((code >> i) & 1);
            }
        }

        public void ZeroBits(long count)
        {
            while (count > 0 && _n != 0)
            {
                Bit(0);
                count--;
            }
            _out.Write(new byte[count / 8]);
            for (long i = 0; i < count % 8; i++)
            {
                Bit(0);
            }
        }

        public byte[] ToArray()
        {
            if (_n > 0)
            {
                _out.WriteByte((byte)_acc);
                _acc = _n = 0;
            }
            return _out.ToArray();
        }

        private void Bit(int bit)
        {
            _acc |= bit << _n;
            if (++_n == 8)
            {
                _out.WriteByte((byte)_acc);
                _acc = _n = 0;
            }
        }
    }
}

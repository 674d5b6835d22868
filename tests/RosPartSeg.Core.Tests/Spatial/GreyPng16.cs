using System.Buffers.Binary;
using System.IO.Compression;

namespace RosPartSeg.Core.Tests.Spatial;

/// <summary>
/// Reads a 16-bit greyscale, non-interlaced PNG (the TUM depth format) into big-endian-corrected values: chunks,
/// zlib-inflated IDAT, then the five row filters. Enough for the fixture; anything else is refused.
/// </summary>
internal static class GreyPng16
{
    public static (int Width, int Height, ushort[] Values) Read(string path)
    {
        var file = File.ReadAllBytes(path);
        int pos = 8, width = 0, height = 0;
        using var idat = new MemoryStream();
        while (pos + 8 <= file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(file, pos + 4, 4);
            var data = file.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
                if (data[8] != 16 || data[9] != 0 || data[12] != 0)
                {
                    throw new InvalidDataException($"{path}: not a 16-bit greyscale non-interlaced PNG");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            pos += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }
        var raw = inflated.ToArray();
        int stride = width * 2;
        var previous = new byte[stride];
        var row = new byte[stride];
        var values = new ushort[width * height];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            raw.AsSpan((y * (stride + 1)) + 1, stride).CopyTo(row);
            for (int i = 0; i < stride; i++)
            {
                int a = i >= 2 ? row[i - 2] : 0, b = previous[i], c = i >= 2 ? previous[i - 2] : 0;
                row[i] = (byte)(row[i] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"{path}: row filter {filter}"),
                });
            }
            for (int x = 0; x < width; x++)
            {
                values[(y * width) + x] = BinaryPrimitives.ReadUInt16BigEndian(row.AsSpan(2 * x));
            }
            (previous, row) = (row, previous);
        }
        return (width, height, values);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}

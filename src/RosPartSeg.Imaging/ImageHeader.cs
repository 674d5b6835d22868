using System.Buffers.Binary;

namespace RosPartSeg.Imaging;

/// <summary>The container of a compressed image, told by its signature.</summary>
public enum ImageFormat
{
    Png,
    Jpeg,
}

/// <summary>
/// Width and height read from a PNG's IHDR chunk or a JPEG's SOF segment, without decoding. The size is checked
/// before OpenCV sees the bytes: OpenCV allocates the whole decoded image from the header first, so a few hundred
/// kilobytes of compressed zeros declaring 16384x16384 would otherwise take gigabytes before any check could run.
/// </summary>
public readonly record struct ImageHeader(ImageFormat Format, long Width, long Height)
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Reads the header; throws <see cref="InvalidDataException"/> for anything but a JPEG or PNG whose size can be read.</summary>
    public static ImageHeader Read(ReadOnlySpan<byte> encoded)
    {
        if (encoded.StartsWith(PngSignature))
        {
            return ReadPng(encoded);
        }
        if (encoded.Length >= 3 && encoded[0] == 0xFF && encoded[1] == 0xD8 && encoded[2] == 0xFF)
        {
            return ReadJpeg(encoded);
        }
        throw new InvalidDataException($"compressed image of {encoded.Length} bytes is not a decodable JPEG or PNG (neither signature)");
    }

    // The first chunk must be IHDR: length 13, then width and height as 32-bit big-endian numbers.
    private static ImageHeader ReadPng(ReadOnlySpan<byte> b)
    {
        if (b.Length < 24 || !b.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            throw new InvalidDataException($"PNG of {b.Length} bytes is not a decodable JPEG or PNG (no IHDR chunk first)");
        }
        return new ImageHeader(ImageFormat.Png, BinaryPrimitives.ReadUInt32BigEndian(b[16..]), BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
    }

    // Markers from SOI to the first start-of-frame; segments in between are skipped by their length.
    private static ImageHeader ReadJpeg(ReadOnlySpan<byte> b)
    {
        int i = 2;
        while (i < b.Length)
        {
            if (b[i] != 0xFF)
            {
                break;
            }
            while (i < b.Length && b[i] == 0xFF)
            {
                i++; // fill bytes
            }
            if (i >= b.Length)
            {
                break;
            }
            byte marker = b[i];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i++; // standalone markers carry no length
                continue;
            }
            if (marker is 0xD9 or 0xDA || i + 2 >= b.Length)
            {
                break; // end of image or start of scan before any frame header
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 1)..]);
            bool sof = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (sof)
            {
                if (length < 8 || i + 8 > b.Length)
                {
                    break;
                }
                // SOFn: precision, then height and width as 16-bit big-endian numbers.
                return new ImageHeader(ImageFormat.Jpeg, BinaryPrimitives.ReadUInt16BigEndian(b[(i + 6)..]), BinaryPrimitives.ReadUInt16BigEndian(b[(i + 4)..]));
            }
            if (length < 2)
            {
                break;
            }
            i += 1 + length;
        }
        throw new InvalidDataException($"JPEG of {b.Length} bytes is not a decodable JPEG or PNG (no frame header)");
    }
}

using System.Buffers.Binary;

namespace RosPartSeg.Imaging;

/// <summary>
/// A look at a PNG's chunks before its image data, without decoding: whether libpng's simplified read API gives the
/// bytes OpenCV gives. It does for 8-bit (or fewer) samples without a gAMA chunk (an iCCP profile it does not apply;
/// astronaut.png, which has one, decodes exactly); a 16-bit image it scales by 257 where OpenCV rounds by 256, and
/// with a gAMA chunk it may convert to sRGB, which OpenCV never does.
/// </summary>
internal static class PngChunks
{
    /// <summary>True when the simplified API decodes these (signature- and IHDR-checked) bytes exactly as OpenCV does.</summary>
    internal static bool DecodesAsOpenCv(ReadOnlySpan<byte> png)
    {
        // Signature (8), then IHDR: length, type, width, height, bit depth at 24.
        if (png.Length < 33)
        {
            return true; // too short: libpng reports it as broken
        }
        if (png[24] > 8)
        {
            return false;
        }
        for (int i = 8; i + 8 <= png.Length;)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[i..]);
            var type = png.Slice(i + 4, 4);
            if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8))
            {
                return true;
            }
            if (type.SequenceEqual("gAMA"u8))
            {
                return false;
            }
            if (length > int.MaxValue - 12 - i)
            {
                return true; // a broken length: libpng will say so
            }
            i += 12 + (int)length;
        }
        return true;
    }
}

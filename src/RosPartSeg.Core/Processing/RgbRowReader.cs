using RosPartSeg.Core.Frames;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Reads rows of any accepted encoding as packed RGB bytes. Interleaved RGB/BGR(A) and mono rows are read in
/// place through channel offsets; 4:2:2 YUV rows are converted into a scratch row (BT.601, limited range,
/// the conversion cameras and OpenCV use), since their pixels cannot be addressed independently.
/// </summary>
public sealed class RgbRowReader
{
    private byte[] _scratch = [];

    /// <summary>Describes how to fetch R, G and B of pixel x from a row span: byte index x * Stride + offset.</summary>
    public readonly record struct Layout(int Stride, int R, int G, int B);

    /// <summary>The layout of rows returned by <see cref="Row"/> for frames of this encoding.</summary>
    public static Layout LayoutOf(PixelEncoding encoding) => encoding switch
    {
        PixelEncoding.Rgb8 => new(3, 0, 1, 2),
        PixelEncoding.Bgr8 => new(3, 2, 1, 0),
        PixelEncoding.Rgba8 => new(4, 0, 1, 2),
        PixelEncoding.Bgra8 => new(4, 2, 1, 0),
        PixelEncoding.Mono8 => new(1, 0, 0, 0),
        // YUV rows come back converted to packed RGB.
        _ => new(3, 0, 1, 2),
    };

    /// <summary>
    /// Returns row <paramref name="y"/> of a validated frame, either as a slice of the frame (no copy) or, for YUV,
    /// converted into a scratch row that stays valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Row(in ImageFrame frame, int y)
    {
        var span = frame.Data.Span.Slice(y * frame.Step, frame.Width * frame.Encoding.BytesPerPixel());
        if (frame.Encoding is not (PixelEncoding.Uyvy or PixelEncoding.Yuyv))
        {
            return span;
        }
        int needed = frame.Width * 3;
        if (_scratch.Length < needed)
        {
            _scratch = new byte[needed];
        }
        var dst = _scratch.AsSpan(0, needed);
        ConvertYuv422Row(span, dst, frame.Encoding == PixelEncoding.Uyvy);
        return dst;
    }

    /// <summary>Converts one 4:2:2 row (UYVY or YUYV) to packed RGB.</summary>
    public static void ConvertYuv422Row(ReadOnlySpan<byte> src, Span<byte> rgb, bool uyvy)
    {
        int yA = uyvy ? 1 : 0, u = uyvy ? 0 : 1, yB = uyvy ? 3 : 2, v = uyvy ? 2 : 3;
        int pairs = src.Length / 4;
        for (int p = 0; p < pairs; p++)
        {
            int s = p * 4, d = p * 6;
            int dU = src[s + u] - 128, dV = src[s + v] - 128;
            int rAdd = (409 * dV) + 128, gAdd = (-100 * dU) - (208 * dV) + 128, bAdd = (516 * dU) + 128;
            int c0 = 298 * (src[s + yA] - 16);
            rgb[d] = Clamp((c0 + rAdd) >> 8);
            rgb[d + 1] = Clamp((c0 + gAdd) >> 8);
            rgb[d + 2] = Clamp((c0 + bAdd) >> 8);
            int c1 = 298 * (src[s + yB] - 16);
            rgb[d + 3] = Clamp((c1 + rAdd) >> 8);
            rgb[d + 4] = Clamp((c1 + gAdd) >> 8);
            rgb[d + 5] = Clamp((c1 + bAdd) >> 8);
        }
    }

    private static byte Clamp(int v) => (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
}

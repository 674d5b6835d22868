using System.Runtime.InteropServices;
using RosPartSeg.Core.Frames;

namespace RosPartSeg.Imaging;

/// <summary>
/// Decodes JPEG and PNG frames into one buffer that is reused from frame to frame (the live node's compressed
/// input): once it has grown to the frame size, decoding allocates nothing on the managed heap. The size is read
/// from the header and refused (<see cref="FrameError.TooLarge"/>) before anything is decoded. A returned frame is
/// valid until the next call. Not thread-safe.
/// </summary>
public sealed class ImageDecoder
{
    private const int ImreadUnchanged = -1;
    private byte[] _pixels = [];

    /// <summary>Most pixels on a side that are decoded (checked in the header); at most <see cref="ImageFrame.MaxSide"/>.</summary>
    public int MaxSide { get; init; } = ImageFrame.MaxSide;

    /// <summary>Bytes held for decoded pixels (the largest frame so far).</summary>
    public int BufferBytes => _pixels.Length;

    /// <summary>Decodes to packed bgr8 (or mono8 for a grey image) over this decoder's buffer.</summary>
    public ImageFrame Decode(ReadOnlySpan<byte> encoded, Timestamp stamp = default, string frameId = "")
    {
        ImageCodec.EnsureAvailable();
        var (width, height, channels) = DecodeInto(encoded, ref _pixels, exactSize: false, MaxSide);
        return ImageFrame.Packed(width, height, channels == 1 ? PixelEncoding.Mono8 : PixelEncoding.Bgr8,
            _pixels.AsMemory(0, width * height * channels), stamp, frameId);
    }

    /// <summary>Lets go of the buffer (after an unusually large frame).</summary>
    public void Release() => _pixels = [];

    /// <summary>
    /// Checks the header, decodes with OpenCV and converts to 8-bit bgr8 or mono8 into <paramref name="pixels"/>
    /// (replaced when too small, or when not exactly the size and <paramref name="exactSize"/>).
    /// </summary>
    internal static unsafe (int Width, int Height, int Channels) DecodeInto(ReadOnlySpan<byte> encoded, ref byte[] pixels, bool exactSize, int maxSide = ImageFrame.MaxSide)
    {
        if (encoded.Length == 0)
        {
            throw new InvalidDataException("compressed image is empty");
        }
        var header = ImageHeader.Read(encoded);
        maxSide = Math.Min(maxSide, ImageFrame.MaxSide);
        if (header.Width > maxSide || header.Height > maxSide)
        {
            throw new FrameException(FrameError.TooLarge,
                $"compressed image of {header.Width}x{header.Height} (from its {header.Format} header) is larger than {maxSide} on a side; not decoded");
        }
        if (header.Width == 0 || header.Height == 0)
        {
            throw new FrameException(FrameError.InvalidDimensions, $"compressed image of {header.Width}x{header.Height} (from its {header.Format} header) is empty");
        }

        nint mat;
        fixed (byte* p = encoded)
        {
            Check(OpenCvNative.ImDecode(p, encoded.Length, ImreadUnchanged, out mat));
        }
        try
        {
            Check(OpenCvNative.MatRows(mat, out int rows));
            Check(OpenCvNative.MatCols(mat, out int cols));
            if (rows <= 0 || cols <= 0)
            {
                throw new InvalidDataException($"compressed image of {encoded.Length} bytes is not a decodable JPEG or PNG");
            }
            // A decoder that disagrees with the header it was checked by is not trusted with the size limit.
            if ((cols, rows) != ((int)header.Width, (int)header.Height))
            {
                throw new InvalidDataException($"compressed image decoded to {cols}x{rows}, its {header.Format} header says {header.Width}x{header.Height}");
            }
            Check(OpenCvNative.MatType(mat, out int type));
            Check(OpenCvNative.MatData(mat, out nint data));
            Check(OpenCvNative.MatStep(mat, out nint step));
            int depth = type & 7, inChannels = (type >> 3) + 1;
            if (depth is not (0 or 2) || inChannels is not (1 or 3 or 4))
            {
                throw new InvalidDataException($"compressed image decoded to an unsupported pixel type ({inChannels} channels, OpenCV depth {depth})");
            }
            int outChannels = inChannels == 1 ? 1 : 3;
            int size = cols * rows * outChannels;
            if (pixels.Length < size || (exactSize && pixels.Length != size))
            {
                pixels = new byte[size];
            }
            for (int y = 0; y < rows; y++)
            {
                var dst = pixels.AsSpan(y * cols * outChannels, cols * outChannels);
                byte* row = (byte*)data + (y * (long)step);
                if (depth == 0)
                {
                    ConvertRow(new ReadOnlySpan<byte>(row, cols * inChannels), inChannels, dst);
                }
                else
                {
                    ConvertRow(new ReadOnlySpan<ushort>(row, cols * inChannels), inChannels, dst);
                }
            }
            return (cols, rows, outChannels);
        }
        finally
        {
            _ = OpenCvNative.MatDelete(mat);
        }
    }

    // BGR(A) keeps B, G, R; grey stays grey.
    private static void ConvertRow(ReadOnlySpan<byte> src, int inChannels, Span<byte> dst)
    {
        if (inChannels != 4)
        {
            src.CopyTo(dst);
            return;
        }
        for (int i = 0, o = 0; i < src.Length; i += 4, o += 3)
        {
            dst[o] = src[i];
            dst[o + 1] = src[i + 1];
            dst[o + 2] = src[i + 2];
        }
    }

    // 16-bit samples to 8 bits, rounded (as OpenCV's convertTo with scale 1/256).
    private static void ConvertRow(ReadOnlySpan<ushort> src, int inChannels, Span<byte> dst)
    {
        int keep = inChannels == 4 ? 3 : inChannels;
        for (int i = 0, o = 0; i < src.Length; i += inChannels)
        {
            for (int c = 0; c < keep; c++)
            {
                dst[o++] = (byte)Math.Min(255, (src[i + c] + 128) >> 8);
            }
        }
    }

    private static void Check(int status)
    {
        if (status != 0)
        {
            throw new InvalidDataException($"OpenCV failed while decoding a compressed image (status {status})");
        }
    }
}

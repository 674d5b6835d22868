using RosPartSeg.Core.Frames;

namespace RosPartSeg.Imaging;

/// <summary>
/// Decodes JPEG and PNG frames into one buffer that is reused from frame to frame (the live node's compressed
/// input): once it has grown to the frame size, decoding with OpenCV or the system's libjpeg-turbo and libpng allocates
/// nothing on the managed heap (the managed codec allocates a copy of the encoded bytes and its own pixel array per
/// frame, and so do the PNGs the system codec leaves to it; see docs/jetson.md). The size is read
/// from the header and refused (<see cref="FrameError.TooLarge"/>) before anything is decoded. A returned frame is
/// valid until the next call. Not thread-safe.
/// </summary>
public sealed class ImageDecoder
{
    private byte[] _pixels = [];

    /// <summary>Most pixels on a side that are decoded (checked in the header); at most <see cref="ImageFrame.MaxSide"/>.</summary>
    public int MaxSide { get; init; } = ImageFrame.MaxSide;

    /// <summary>The library that decodes (the process's choice unless given; tests give either).</summary>
    public ImageCodecBackend Codec { get; init; } = ImageCodec.Backend;

    /// <summary>Bytes held for decoded pixels (the largest frame so far).</summary>
    public int BufferBytes => _pixels.Length;

    /// <summary>Decodes to packed bgr8 (or mono8 for a grey image) over this decoder's buffer.</summary>
    public ImageFrame Decode(ReadOnlySpan<byte> encoded, Timestamp stamp = default, string frameId = "")
    {
        var (width, height, channels) = DecodeInto(Codec, encoded, ref _pixels, exactSize: false, MaxSide);
        return ImageFrame.Packed(width, height, channels == 1 ? PixelEncoding.Mono8 : PixelEncoding.Bgr8,
            _pixels.AsMemory(0, width * height * channels), stamp, frameId);
    }

    /// <summary>Lets go of the buffer (after an unusually large frame).</summary>
    public void Release() => _pixels = [];

    /// <summary>
    /// Checks the header, then has <paramref name="backend"/> decode and convert to 8-bit bgr8 or mono8 into
    /// <paramref name="pixels"/> (replaced when too small, or when not exactly the size and <paramref name="exactSize"/>).
    /// </summary>
    internal static (int Width, int Height, int Channels) DecodeInto(ImageCodecBackend backend, ReadOnlySpan<byte> encoded, ref byte[] pixels, bool exactSize, int maxSide = ImageFrame.MaxSide)
    {
        backend.EnsureAvailable();
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

        return backend.DecodePixels(encoded, header, ref pixels, exactSize);
    }
}

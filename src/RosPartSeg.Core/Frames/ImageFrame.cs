using System.Diagnostics.CodeAnalysis;

namespace RosPartSeg.Core.Frames;

/// <summary>
/// One camera image as it arrives: geometry, encoding, row stride, header and the caller's pixel bytes.
/// The bytes are referenced, never copied; the caller keeps them alive until processing returns.
/// </summary>
public readonly struct ImageFrame
{
    /// <summary>The largest side accepted. Larger frames are refused rather than allocating huge buffers.</summary>
    public const int MaxSide = 8192;

    public ImageFrame(int width, int height, PixelEncoding encoding, int step, ReadOnlyMemory<byte> data, Timestamp stamp = default, string frameId = "")
    {
        Width = width;
        Height = height;
        Encoding = encoding;
        Step = step;
        Data = data;
        Stamp = stamp;
        FrameId = frameId ?? "";
    }

    /// <summary>Builds a frame with a tightly packed step (width x bytes per pixel).</summary>
    public static ImageFrame Packed(int width, int height, PixelEncoding encoding, ReadOnlyMemory<byte> data, Timestamp stamp = default, string frameId = "")
        => new(width, height, encoding, width * encoding.BytesPerPixel(), data, stamp, frameId);

    public int Width { get; }

    public int Height { get; }

    public PixelEncoding Encoding { get; }

    /// <summary>Bytes from the start of one row to the next; at least width x bytes per pixel.</summary>
    public int Step { get; }

    public ReadOnlyMemory<byte> Data { get; }

    public Timestamp Stamp { get; }

    public string FrameId { get; }

    /// <summary>Checks geometry, step and buffer length; throws a <see cref="FrameException"/> naming the first problem.</summary>
    public void Validate()
    {
        if (!TryValidate(out var error, out var message))
        {
            Throw(error, message);
        }
    }

    /// <summary>Non-throwing form of <see cref="Validate"/>.</summary>
    public bool TryValidate(out FrameError error, [NotNullWhen(false)] out string? message)
    {
        message = null;
        if (TryValidate(out error))
        {
            return true;
        }
        long rowBytes = (long)Width * Encoding.BytesPerPixel();
        message = error switch
        {
            FrameError.InvalidDimensions => $"image has invalid size {Width}x{Height}: width and height must be positive",
            FrameError.TooLarge => $"image of {Width}x{Height} is too large: at most {MaxSide} pixels on a side are accepted",
            FrameError.OddWidthForYuv => $"image width {Width} is odd, but {Encoding.RosName()} packs pixels in pairs and needs an even width",
            FrameError.StepTooSmall => $"image step {Step} is smaller than one row of {Width} {Encoding.RosName()} pixels ({rowBytes} bytes)",
            _ => $"image data is {Data.Length} bytes, but step {Step} x height {Height} needs {(long)Step * Height}",
        };
        return false;
    }

    /// <summary>The check alone, without a message (so refusing a frame allocates nothing).</summary>
    public bool TryValidate(out FrameError error)
    {
        error = default;
        if (Width <= 0 || Height <= 0)
        {
            error = FrameError.InvalidDimensions;
        }
        else if (Width > MaxSide || Height > MaxSide)
        {
            error = FrameError.TooLarge;
        }
        else if ((Encoding == PixelEncoding.Uyvy || Encoding == PixelEncoding.Yuyv) && (Width & 1) != 0)
        {
            error = FrameError.OddWidthForYuv;
        }
        else if (Step < (long)Width * Encoding.BytesPerPixel())
        {
            error = FrameError.StepTooSmall;
        }
        // The last row needs only its pixels, not a full step; but ROS defines data size as step x height.
        else if (Data.Length < (long)Step * Height)
        {
            error = FrameError.DataTooShort;
        }
        else
        {
            return true;
        }
        return false;
    }

    [DoesNotReturn]
    private static void Throw(FrameError error, string message) => throw new FrameException(error, message);
}

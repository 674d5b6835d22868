using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Sensor;

/// <summary>
/// The hot path for images: decode a serialized <c>sensor_msgs/Image</c> straight into an <see cref="ImageFrame"/>
/// that aliases the message, and write output images (labels, colour mask, overlay) from the pipeline's spans
/// into a reused <see cref="CdrWriter"/>. Neither allocates once warm (frame ids come from a
/// <see cref="Utf8StringCache"/>).
/// </summary>
public static class ImageMessages
{
    // The encodings the pipeline takes, as UTF-8, paired with the name PixelEncodings.TryParse understands.
    private static readonly (byte[] Utf8, string Name)[] KnownEncodings =
    [
        ("rgb8"u8.ToArray(), "rgb8"), ("bgr8"u8.ToArray(), "bgr8"), ("rgba8"u8.ToArray(), "rgba8"),
        ("bgra8"u8.ToArray(), "bgra8"), ("mono8"u8.ToArray(), "mono8"), ("8UC1"u8.ToArray(), "8UC1"),
        ("yuv422"u8.ToArray(), "yuv422"), ("uyvy"u8.ToArray(), "uyvy"), ("UYVY"u8.ToArray(), "UYVY"),
        ("yuv422_yuy2"u8.ToArray(), "yuv422_yuy2"), ("yuyv"u8.ToArray(), "yuyv"), ("YUYV"u8.ToArray(), "YUYV"),
        ("yuy2"u8.ToArray(), "yuy2"),
    ];

    /// <summary>
    /// Decodes a serialized Image into a frame whose <see cref="ImageFrame.Data"/> is a slice of
    /// <paramref name="message"/>. A malformed message is a <see cref="CdrException"/>; an encoding the pipeline
    /// does not take or inconsistent geometry a <see cref="FrameException"/>.
    /// </summary>
    public static ImageFrame DecodeFrame(ReadOnlyMemory<byte> message, Utf8StringCache? strings = null, CdrLimits? limits = null)
    {
        var reader = new CdrReader(message, limits, strings);
        var header = Header.Read(ref reader);
        uint height = reader.ReadUInt32();
        uint width = reader.ReadUInt32();
        var encodingBytes = reader.ReadStringBytes();
        _ = reader.ReadByte(); // is_bigendian: meaningless for 8-bit channels
        uint step = reader.ReadUInt32();
        var data = reader.ReadByteSequenceMemory();
        return ToFrame(header, height, width, ParseEncoding(encodingBytes), step, data);
    }

    /// <summary>
    /// Reads a serialized <c>sensor_msgs/CompressedImage</c> without building the message object: its header and a
    /// slice of <paramref name="message"/> holding the JPEG/PNG bytes (the format string is not needed: the bytes
    /// say what they are). Allocates nothing once the frame id is cached. Malformed: a <see cref="CdrException"/>.
    /// </summary>
    public static (Header Header, ReadOnlyMemory<byte> Data) ReadCompressed(ReadOnlyMemory<byte> message, Utf8StringCache? strings = null, CdrLimits? limits = null)
    {
        var reader = new CdrReader(message, limits, strings);
        var header = Header.Read(ref reader);
        _ = reader.ReadStringBytes(); // format
        return (header, reader.ReadByteSequenceMemory());
    }

    /// <summary>
    /// The non-throwing <see cref="DecodeFrame"/>: true with the frame, or false with the cause for which
    /// <see cref="DecodeFrame"/> would throw. A refused message costs no exception and, for every cause but an
    /// unknown encoding name, no allocation, so a flood of bad messages leaves no garbage behind; call
    /// <see cref="DecodeFrame"/> on it for the explaining exception.
    /// </summary>
    public static bool TryDecodeFrame(ReadOnlyMemory<byte> message, Utf8StringCache? strings, CdrLimits? limits,
        out ImageFrame frame, out BadFrameCause cause)
    {
        frame = default;
        cause = BadFrameCause.CdrMalformed;
        var scan = new CdrScanner(message.Span, limits);
        int seconds = unchecked((int)scan.UInt32());
        uint nanoseconds = scan.UInt32();
        var frameId = scan.StringBytes();
        uint height = scan.UInt32();
        uint width = scan.UInt32();
        var encodingBytes = scan.StringBytes();
        _ = scan.Byte(); // is_bigendian: meaningless for 8-bit channels
        uint step = scan.UInt32();
        var (dataStart, dataLength) = scan.ByteSequence();
        if (!scan.Ok)
        {
            return false;
        }
        if (!TryParseEncoding(encodingBytes, out var encoding))
        {
            cause = BadFrameCause.BadEncoding;
            return false;
        }
        if (height > int.MaxValue || width > int.MaxValue || step > int.MaxValue)
        {
            cause = BadFrameCause.SizeTooLarge;
            return false;
        }
        var data = message.Slice(dataStart, dataLength);
        if (!new ImageFrame((int)width, (int)height, encoding, (int)step, data).TryValidate(out FrameError error))
        {
            cause = BadFrameCauses.Of(error);
            return false;
        }
        // Only a frame that is taken gets its frame id as a string (cached, as CdrReader.ReadString does).
        string id = frameId.IsEmpty ? "" : strings is null ? System.Text.Encoding.UTF8.GetString(frameId) : strings.Get(frameId);
        frame = new ImageFrame((int)width, (int)height, encoding, (int)step, data, new Timestamp(seconds, nanoseconds), id);
        return true;
    }

    private static bool TryParseEncoding(ReadOnlySpan<byte> utf8, out PixelEncoding encoding)
    {
        foreach (var (bytes, name) in KnownEncodings)
        {
            if (utf8.SequenceEqual(bytes))
            {
                encoding = PixelEncodings.Parse(name);
                return true;
            }
        }
        return PixelEncodings.TryParse(System.Text.Encoding.UTF8.GetString(utf8), out encoding);
    }

    /// <summary>Parses an encoding name given as UTF-8 without allocating (except for the error message).</summary>
    public static PixelEncoding ParseEncoding(ReadOnlySpan<byte> utf8)
        => TryParseEncoding(utf8, out var encoding) ? encoding : PixelEncodings.Parse(System.Text.Encoding.UTF8.GetString(utf8));

    internal static ImageFrame ToFrame(Header header, uint height, uint width, PixelEncoding encoding, uint step, ReadOnlyMemory<byte> data)
    {
        if (height > int.MaxValue || width > int.MaxValue || step > int.MaxValue)
        {
            throw new FrameException(FrameError.TooLarge, $"image of {width}x{height} with step {step} is too large");
        }
        var frame = new ImageFrame((int)width, (int)height, encoding, (int)step, data, header.Stamp, header.FrameId);
        frame.Validate();
        return frame;
    }

    /// <summary>
    /// Writes a whole output Image message (header included) into <paramref name="writer"/> (reset first): the
    /// input's header, the given geometry and encoding, and the pixels with one block copy. Rows are packed, so
    /// <paramref name="pixels"/> must be exactly width x height x bytes per pixel.
    /// </summary>
    public static void WriteImage(CdrWriter writer, Timestamp stamp, string? frameId, int width, int height,
        PixelEncoding encoding, ReadOnlySpan<byte> pixels)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        int step = checked(width * encoding.BytesPerPixel());
        if (pixels.Length != (long)step * height)
        {
            throw new ArgumentException($"{pixels.Length} pixel bytes given for a {width}x{height} {encoding.RosName()} image ({(long)step * height} expected)", nameof(pixels));
        }
        writer.Reset();
        Image.Write(writer, stamp, frameId, (uint)height, (uint)width, encoding.RosName(), (uint)step, pixels);
    }

    /// <summary>A <c>mono8</c> label image: one class id per pixel.</summary>
    public static void WriteLabels(CdrWriter writer, Timestamp stamp, string? frameId, int width, int height, ReadOnlySpan<byte> labels)
        => WriteImage(writer, stamp, frameId, width, height, PixelEncoding.Mono8, labels);

    /// <summary>An <c>rgb8</c> image (colour mask or overlay).</summary>
    public static void WriteRgb8(CdrWriter writer, Timestamp stamp, string? frameId, int width, int height, ReadOnlySpan<byte> rgb)
        => WriteImage(writer, stamp, frameId, width, height, PixelEncoding.Rgb8, rgb);
}

using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Sensor;

/// <summary>
/// <c>sensor_msgs/msg/CompressedImage</c>: Header header, string format, uint8[] data. The payload (jpeg or png)
/// is decoded to pixels by the imaging layer; decoded from memory, <see cref="Data"/> aliases the message.
/// </summary>
public sealed record CompressedImage : IRosMessage<CompressedImage>
{
    public const int MinSize = Header.MinSize + 4 + 4;

    public static MessageType Type { get; } = MessageRegistry.Get("sensor_msgs/msg/CompressedImage");

    public Header Header { get; init; }

    /// <summary>e.g. <c>jpeg</c>, <c>png</c>, or image_transport's <c>rgb8; jpeg compressed bgr8</c>.</summary>
    public string Format { get; init; } = "";

    public ReadOnlyMemory<byte> Data { get; init; }

    public void Write(CdrWriter writer) => Write(writer, Header.Stamp, Header.FrameId, Format, Data.Span);

    public static CompressedImage Read(ref CdrReader reader) => new()
    {
        Header = Header.Read(ref reader),
        Format = reader.ReadString(),
        Data = reader.ReadByteSequenceMemory(),
    };

    /// <summary>Writes the fields from parts with no allocation (payload in one block copy).</summary>
    public static void Write(CdrWriter writer, Core.Frames.Timestamp stamp, string? frameId, string? format, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Header.Write(writer, stamp, frameId);
        writer.WriteString(format);
        writer.WriteByteSequence(data);
    }
}

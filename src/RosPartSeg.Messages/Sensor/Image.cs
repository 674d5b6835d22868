using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Sensor;

/// <summary>
/// <c>sensor_msgs/msg/Image</c>: Header header, uint32 height, uint32 width, string encoding, uint8 is_bigendian,
/// uint32 step, uint8[] data. Decoded from memory, <see cref="Data"/> is a slice of the message (no copy);
/// encoded, the pixels are written with one block copy.
/// </summary>
public sealed record Image : IRosMessage<Image>
{
    /// <summary>Fewest encoded bytes: header, 3 uint32, empty encoding, is_bigendian, empty data count (strings counted as 4, see Header.MinSize).</summary>
    public const int MinSize = Header.MinSize + 12 + 4 + 1 + 4;

    public static MessageType Type { get; } = MessageRegistry.Get("sensor_msgs/msg/Image");

    public Header Header { get; init; }

    public uint Height { get; init; }

    public uint Width { get; init; }

    public string Encoding { get; init; } = "";

    public byte IsBigEndian { get; init; }

    public uint Step { get; init; }

    public ReadOnlyMemory<byte> Data { get; init; }

    public void Write(CdrWriter writer)
        => Write(writer, Header.Stamp, Header.FrameId, Height, Width, Encoding, Step, Data.Span, IsBigEndian);

    public static Image Read(ref CdrReader reader) => new()
    {
        Header = Header.Read(ref reader),
        Height = reader.ReadUInt32(),
        Width = reader.ReadUInt32(),
        Encoding = reader.ReadString(),
        IsBigEndian = reader.ReadByte(),
        Step = reader.ReadUInt32(),
        Data = reader.ReadByteSequenceMemory(),
    };

    /// <summary>
    /// The image as an <see cref="ImageFrame"/> whose data is <see cref="Data"/> itself (no copy). Throws a
    /// <see cref="FrameException"/> for an encoding the pipeline does not take or inconsistent geometry.
    /// </summary>
    public ImageFrame ToFrame() => ImageMessages.ToFrame(Header, Height, Width, PixelEncodings.Parse(Encoding), Step, Data);

    /// <summary>
    /// Writes an Image from its parts with no allocation: the pixel bytes go in with one block copy.
    /// </summary>
    public static void Write(CdrWriter writer, Timestamp stamp, string? frameId, uint height, uint width,
        string? encoding, uint step, ReadOnlySpan<byte> data, byte isBigEndian = 0)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.EnsureCapacity(64 + (frameId?.Length ?? 0) * 3 + (encoding?.Length ?? 0) + data.Length);
        Header.Write(writer, stamp, frameId);
        writer.WriteUInt32(height);
        writer.WriteUInt32(width);
        writer.WriteString(encoding);
        writer.WriteByte(isBigEndian);
        writer.WriteUInt32(step);
        writer.WriteByteSequence(data);
    }
}

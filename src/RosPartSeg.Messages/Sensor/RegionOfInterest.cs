using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Sensor;

/// <summary><c>sensor_msgs/msg/RegionOfInterest</c>: uint32 x_offset, y_offset, height, width; bool do_rectify.</summary>
public readonly record struct RegionOfInterest(uint XOffset, uint YOffset, uint Height, uint Width, bool DoRectify = false)
    : IRosMessage<RegionOfInterest>
{
    public const int MinSize = 17;

    public static MessageType Type { get; } = MessageRegistry.Get("sensor_msgs/msg/RegionOfInterest");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt32(XOffset);
        writer.WriteUInt32(YOffset);
        writer.WriteUInt32(Height);
        writer.WriteUInt32(Width);
        writer.WriteBool(DoRectify);
    }

    public static RegionOfInterest Read(ref CdrReader reader)
        => new(reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadBool());
}

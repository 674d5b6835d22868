using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Vision;

/// <summary><c>vision_msgs/msg/VisionClass</c>: uint16 class_id, string class_name.</summary>
public sealed record VisionClass(ushort ClassId, string ClassName) : IRosMessage<VisionClass>
{
    public const int MinSize = 2 + 4;

    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/VisionClass");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16(ClassId);
        writer.WriteString(ClassName);
    }

    public static VisionClass Read(ref CdrReader reader) => new(reader.ReadUInt16(), reader.ReadString());
}

/// <summary>
/// <c>vision_msgs/msg/LabelInfo</c>: Header header, VisionClass[] class_map, float32 threshold. Published
/// transient-local next to a segmentation, like camera_info next to a camera.
/// </summary>
public sealed record LabelInfo : IRosMessage<LabelInfo>
{
    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/LabelInfo");

    public Header Header { get; init; }

    public IReadOnlyList<VisionClass> ClassMap { get; init; } = [];

    public float Threshold { get; init; }

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Header.Write(writer);
        CdrSequences.Write(writer, ClassMap);
        writer.WriteFloat32(Threshold);
    }

    public static LabelInfo Read(ref CdrReader reader) => new()
    {
        Header = Header.Read(ref reader),
        ClassMap = CdrSequences.Read<VisionClass>(ref reader, VisionClass.MinSize),
        Threshold = reader.ReadFloat32(),
    };

    /// <summary>A class map with ids 0..n-1 in the order of <paramref name="classNames"/>.</summary>
    public static LabelInfo FromClassNames(Header header, IReadOnlyList<string> classNames, float threshold = 0f)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"{classNames.Count} classes do not fit uint16 class ids", nameof(classNames));
        }
        var map = new VisionClass[classNames.Count];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = new VisionClass((ushort)i, classNames[i]);
        }
        return new LabelInfo { Header = header, ClassMap = map, Threshold = threshold };
    }
}

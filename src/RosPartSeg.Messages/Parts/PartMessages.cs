using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Parts;

/// <summary>
/// <c>rospartseg/msg/PartRegion</c>: one connected region of one body part of one person (see msg/PartRegion.msg).
/// </summary>
public sealed record PartRegionMessage : IRosMessage<PartRegionMessage>
{
    public const int MinSize = 2 + 4 + 2 + RegionOfInterest.MinSize + 4 + 12;

    public static MessageType Type { get; } = MessageRegistry.Get("rospartseg/msg/PartRegion");

    public ushort ClassId { get; init; }

    public string ClassName { get; init; } = "";

    public ushort PersonId { get; init; }

    public RegionOfInterest Box { get; init; }

    public uint PixelCount { get; init; }

    public float CentroidX { get; init; }

    public float CentroidY { get; init; }

    public float Score { get; init; }

    public void Write(CdrWriter writer)
        => Write(writer, ClassId, ClassName, PersonId, Box, PixelCount, CentroidX, CentroidY, Score);

    internal static void Write(CdrWriter writer, ushort classId, string? className, ushort personId, RegionOfInterest box,
        uint pixelCount, float centroidX, float centroidY, float score)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16(classId);
        writer.WriteString(className);
        writer.WriteUInt16(personId);
        box.Write(writer);
        writer.WriteUInt32(pixelCount);
        writer.WriteFloat32(centroidX);
        writer.WriteFloat32(centroidY);
        writer.WriteFloat32(score);
    }

    public static PartRegionMessage Read(ref CdrReader reader) => new()
    {
        ClassId = reader.ReadUInt16(),
        ClassName = reader.ReadString(),
        PersonId = reader.ReadUInt16(),
        Box = RegionOfInterest.Read(ref reader),
        PixelCount = reader.ReadUInt32(),
        CentroidX = reader.ReadFloat32(),
        CentroidY = reader.ReadFloat32(),
        Score = reader.ReadFloat32(),
    };
}

/// <summary><c>rospartseg/msg/Person</c>: one person's box, area, centroid and score (see msg/Person.msg).</summary>
public sealed record PersonMessage : IRosMessage<PersonMessage>
{
    public const int MinSize = 2 + RegionOfInterest.MinSize + 4 + 12;

    public static MessageType Type { get; } = MessageRegistry.Get("rospartseg/msg/Person");

    public ushort PersonId { get; init; }

    public RegionOfInterest Box { get; init; }

    public uint PixelCount { get; init; }

    public float CentroidX { get; init; }

    public float CentroidY { get; init; }

    public float Score { get; init; }

    public void Write(CdrWriter writer) => Write(writer, PersonId, Box, PixelCount, CentroidX, CentroidY, Score);

    internal static void Write(CdrWriter writer, ushort personId, RegionOfInterest box, uint pixelCount,
        float centroidX, float centroidY, float score)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16(personId);
        box.Write(writer);
        writer.WriteUInt32(pixelCount);
        writer.WriteFloat32(centroidX);
        writer.WriteFloat32(centroidY);
        writer.WriteFloat32(score);
    }

    public static PersonMessage Read(ref CdrReader reader) => new()
    {
        PersonId = reader.ReadUInt16(),
        Box = RegionOfInterest.Read(ref reader),
        PixelCount = reader.ReadUInt32(),
        CentroidX = reader.ReadFloat32(),
        CentroidY = reader.ReadFloat32(),
        Score = reader.ReadFloat32(),
    };
}

/// <summary>
/// <c>rospartseg/msg/PartRegionArray</c>: the input header, the input size, the people and every part region
/// (see msg/PartRegionArray.msg).
/// </summary>
public sealed record PartRegionArrayMessage : IRosMessage<PartRegionArrayMessage>
{
    public static MessageType Type { get; } = MessageRegistry.Get("rospartseg/msg/PartRegionArray");

    public Header Header { get; init; }

    public uint ImageWidth { get; init; }

    public uint ImageHeight { get; init; }

    public IReadOnlyList<PersonMessage> People { get; init; } = [];

    public IReadOnlyList<PartRegionMessage> Regions { get; init; } = [];

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Header.Write(writer);
        writer.WriteUInt32(ImageWidth);
        writer.WriteUInt32(ImageHeight);
        CdrSequences.Write(writer, People);
        CdrSequences.Write(writer, Regions);
    }

    public static PartRegionArrayMessage Read(ref CdrReader reader) => new()
    {
        Header = Header.Read(ref reader),
        ImageWidth = reader.ReadUInt32(),
        ImageHeight = reader.ReadUInt32(),
        People = CdrSequences.Read<PersonMessage>(ref reader, PersonMessage.MinSize),
        Regions = CdrSequences.Read<PartRegionMessage>(ref reader, PartRegionMessage.MinSize),
    };
}

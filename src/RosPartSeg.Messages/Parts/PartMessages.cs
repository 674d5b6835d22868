using RosPartSeg.Core.Spatial;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Geometry;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Parts;

/// <summary>
/// <c>rospartseg/msg/PartRegion</c>: one connected region of one body part of one person (see msg/PartRegion.msg).
/// </summary>
public sealed record PartRegionMessage : IRosMessage<PartRegionMessage>
{
    public const int MinSize = 2 + 4 + 2 + RegionOfInterest.MinSize + 4 + 12 + Place3D.WireSize;

    public static MessageType Type { get; } = MessageRegistry.Get("rospartseg/msg/PartRegion");

    public ushort ClassId { get; init; }

    public string ClassName { get; init; } = "";

    public ushort PersonId { get; init; }

    public RegionOfInterest Box { get; init; }

    public uint PixelCount { get; init; }

    public float CentroidX { get; init; }

    public float CentroidY { get; init; }

    public float Score { get; init; }

    /// <summary>The 3D fields (has_position, position, size, depth_pixels).</summary>
    public Place3D Place { get; init; }

    public void Write(CdrWriter writer)
        => Write(writer, ClassId, ClassName, PersonId, Box, PixelCount, CentroidX, CentroidY, Score, Place.ToPosition());

    internal static void Write(CdrWriter writer, ushort classId, string? className, ushort personId, RegionOfInterest box,
        uint pixelCount, float centroidX, float centroidY, float score, in Position3D place)
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
        Place3D.Write(writer, place);
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
        Place = Place3D.Read(ref reader),
    };
}

/// <summary><c>rospartseg/msg/Person</c>: one person's box, area, centroid and score (see msg/Person.msg).</summary>
public sealed record PersonMessage : IRosMessage<PersonMessage>
{
    public const int MinSize = 2 + RegionOfInterest.MinSize + 4 + 12 + 4 + Place3D.WireSize;

    public static MessageType Type { get; } = MessageRegistry.Get("rospartseg/msg/Person");

    public ushort PersonId { get; init; }

    public RegionOfInterest Box { get; init; }

    public uint PixelCount { get; init; }

    public float CentroidX { get; init; }

    public float CentroidY { get; init; }

    public float Score { get; init; }

    /// <summary>The same person keeps it from frame to frame; 0: not tracked.</summary>
    public uint TrackId { get; init; }

    /// <summary>The 3D fields (has_position, position, size, depth_pixels).</summary>
    public Place3D Place { get; init; }

    public void Write(CdrWriter writer) => Write(writer, PersonId, Box, PixelCount, CentroidX, CentroidY, Score, TrackId, Place.ToPosition());

    internal static void Write(CdrWriter writer, ushort personId, RegionOfInterest box, uint pixelCount,
        float centroidX, float centroidY, float score, uint trackId, in Position3D place)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16(personId);
        box.Write(writer);
        writer.WriteUInt32(pixelCount);
        writer.WriteFloat32(centroidX);
        writer.WriteFloat32(centroidY);
        writer.WriteFloat32(score);
        writer.WriteUInt32(trackId);
        Place3D.Write(writer, place);
    }

    public static PersonMessage Read(ref CdrReader reader) => new()
    {
        PersonId = reader.ReadUInt16(),
        Box = RegionOfInterest.Read(ref reader),
        PixelCount = reader.ReadUInt32(),
        CentroidX = reader.ReadFloat32(),
        CentroidY = reader.ReadFloat32(),
        Score = reader.ReadFloat32(),
        TrackId = reader.ReadUInt32(),
        Place = Place3D.Read(ref reader),
    };
}

/// <summary>
/// The 3D fields that <c>Person</c> and <c>PartRegion</c> end with: bool has_position, geometry_msgs/Point position,
/// geometry_msgs/Vector3 size, uint32 depth_pixels. Without a position all are 0.
/// </summary>
public readonly record struct Place3D(bool HasPosition, Point Position, Vector3 Size, uint DepthPixels)
{
    /// <summary>Fewest bytes on the wire (for sequence length checks): the bool, 6 float64 and a uint32, unaligned.</summary>
    public const int WireSize = 1 + 48 + 4;

    public static Place3D From(in Position3D p) => p.Valid
        ? new(true, new Point(p.X, p.Y, p.Z), new Vector3(p.SizeX, p.SizeY, p.SizeZ), (uint)p.PixelsUsed)
        : default;

    internal Position3D ToPosition() => HasPosition
        ? new Position3D(true, (float)Position.X, (float)Position.Y, (float)Position.Z, (float)Size.X, (float)Size.Y, (float)Size.Z, (int)DepthPixels)
        : default;

    /// <summary>Writes a region's 3D value, or the zeros of none (an invalid one's pixel count is not published).</summary>
    internal static void Write(CdrWriter writer, in Position3D p)
    {
        writer.WriteBool(p.Valid);
        writer.WriteFloat64(p.Valid ? p.X : 0);
        writer.WriteFloat64(p.Valid ? p.Y : 0);
        writer.WriteFloat64(p.Valid ? p.Z : 0);
        writer.WriteFloat64(p.Valid ? p.SizeX : 0);
        writer.WriteFloat64(p.Valid ? p.SizeY : 0);
        writer.WriteFloat64(p.Valid ? p.SizeZ : 0);
        writer.WriteUInt32(p.Valid ? (uint)p.PixelsUsed : 0);
    }

    internal static Place3D Read(ref CdrReader reader) =>
        new(reader.ReadBool(), Point.Read(ref reader), Vector3.Read(ref reader), reader.ReadUInt32());
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

using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Geometry;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Parts;

/// <summary>
/// The 3D outputs of a frame with depth, written straight from the result's spans into a reused writer (nothing
/// allocated once it has grown), in the colour camera's optical frame (the input header's frame id). Only people
/// and regions with a 3D value appear: a region with too few valid depth pixels is left out, not guessed.
/// </summary>
public static class SpatialMessages
{
    /// <summary>Marker namespace of the part spheres.</summary>
    public const string PartsNamespace = "parts";

    /// <summary>Marker namespace of the people's labels.</summary>
    public const string PeopleNamespace = "people";

    // visualization_msgs/Marker constants.
    private const int Sphere = 2;
    private const int TextViewFacing = 9;
    private const int Add = 0;
    private const int DeleteAll = 3;

    /// <summary>
    /// A <c>vision_msgs/Detection3DArray</c>: one detection per person with a 3D value (class <c>person</c>, id
    /// <c>person{track}</c>) when <paramref name="includePeople"/>, then one per part region with one (class = its
    /// name, id <c>person{track}/{class}/{k}</c> as in <c>~/detections</c>). The hypothesis pose and the box centre
    /// are the 3D centre, the box size the 3D extent (metres), orientation identity.
    /// </summary>
    public static void WriteDetections3D(CdrWriter writer, SegmentationResult result, bool includePeople = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var people = result.People;
        var regions = result.Regions;
        var people3D = result.People3D;
        var regions3D = result.Regions3D;
        var ids = result.TrackIds;
        writer.Reset();
        Header.Write(writer, result.Stamp, result.FrameId);
        writer.WriteSequenceCount((includePeople ? CountValid(people3D) : 0) + CountValid(regions3D));
        if (includePeople)
        {
            for (int i = 0; i < people3D.Length; i++)
            {
                if (people3D[i].Valid)
                {
                    WriteDetection3D(writer, result, ResultMessages.PersonClass, people[i].Score, people3D[i]);
                    ResultMessages.WritePersonIdString(writer, ResultMessages.PersonNumber(people[i].PersonId, ids));
                }
            }
        }
        for (int i = 0; i < regions3D.Length; i++)
        {
            if (regions3D[i].Valid)
            {
                string className = ResultMessages.ClassName(result.ClassNames, regions[i].ClassId);
                WriteDetection3D(writer, result, className, regions[i].Score, regions3D[i]);
                ResultMessages.WriteRegionId(writer, regions, i, className, ids);
            }
        }
    }

    // Everything of a Detection3D but its id.
    private static void WriteDetection3D(CdrWriter writer, SegmentationResult result, string classId, float score, in Position3D p)
    {
        Header.Write(writer, result.Stamp, result.FrameId);
        writer.WriteSequenceCount(1);
        writer.WriteString(classId);
        writer.WriteFloat64(score);
        var centre = new Pose(new Point(p.X, p.Y, p.Z), Quaternion.Identity);
        PoseWithCovariance.Write(writer, centre, default);
        centre.Write(writer); // bbox.center
        new Vector3(p.SizeX, p.SizeY, p.SizeZ).Write(writer); // bbox.size
    }

    /// <summary>
    /// A <c>visualization_msgs/MarkerArray</c> for RViz: first a DELETEALL (so markers of people no longer seen go),
    /// then a sphere per part region with a 3D value, in its class colour (namespace <c>parts</c>, id the region's
    /// index; diameter the smaller of its x and y extents, at least 3 cm), then a text <c>P{track}</c> per person
    /// with one, above the person's top (namespace <c>people</c>, id the person's index).
    /// </summary>
    public static void WriteMarkers(CdrWriter writer, SegmentationResult result, IReadOnlyList<Rgb> palette)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(palette);
        var people3D = result.People3D;
        var regions3D = result.Regions3D;
        var regions = result.Regions;
        writer.Reset();
        writer.WriteSequenceCount(1 + CountValid(regions3D) + CountValid(people3D));
        WriteMarker(writer, result, "", 0, 0, DeleteAll, default, default, default, -1);
        for (int i = 0; i < regions3D.Length; i++)
        {
            var p = regions3D[i];
            if (p.Valid)
            {
                double d = Math.Max(0.03, Math.Min(p.SizeX, p.SizeY));
                var c = (uint)regions[i].ClassId < (uint)palette.Count ? palette[regions[i].ClassId] : new Rgb(255, 255, 255);
                WriteMarker(writer, result, PartsNamespace, i, Sphere, Add, new Point(p.X, p.Y, p.Z), new Vector3(d, d, d), c, -1);
            }
        }
        for (int i = 0; i < people3D.Length; i++)
        {
            var p = people3D[i];
            if (p.Valid)
            {
                // Above the head: y points down in the optical frame.
                var at = new Point(p.X, p.Y - (p.SizeY / 2) - 0.15, p.Z);
                WriteMarker(writer, result, PeopleNamespace, i, TextViewFacing, Add, at, new Vector3(0, 0, 0.2), new Rgb(255, 255, 255),
                    ResultMessages.PersonNumber(result.People[i].PersonId, result.TrackIds));
            }
        }
    }

    // One Marker (Humble and Jazzy share the layout); text "P{label}" when label >= 0, else empty.
    private static void WriteMarker(CdrWriter writer, SegmentationResult result, string ns, int id, int type, int action,
        Point position, Vector3 scale, Rgb color, int label)
    {
        Header.Write(writer, result.Stamp, result.FrameId);
        writer.WriteString(ns);
        writer.WriteInt32(id);
        writer.WriteInt32(type);
        writer.WriteInt32(action);
        new Pose(position, Quaternion.Identity).Write(writer);
        scale.Write(writer);
        writer.WriteFloat32(color.R / 255f);
        writer.WriteFloat32(color.G / 255f);
        writer.WriteFloat32(color.B / 255f);
        writer.WriteFloat32(action == DeleteAll ? 0f : 1f);
        writer.WriteInt32(0); // lifetime: forever (the next frame's DELETEALL removes it)
        writer.WriteUInt32(0);
        writer.WriteBool(false); // frame_locked
        writer.WriteSequenceCount(0); // points
        writer.WriteSequenceCount(0); // colors
        writer.WriteString(""); // texture_resource
        Header.Write(writer, default, ""); // texture: an empty CompressedImage
        writer.WriteString("");
        writer.WriteSequenceCount(0);
        writer.WriteSequenceCount(0); // uv_coordinates
        if (label >= 0)
        {
            int start = writer.BeginString();
            writer.WriteRawByte((byte)'P');
            writer.WriteRawDecimal(label);
            writer.EndString(start);
        }
        else
        {
            writer.WriteString("");
        }
        writer.WriteString(""); // mesh_resource
        writer.WriteString(""); // mesh_file.filename
        writer.WriteSequenceCount(0); // mesh_file.data
        writer.WriteBool(false); // mesh_use_embedded_materials
    }

    private static int CountValid(ReadOnlySpan<Position3D> places)
    {
        int n = 0;
        foreach (ref readonly var p in places)
        {
            n += p.Valid ? 1 : 0;
        }
        return n;
    }
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Geometry;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Messages.Parts;

/// <summary>
/// Writes the pipeline's regions as whole messages (header included) into a reused <see cref="CdrWriter"/>,
/// straight from the result's spans: nothing is allocated once the writer has grown. Every message carries the
/// input image's stamp and frame id.
/// </summary>
public static class ResultMessages
{
    /// <summary>Class id of people in <see cref="WriteDetections"/> (<c>results[0].hypothesis.class_id</c>).</summary>
    public const string PersonClass = "person";

    /// <summary>
    /// A <c>vision_msgs/Detection2DArray</c>: first one detection per person (class <c>person</c>, id
    /// <c>person{N}</c>) when <paramref name="includePeople"/>, then one per part region (class = the class
    /// name, id <c>person{N}/{class}/{k}</c> where k counts that person's regions of that class). N is the
    /// person's track id where <paramref name="trackIds"/> has one per person, else its index. Each detection
    /// has one hypothesis with the region's score; its pose position is the centroid in pixels (z 0, identity
    /// orientation, zero covariance) and its bbox the pixel box (centre at the box centre, no rotation).
    /// </summary>
    public static void WriteDetections(CdrWriter writer, Timestamp stamp, string? frameId, ReadOnlySpan<PartRegion> regions,
        ReadOnlySpan<PersonRegion> people, IReadOnlyList<string> classNames, bool includePeople = true, ReadOnlySpan<int> trackIds = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(classNames);
        writer.Reset();
        Header.Write(writer, stamp, frameId);
        writer.WriteSequenceCount((includePeople ? people.Length : 0) + regions.Length);
        if (includePeople)
        {
            foreach (ref readonly var p in people)
            {
                WriteDetection(writer, stamp, frameId, PersonClass, p.Score, p.CentroidX, p.CentroidY, p.Box);
                int idStart = writer.BeginString();
                WritePersonId(writer, PersonNumber(p.PersonId, trackIds));
                writer.EndString(idStart);
            }
        }
        for (int i = 0; i < regions.Length; i++)
        {
            ref readonly var r = ref regions[i];
            string className = ClassName(classNames, r.ClassId);
            WriteDetection(writer, stamp, frameId, className, r.Score, r.CentroidX, r.CentroidY, r.Box);
            WriteRegionId(writer, regions, i, className, trackIds);
        }
    }

    /// <summary>The number in a person's detection id: the track id where given, else the index.</summary>
    internal static int PersonNumber(int personIndex, ReadOnlySpan<int> trackIds)
        => (uint)personIndex < (uint)trackIds.Length ? trackIds[personIndex] : personIndex;

    // <c>person{N}/{class}/{k}</c> as a CDR string.
    internal static void WriteRegionId(CdrWriter writer, ReadOnlySpan<PartRegion> regions, int i, string className, ReadOnlySpan<int> trackIds)
    {
        int idStart = writer.BeginString();
        WritePersonId(writer, PersonNumber(regions[i].PersonId, trackIds));
        writer.WriteRawByte((byte)'/');
        WriteUtf8(writer, className);
        writer.WriteRawByte((byte)'/');
        writer.WriteRawDecimal(OrdinalOfClassForPerson(regions, i));
        writer.EndString(idStart);
    }

    /// <summary><c>person{N}</c> as a CDR string.</summary>
    internal static void WritePersonIdString(CdrWriter writer, int personNumber)
    {
        int idStart = writer.BeginString();
        WritePersonId(writer, personNumber);
        writer.EndString(idStart);
    }

    // Everything of a Detection2D but its id.
    private static void WriteDetection(CdrWriter writer, Timestamp stamp, string? frameId, string classId, float score,
        float cx, float cy, PixelBox box)
    {
        Header.Write(writer, stamp, frameId);
        writer.WriteSequenceCount(1);
        writer.WriteString(classId);
        writer.WriteFloat64(score);
        PoseWithCovariance.Write(writer, new Pose(new Point(cx, cy, 0), Quaternion.Identity), default);
        BoundingBox2D.FromPixels(box.X, box.Y, box.Width, box.Height).Write(writer);
    }

    private static void WritePersonId(CdrWriter writer, int personId)
    {
        WriteUtf8(writer, PersonClass);
        writer.WriteRawDecimal(personId);
    }

    internal static void WriteUtf8(CdrWriter writer, string s)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (System.Text.Encoding.UTF8.TryGetBytes(s, buffer, out int n))
        {
            writer.WriteRaw(buffer[..n]);
        }
        else
        {
            writer.WriteRaw(System.Text.Encoding.UTF8.GetBytes(s));
        }
    }

    private static int OrdinalOfClassForPerson(ReadOnlySpan<PartRegion> regions, int index)
    {
        // Quadratic in the number of regions, which is tens: cheaper than any allocation.
        int k = 0;
        for (int j = 0; j < index; j++)
        {
            if (regions[j].PersonId == regions[index].PersonId && regions[j].ClassId == regions[index].ClassId)
            {
                k++;
            }
        }
        return k;
    }

    /// <summary>
    /// A <c>rospartseg/PartRegionArray</c>: the input size, the people and every part region with its class name;
    /// each person's track id where <paramref name="trackIds"/> has one per person (else 0), and the 3D fields
    /// where <paramref name="people3D"/> and <paramref name="regions3D"/> have one per person and region (else none).
    /// </summary>
    public static void WritePartRegionArray(CdrWriter writer, Timestamp stamp, string? frameId, int imageWidth, int imageHeight,
        ReadOnlySpan<PersonRegion> people, ReadOnlySpan<PartRegion> regions, IReadOnlyList<string> classNames,
        ReadOnlySpan<int> trackIds = default, ReadOnlySpan<Position3D> people3D = default, ReadOnlySpan<Position3D> regions3D = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegative(imageWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(imageHeight);
        writer.Reset();
        Header.Write(writer, stamp, frameId);
        writer.WriteUInt32((uint)imageWidth);
        writer.WriteUInt32((uint)imageHeight);
        writer.WriteSequenceCount(people.Length);
        for (int i = 0; i < people.Length; i++)
        {
            ref readonly var p = ref people[i];
            PersonMessage.Write(writer, ToUInt16(p.PersonId, "person id"), ToRoi(p.Box), ToUInt32(p.PixelCount),
                p.CentroidX, p.CentroidY, p.Score, i < trackIds.Length ? (uint)Math.Max(trackIds[i], 0) : 0,
                i < people3D.Length ? people3D[i] : default);
        }
        writer.WriteSequenceCount(regions.Length);
        for (int i = 0; i < regions.Length; i++)
        {
            ref readonly var r = ref regions[i];
            PartRegionMessage.Write(writer, ToUInt16(r.ClassId, "class id"), ClassName(classNames, r.ClassId),
                ToUInt16(r.PersonId, "person id"), ToRoi(r.Box), ToUInt32(r.PixelCount), r.CentroidX, r.CentroidY, r.Score,
                i < regions3D.Length ? regions3D[i] : default);
        }
    }

    /// <summary>A <c>vision_msgs/LabelInfo</c> with class ids 0..n-1 named by <paramref name="classNames"/>.</summary>
    public static void WriteLabelInfo(CdrWriter writer, Timestamp stamp, string? frameId, IReadOnlyList<string> classNames, float threshold = 0f)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"{classNames.Count} classes do not fit uint16 class ids", nameof(classNames));
        }
        writer.Reset();
        Header.Write(writer, stamp, frameId);
        writer.WriteSequenceCount(classNames.Count);
        for (int i = 0; i < classNames.Count; i++)
        {
            writer.WriteUInt16((ushort)i);
            writer.WriteString(classNames[i]);
        }
        writer.WriteFloat32(threshold);
    }

    /// <summary>The ROS box of a pixel box (negative sizes or offsets, which the pipeline never makes, clamp to 0).</summary>
    public static RegionOfInterest ToRoi(PixelBox box)
        => new((uint)Math.Max(box.X, 0), (uint)Math.Max(box.Y, 0), (uint)Math.Max(box.Height, 0), (uint)Math.Max(box.Width, 0));

    internal static string ClassName(IReadOnlyList<string> classNames, int classId)
        => (uint)classId < (uint)classNames.Count
            ? classNames[classId]
            : throw new ArgumentOutOfRangeException(nameof(classId), classId, $"class id {classId} has no name ({classNames.Count} class names)");

    private static ushort ToUInt16(int value, string what)
        => value is >= 0 and <= ushort.MaxValue ? (ushort)value : throw new ArgumentOutOfRangeException(nameof(value), value, $"{what} does not fit uint16");

    private static uint ToUInt32(int value) => (uint)Math.Max(value, 0);
}

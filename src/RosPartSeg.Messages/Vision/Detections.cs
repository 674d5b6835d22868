using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Geometry;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Vision;

/// <summary><c>vision_msgs/msg/ObjectHypothesis</c> (4.x): string class_id, float64 score.</summary>
public sealed record ObjectHypothesis(string ClassId, double Score) : IRosMessage<ObjectHypothesis>
{
    public const int MinSize = 4 + 8;

    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/ObjectHypothesis");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(ClassId);
        writer.WriteFloat64(Score);
    }

    public static ObjectHypothesis Read(ref CdrReader reader) => new(reader.ReadString(), reader.ReadFloat64());
}

/// <summary><c>vision_msgs/msg/ObjectHypothesisWithPose</c> (4.x): ObjectHypothesis hypothesis, geometry_msgs/PoseWithCovariance pose.</summary>
public sealed record ObjectHypothesisWithPose : IRosMessage<ObjectHypothesisWithPose>
{
    public const int MinSize = ObjectHypothesis.MinSize + PoseWithCovariance.Size;

    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/ObjectHypothesisWithPose");

    public ObjectHypothesis Hypothesis { get; init; } = new("", 0);

    public PoseWithCovariance Pose { get; init; } = new();

    public void Write(CdrWriter writer)
    {
        Hypothesis.Write(writer);
        Pose.Write(writer);
    }

    public static ObjectHypothesisWithPose Read(ref CdrReader reader) => new()
    {
        Hypothesis = ObjectHypothesis.Read(ref reader),
        Pose = PoseWithCovariance.Read(ref reader),
    };
}

/// <summary><c>vision_msgs/msg/Detection2D</c> (4.x): Header header, ObjectHypothesisWithPose[] results, BoundingBox2D bbox, string id.</summary>
public sealed record Detection2D : IRosMessage<Detection2D>
{
    public const int MinSize = Header.MinSize + 4 + BoundingBox2D.Size + 4;

    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/Detection2D");

    public Header Header { get; init; }

    public IReadOnlyList<ObjectHypothesisWithPose> Results { get; init; } = [];

    public BoundingBox2D BBox { get; init; }

    public string Id { get; init; } = "";

    public void Write(CdrWriter writer)
    {
        Header.Write(writer);
        CdrSequences.Write(writer, Results);
        BBox.Write(writer);
        writer.WriteString(Id);
    }

    public static Detection2D Read(ref CdrReader reader) => new()
    {
        Header = Header.Read(ref reader),
        Results = CdrSequences.Read<ObjectHypothesisWithPose>(ref reader, ObjectHypothesisWithPose.MinSize),
        BBox = BoundingBox2D.Read(ref reader),
        Id = reader.ReadString(),
    };
}

/// <summary><c>vision_msgs/msg/Detection2DArray</c> (4.x): Header header, Detection2D[] detections.</summary>
public sealed record Detection2DArray : IRosMessage<Detection2DArray>
{
    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/Detection2DArray");

    public Header Header { get; init; }

    public IReadOnlyList<Detection2D> Detections { get; init; } = [];

    public void Write(CdrWriter writer)
    {
        Header.Write(writer);
        CdrSequences.Write(writer, Detections);
    }

    public static Detection2DArray Read(ref CdrReader reader) => new()
    {
        Header = Header.Read(ref reader),
        Detections = CdrSequences.Read<Detection2D>(ref reader, Detection2D.MinSize),
    };
}

/// <summary><c>vision_msgs/msg/BoundingBox3D</c>: geometry_msgs/Pose center, geometry_msgs/Vector3 size (metres).</summary>
public readonly record struct BoundingBox3D(Pose Center, Vector3 Size) : IRosMessage<BoundingBox3D>
{
    public const int WireSize = 10 * 8;

    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/BoundingBox3D");

    public void Write(CdrWriter writer)
    {
        Center.Write(writer);
        Size.Write(writer);
    }

    public static BoundingBox3D Read(ref CdrReader reader) => new(Pose.Read(ref reader), Vector3.Read(ref reader));
}

/// <summary><c>vision_msgs/msg/Detection3D</c> (4.x): Header header, ObjectHypothesisWithPose[] results, BoundingBox3D bbox, string id.</summary>
public sealed record Detection3D : IRosMessage<Detection3D>
{
    public const int MinSize = Header.MinSize + 4 + BoundingBox3D.WireSize + 4;

    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/Detection3D");

    public Header Header { get; init; }

    public IReadOnlyList<ObjectHypothesisWithPose> Results { get; init; } = [];

    public BoundingBox3D BBox { get; init; }

    public string Id { get; init; } = "";

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Header.Write(writer);
        CdrSequences.Write(writer, Results);
        BBox.Write(writer);
        writer.WriteString(Id);
    }

    public static Detection3D Read(ref CdrReader reader) => new()
    {
        Header = Header.Read(ref reader),
        Results = CdrSequences.Read<ObjectHypothesisWithPose>(ref reader, ObjectHypothesisWithPose.MinSize),
        BBox = BoundingBox3D.Read(ref reader),
        Id = reader.ReadString(),
    };
}

/// <summary><c>vision_msgs/msg/Detection3DArray</c>: Header header, Detection3D[] detections.</summary>
public sealed record Detection3DArray : IRosMessage<Detection3DArray>
{
    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/Detection3DArray");

    public Header Header { get; init; }

    public IReadOnlyList<Detection3D> Detections { get; init; } = [];

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Header.Write(writer);
        CdrSequences.Write(writer, Detections);
    }

    public static Detection3DArray Read(ref CdrReader reader) => new()
    {
        Header = Header.Read(ref reader),
        Detections = CdrSequences.Read<Detection3D>(ref reader, Detection3D.MinSize),
    };
}

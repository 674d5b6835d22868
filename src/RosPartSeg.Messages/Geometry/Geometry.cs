using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Geometry;

/// <summary><c>geometry_msgs/msg/Point</c>: float64 x, y, z.</summary>
public readonly record struct Point(double X, double Y, double Z) : IRosMessage<Point>
{
    public static MessageType Type { get; } = MessageRegistry.Get("geometry_msgs/msg/Point");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteFloat64(X);
        writer.WriteFloat64(Y);
        writer.WriteFloat64(Z);
    }

    public static Point Read(ref CdrReader reader) => new(reader.ReadFloat64(), reader.ReadFloat64(), reader.ReadFloat64());
}

/// <summary><c>geometry_msgs/msg/Quaternion</c>: float64 x, y, z, w; the message's defaults are the identity (w = 1).</summary>
public readonly record struct Quaternion(double X, double Y, double Z, double W) : IRosMessage<Quaternion>
{
    public static Quaternion Identity => new(0, 0, 0, 1);

    public static MessageType Type { get; } = MessageRegistry.Get("geometry_msgs/msg/Quaternion");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteFloat64(X);
        writer.WriteFloat64(Y);
        writer.WriteFloat64(Z);
        writer.WriteFloat64(W);
    }

    public static Quaternion Read(ref CdrReader reader)
        => new(reader.ReadFloat64(), reader.ReadFloat64(), reader.ReadFloat64(), reader.ReadFloat64());
}

/// <summary><c>geometry_msgs/msg/Pose</c>: Point position, Quaternion orientation.</summary>
public readonly record struct Pose(Point Position, Quaternion Orientation) : IRosMessage<Pose>
{
    public static Pose Identity => new(default, Quaternion.Identity);

    public static MessageType Type { get; } = MessageRegistry.Get("geometry_msgs/msg/Pose");

    public void Write(CdrWriter writer)
    {
        Position.Write(writer);
        Orientation.Write(writer);
    }

    public static Pose Read(ref CdrReader reader) => new(Point.Read(ref reader), Quaternion.Read(ref reader));
}

/// <summary><c>geometry_msgs/msg/PoseWithCovariance</c>: Pose pose, float64[36] covariance (row-major 6x6).</summary>
public sealed record PoseWithCovariance : IRosMessage<PoseWithCovariance>
{
    public const int CovarianceLength = 36;

    /// <summary>Encoded size when aligned: 7 + 36 float64.</summary>
    public const int Size = (7 + CovarianceLength) * 8;

    private readonly double[] _covariance = new double[CovarianceLength];

    public static MessageType Type { get; } = MessageRegistry.Get("geometry_msgs/msg/PoseWithCovariance");

    public Pose Pose { get; init; } = Pose.Identity;

    /// <summary>Exactly 36 values (a fixed array in the message).</summary>
    public IReadOnlyList<double> Covariance
    {
        get => _covariance;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count != CovarianceLength)
            {
                throw new ArgumentException($"covariance needs exactly {CovarianceLength} values, got {value.Count}", nameof(value));
            }
            _covariance = [.. value];
        }
    }

    public void Write(CdrWriter writer) => Write(writer, Pose, _covariance);

    /// <summary>Writes a pose with the given covariance (36 values; empty means all zero) without allocating.</summary>
    public static void Write(CdrWriter writer, Pose pose, ReadOnlySpan<double> covariance)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!covariance.IsEmpty && covariance.Length != CovarianceLength)
        {
            throw new ArgumentException($"covariance needs exactly {CovarianceLength} values, got {covariance.Length}", nameof(covariance));
        }
        pose.Write(writer);
        for (int i = 0; i < CovarianceLength; i++)
        {
            writer.WriteFloat64(covariance.IsEmpty ? 0.0 : covariance[i]);
        }
    }

    public static PoseWithCovariance Read(ref CdrReader reader)
    {
        var pose = Pose.Read(ref reader);
        var cov = new double[CovarianceLength];
        for (int i = 0; i < cov.Length; i++)
        {
            cov[i] = reader.ReadFloat64();
        }
        return new PoseWithCovariance { Pose = pose, Covariance = cov };
    }

    public bool Equals(PoseWithCovariance? other)
        => other is not null && Pose == other.Pose && _covariance.AsSpan().SequenceEqual(other._covariance);

    public override int GetHashCode() => HashCode.Combine(Pose, _covariance.Length);
}

/// <summary><c>geometry_msgs/msg/Vector3</c>: float64 x, y, z.</summary>
public readonly record struct Vector3(double X, double Y, double Z) : IRosMessage<Vector3>
{
    public static MessageType Type { get; } = MessageRegistry.Get("geometry_msgs/msg/Vector3");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteFloat64(X);
        writer.WriteFloat64(Y);
        writer.WriteFloat64(Z);
    }

    public static Vector3 Read(ref CdrReader reader) => new(reader.ReadFloat64(), reader.ReadFloat64(), reader.ReadFloat64());
}

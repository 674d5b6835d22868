using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Vision;

/// <summary><c>vision_msgs/msg/Point2D</c> (4.x): float64 x, y in pixels, x right, y down.</summary>
public readonly record struct Point2D(double X, double Y) : IRosMessage<Point2D>
{
    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/Point2D");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteFloat64(X);
        writer.WriteFloat64(Y);
    }

    public static Point2D Read(ref CdrReader reader) => new(reader.ReadFloat64(), reader.ReadFloat64());
}

/// <summary><c>vision_msgs/msg/Pose2D</c> (4.x): Point2D position, float64 theta (radians, counter-clockwise).</summary>
public readonly record struct Pose2D(Point2D Position, double Theta) : IRosMessage<Pose2D>
{
    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/Pose2D");

    public void Write(CdrWriter writer)
    {
        Position.Write(writer);
        writer.WriteFloat64(Theta);
    }

    public static Pose2D Read(ref CdrReader reader) => new(Point2D.Read(ref reader), reader.ReadFloat64());
}

/// <summary><c>vision_msgs/msg/BoundingBox2D</c> (4.x): Pose2D center, float64 size_x, size_y.</summary>
public readonly record struct BoundingBox2D(Pose2D Center, double SizeX, double SizeY) : IRosMessage<BoundingBox2D>
{
    /// <summary>Encoded size: 5 float64.</summary>
    public const int Size = 40;

    public static MessageType Type { get; } = MessageRegistry.Get("vision_msgs/msg/BoundingBox2D");

    /// <summary>
    /// The box around pixels x..x+w-1, y..y+h-1, size w x h, its centre in pixel-index coordinates (pixel i's centre
    /// is at i, as OpenCV and image_geometry have it): x + (w-1)/2, y + (h-1)/2. Centroids are means of pixel
    /// indices in the same coordinates, so a symmetric region's centroid and box centre coincide.
    /// </summary>
    public static BoundingBox2D FromPixels(int x, int y, int width, int height)
        => new(new Pose2D(new Point2D(x + ((width - 1) / 2.0), y + ((height - 1) / 2.0)), 0), width, height);

    public void Write(CdrWriter writer)
    {
        Center.Write(writer);
        writer.WriteFloat64(SizeX);
        writer.WriteFloat64(SizeY);
    }

    public static BoundingBox2D Read(ref CdrReader reader)
        => new(Pose2D.Read(ref reader), reader.ReadFloat64(), reader.ReadFloat64());
}

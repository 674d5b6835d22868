namespace RosPartSeg.Core.Spatial;

/// <summary>How a depth image stores a pixel's distance along the optical axis.</summary>
public enum DepthFormat
{
    /// <summary>Unsigned 16-bit integers, <see cref="DepthImage.MetresPerUnit"/> each (ROS <c>16UC1</c>: millimetres).</summary>
    UInt16,

    /// <summary>32-bit floats in metres (ROS <c>32FC1</c>).</summary>
    Float32,
}

/// <summary>
/// A depth image aligned to the colour image: pixel (u, v) of the depth is pixel (u, v) of the colour frame (a
/// registered depth, as RGB-D drivers publish on <c>aligned_depth_to_color</c>). 0 and NaN mean "no reading", as in
/// depth_image_proc. The data is borrowed for one call; nothing keeps it.
/// </summary>
public readonly struct DepthImage
{
    public DepthImage(int width, int height, DepthFormat format, int step, ReadOnlyMemory<byte> data, double metresPerUnit = 0.001, bool bigEndian = false)
    {
        Width = width;
        Height = height;
        Format = format;
        Step = step;
        Data = data;
        MetresPerUnit = metresPerUnit;
        BigEndian = bigEndian;
    }

    public int Width { get; }

    public int Height { get; }

    public DepthFormat Format { get; }

    /// <summary>Bytes per row (at least <see cref="Width"/> times the pixel size).</summary>
    public int Step { get; }

    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Metres per unit of a <see cref="DepthFormat.UInt16"/> pixel: 0.001 for ROS 16UC1 (millimetres).</summary>
    public double MetresPerUnit { get; }

    public bool BigEndian { get; }

    /// <summary>Bytes per pixel.</summary>
    public int PixelSize => Format == DepthFormat.UInt16 ? 2 : 4;

    /// <summary>Whether this holds an image at all (a default value holds none).</summary>
    public bool IsEmpty => Width == 0 || Height == 0;

    /// <summary>Throws <see cref="ArgumentException"/> saying what is inconsistent (step, data length, scale).</summary>
    public void Validate()
    {
        if (Width <= 0 || Height <= 0)
        {
            throw new ArgumentException($"depth image of {Width}x{Height}: no pixels");
        }
        if (Step < (long)Width * PixelSize)
        {
            throw new ArgumentException($"depth step {Step} is shorter than a row of {Width} pixels of {PixelSize} bytes");
        }
        if (Data.Length < ((long)Step * (Height - 1)) + ((long)Width * PixelSize))
        {
            throw new ArgumentException($"depth data of {Data.Length} bytes is shorter than {Height} rows of step {Step}");
        }
        if (Format == DepthFormat.UInt16 && !(MetresPerUnit > 0 && double.IsFinite(MetresPerUnit)))
        {
            throw new ArgumentException($"metres per depth unit must be positive (got {MetresPerUnit})");
        }
    }
}

/// <summary>Pinhole intrinsics of the colour camera (<c>CameraInfo</c> K: fx, fy, cx, cy in pixels).</summary>
public readonly record struct CameraIntrinsics(double Fx, double Fy, double Cx, double Cy)
{
    /// <summary>Whether the focal lengths are usable (positive and finite) and the centre finite.</summary>
    public bool IsValid => Fx > 0 && Fy > 0 && double.IsFinite(Fx) && double.IsFinite(Fy) && double.IsFinite(Cx) && double.IsFinite(Cy);
}

/// <summary>
/// A region's place in the camera's optical frame (x right, y down, z forward; metres), or none.
/// </summary>
/// <param name="Valid">False when too few pixels had a valid depth: the other fields are then 0 and mean nothing.</param>
/// <param name="X">Centre: the mean pixel of the used pixels, back-projected at <paramref name="Z"/>.</param>
/// <param name="Y">Centre, y.</param>
/// <param name="Z">The median depth of the used pixels.</param>
/// <param name="SizeX">Extent along x: the used pixels' column span at the median depth.</param>
/// <param name="SizeY">Extent along y: the used pixels' row span at the median depth.</param>
/// <param name="SizeZ">Extent along z: the 10th to 90th percentile of the used depths.</param>
/// <param name="PixelsUsed">Pixels of the region with a valid depth.</param>
public readonly record struct Position3D(bool Valid, float X, float Y, float Z, float SizeX, float SizeY, float SizeZ, int PixelsUsed);

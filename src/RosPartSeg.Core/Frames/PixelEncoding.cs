namespace RosPartSeg.Core.Frames;

/// <summary>The pixel layouts the pipeline accepts, named as <c>sensor_msgs/Image.encoding</c> names them.</summary>
public enum PixelEncoding
{
    Rgb8,
    Bgr8,
    Rgba8,
    Bgra8,
    Mono8,
    /// <summary>ROS <c>yuv422</c>: UYVY byte order (U0 Y0 V0 Y1).</summary>
    Uyvy,
    /// <summary>ROS <c>yuv422_yuy2</c>: YUYV byte order (Y0 U0 Y1 V0).</summary>
    Yuyv,
}

/// <summary>Conversions between ROS encoding strings and <see cref="PixelEncoding"/>.</summary>
public static class PixelEncodings
{
    /// <summary>Bytes per pixel; for the 4:2:2 formats a pair of pixels shares 4 bytes, so 2.</summary>
    public static int BytesPerPixel(this PixelEncoding encoding) => encoding switch
    {
        PixelEncoding.Rgb8 or PixelEncoding.Bgr8 => 3,
        PixelEncoding.Rgba8 or PixelEncoding.Bgra8 => 4,
        PixelEncoding.Mono8 => 1,
        PixelEncoding.Uyvy or PixelEncoding.Yuyv => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown pixel encoding"),
    };

    /// <summary>The ROS name, e.g. <c>rgb8</c>, <c>yuv422</c>.</summary>
    public static string RosName(this PixelEncoding encoding) => encoding switch
    {
        PixelEncoding.Rgb8 => "rgb8",
        PixelEncoding.Bgr8 => "bgr8",
        PixelEncoding.Rgba8 => "rgba8",
        PixelEncoding.Bgra8 => "bgra8",
        PixelEncoding.Mono8 => "mono8",
        PixelEncoding.Uyvy => "yuv422",
        PixelEncoding.Yuyv => "yuv422_yuy2",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown pixel encoding"),
    };

    /// <summary>Parses a ROS encoding name. Accepts the aliases ROS uses for the 4:2:2 formats (<c>uyvy</c>, <c>yuyv</c>, <c>yuy2</c>).</summary>
    public static bool TryParse(string? name, out PixelEncoding encoding)
    {
        switch (name)
        {
            case "rgb8": encoding = PixelEncoding.Rgb8; return true;
            case "bgr8": encoding = PixelEncoding.Bgr8; return true;
            case "rgba8": encoding = PixelEncoding.Rgba8; return true;
            case "bgra8": encoding = PixelEncoding.Bgra8; return true;
            case "mono8" or "8UC1": encoding = PixelEncoding.Mono8; return true;
            case "yuv422" or "uyvy" or "UYVY": encoding = PixelEncoding.Uyvy; return true;
            case "yuv422_yuy2" or "yuyv" or "YUYV" or "yuy2": encoding = PixelEncoding.Yuyv; return true;
            default: encoding = default; return false;
        }
    }

    /// <summary>Parses a ROS encoding name or throws a <see cref="FrameException"/> naming the accepted ones.</summary>
    public static PixelEncoding Parse(string? name)
    {
        if (TryParse(name, out var e))
        {
            return e;
        }
        throw new FrameException(FrameError.UnsupportedEncoding,
            $"unsupported image encoding '{name}': accepted are rgb8, bgr8, rgba8, bgra8, mono8, yuv422 (UYVY) and yuv422_yuy2 (YUYV)");
    }
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Sensor;

/// <summary>
/// A depth <c>sensor_msgs/Image</c> (16UC1 millimetres or 32FC1 metres, as depth_image_proc takes them) and the
/// intrinsics of a <c>sensor_msgs/CameraInfo</c>, read without building message objects: the depth aliases the
/// message, and a refused one costs no exception (the reason is a constant string).
/// </summary>
public static class DepthMessages
{
    /// <summary>
    /// True with the header and the depth image (aliasing <paramref name="message"/>), or false with why not: an
    /// encoding other than 16UC1/mono16/32FC1, a step shorter than a row, too little data. Malformed CDR is a
    /// <see cref="CdrException"/>.
    /// </summary>
    public static bool TryDecodeDepth(ReadOnlyMemory<byte> message, Utf8StringCache? strings, out Header header, out DepthImage depth, out string? error)
    {
        var reader = new CdrReader(message, null, strings);
        header = Header.Read(ref reader);
        uint height = reader.ReadUInt32();
        uint width = reader.ReadUInt32();
        var encoding = reader.ReadStringBytes();
        bool bigEndian = reader.ReadByte() != 0;
        uint step = reader.ReadUInt32();
        var data = reader.ReadByteSequenceMemory();
        depth = default;
        DepthFormat format;
        if (encoding.SequenceEqual("16UC1"u8) || encoding.SequenceEqual("mono16"u8))
        {
            format = DepthFormat.UInt16;
        }
        else if (encoding.SequenceEqual("32FC1"u8))
        {
            format = DepthFormat.Float32;
        }
        else
        {
            error = "depth encoding is not 16UC1 (millimetres) or 32FC1 (metres)";
            return false;
        }
        int pixelSize = format == DepthFormat.UInt16 ? 2 : 4;
        if (width == 0 || height == 0 || width > 1 << 15 || height > 1 << 15)
        {
            error = "depth image has no pixels or more than 32768 on a side";
            return false;
        }
        if (step < (ulong)width * (uint)pixelSize || step > int.MaxValue)
        {
            error = "depth image step is shorter than a row";
            return false;
        }
        if ((ulong)data.Length < ((ulong)step * (height - 1)) + ((ulong)width * (uint)pixelSize))
        {
            error = "depth image data is shorter than step x height";
            return false;
        }
        depth = new DepthImage((int)width, (int)height, format, (int)step, data, 0.001, bigEndian);
        error = null;
        return true;
    }

    /// <summary>The header, image size and K (fx, fy, cx, cy) of a serialized CameraInfo; malformed: <see cref="CdrException"/>.</summary>
    public static (Header Header, int Width, int Height, CameraIntrinsics K) ReadIntrinsics(ReadOnlySpan<byte> message, Utf8StringCache? strings = null)
    {
        var reader = new CdrReader(message, null, strings);
        var header = Header.Read(ref reader);
        uint height = reader.ReadUInt32();
        uint width = reader.ReadUInt32();
        _ = reader.ReadStringBytes(); // distortion_model: K is all a rectified (or undistorted) image needs
        int d = reader.ReadSequenceCount(8, "distortion coefficients");
        for (int i = 0; i < d; i++)
        {
            _ = reader.ReadFloat64();
        }
        Span<double> k = stackalloc double[9];
        for (int i = 0; i < 9; i++)
        {
            k[i] = reader.ReadFloat64();
        }
        return (header, (int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue), new CameraIntrinsics(k[0], k[4], k[2], k[5]));
    }

    /// <summary>A CameraInfo of an undistorted pinhole camera with intrinsics <paramref name="k"/> (for tests and tools).</summary>
    public static void WriteCameraInfo(CdrWriter writer, Timestamp stamp, string? frameId, int width, int height, CameraIntrinsics k)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Reset();
        Header.Write(writer, stamp, frameId);
        writer.WriteUInt32((uint)height);
        writer.WriteUInt32((uint)width);
        writer.WriteString("plumb_bob");
        writer.WriteSequenceCount(5);
        for (int i = 0; i < 5; i++)
        {
            writer.WriteFloat64(0);
        }
        double[] kk = [k.Fx, 0, k.Cx, 0, k.Fy, k.Cy, 0, 0, 1];
        double[] r = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        double[] p = [k.Fx, 0, k.Cx, 0, 0, k.Fy, k.Cy, 0, 0, 0, 1, 0];
        foreach (var v in kk.Concat(r).Concat(p))
        {
            writer.WriteFloat64(v);
        }
        writer.WriteUInt32(0); // binning_x
        writer.WriteUInt32(0); // binning_y
        new RegionOfInterest(0, 0, 0, 0).Write(writer);
    }

    /// <summary>A depth Image (16UC1 from millimetres or 32FC1 from metres), rows packed, little-endian.</summary>
    public static void WriteDepth(CdrWriter writer, Timestamp stamp, string? frameId, int width, int height, ReadOnlySpan<ushort> millimetres)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Reset();
        Image.Write(writer, stamp, frameId, (uint)height, (uint)width, "16UC1", (uint)width * 2, System.Runtime.InteropServices.MemoryMarshal.AsBytes(millimetres));
    }

    /// <inheritdoc cref="WriteDepth(CdrWriter, Timestamp, string?, int, int, ReadOnlySpan{ushort})"/>
    public static void WriteDepth(CdrWriter writer, Timestamp stamp, string? frameId, int width, int height, ReadOnlySpan<float> metres)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Reset();
        Image.Write(writer, stamp, frameId, (uint)height, (uint)width, "32FC1", (uint)width * 4, System.Runtime.InteropServices.MemoryMarshal.AsBytes(metres));
    }
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Tests;

/// <summary>
/// sensor_msgs/Image messages the node must refuse, shared by the codec's cause tests and the node's diagnostics
/// tests so that both speak of the same bytes. (Compiled into the test projects that reference RosPartSeg.Messages.)
/// </summary>
internal static class BadImages
{
    /// <summary>One message per cause that a message can carry, by the cause's name (BadFrameCauseTests checks each).</summary>
    public static IReadOnlyList<(string Cause, byte[] Cdr)> OnePerCause { get; } =
    [
        ("bad_encoding", Message(4, 4, "16UC1", 8, 32)),
        ("zero_size", Message(0, 4, "rgb8", 0, 0)),
        ("size_too_large", Message(9000, 1, "mono8", 9000, 9000)),
        ("odd_width_yuv", Message(3, 2, "yuv422", 6, 12)),
        ("step_too_short", Message(10, 10, "rgb8", 20, 300)),
        ("data_truncated", Message(64, 64, "rgb8", 192, 100)),
        ("cdr_malformed", [0, 1, 0, 0, 9]),
    ];

    /// <summary>The message of <see cref="OnePerCause"/> for <paramref name="cause"/>.</summary>
    public static byte[] Of(string cause) => OnePerCause.Single(b => b.Cause == cause).Cdr;

    /// <summary>A well-formed Image (stamped 1 s 2 ns, frame "cam") with these fields, over <paramref name="dataLength"/> zero bytes.</summary>
    public static byte[] Message(uint width, uint height, string encoding, uint step, int dataLength)
    {
        var w = new CdrWriter();
        Image.Write(w, new Timestamp(1, 2), "cam", height, width, encoding, step, new byte[dataLength]);
        return w.ToArray();
    }
}

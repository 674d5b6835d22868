using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Messages.Parts;

/// <summary>
/// One call per output topic: each writes the whole message for one <see cref="SegmentationResult"/> into a reused
/// <see cref="CdrWriter"/>, stamped with the input's header (the result carries it unchanged). No allocation once
/// the writer has grown. Topic names and types are in <see cref="OutputTopics"/>.
/// </summary>
public static class SegmentationMessages
{
    /// <summary><c>sensor_msgs/Image</c> mono8, one class id per pixel, label size.</summary>
    public static void WriteLabels(CdrWriter writer, SegmentationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ImageMessages.WriteLabels(writer, result.Stamp, result.FrameId, result.LabelWidth, result.LabelHeight, result.Labels);
    }

    /// <summary><c>sensor_msgs/Image</c> rgb8, the palette colour of each label, label size.</summary>
    public static void WriteColorMask(CdrWriter writer, SegmentationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ImageMessages.WriteRgb8(writer, result.Stamp, result.FrameId, result.LabelWidth, result.LabelHeight, result.ColorMask);
    }

    /// <summary><c>sensor_msgs/Image</c> rgb8, input blended with the mask and boxes drawn, input size.</summary>
    public static void WriteOverlay(CdrWriter writer, SegmentationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ImageMessages.WriteRgb8(writer, result.Stamp, result.FrameId, result.InputWidth, result.InputHeight, result.Overlay);
    }

    /// <summary><c>vision_msgs/Detection2DArray</c>: people then part regions (see <see cref="ResultMessages.WriteDetections"/>).</summary>
    public static void WriteDetections(CdrWriter writer, SegmentationResult result, bool includePeople = true)
    {
        ArgumentNullException.ThrowIfNull(result);
        ResultMessages.WriteDetections(writer, result.Stamp, result.FrameId, result.Regions, result.People, result.ClassNames, includePeople, result.TrackIds);
    }

    /// <summary><c>rospartseg/PartRegionArray</c>.</summary>
    public static void WriteParts(CdrWriter writer, SegmentationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        ResultMessages.WritePartRegionArray(writer, result.Stamp, result.FrameId, result.InputWidth, result.InputHeight,
            result.People, result.Regions, result.ClassNames, result.TrackIds, result.People3D, result.Regions3D);
    }

    /// <summary><c>vision_msgs/LabelInfo</c> for the model's classes, stamped with <paramref name="stamp"/>.</summary>
    public static void WriteLabelInfo(CdrWriter writer, Timestamp stamp, string? frameId, IReadOnlyList<string> classNames, float threshold = 0f)
        => ResultMessages.WriteLabelInfo(writer, stamp, frameId, classNames, threshold);
}

/// <summary>
/// The output topics, relative to the node's private namespace (<c>~/labels</c> resolves to
/// <c>/&lt;ns&gt;/&lt;node&gt;/labels</c>), with their message types, shared by the live node and
/// <c>rospartseg process</c> so recorded and live outputs look the same.
/// </summary>
public static class OutputTopics
{
    public const string Labels = "labels";
    public const string ColorMask = "color_mask";
    public const string Overlay = "overlay";
    public const string Detections = "detections";
    public const string Parts = "parts";
    public const string LabelInfo = "label_info";
    public const string Detections3D = "detections_3d";
    public const string Markers = "markers";

    /// <summary>Each output's relative name and its message type: the per-frame ones (<see cref="FrameOutputs"/>), then label_info.</summary>
    public static IReadOnlyList<(string Name, MessageType Type)> All { get; } =
        [.. FrameOutputs.All.Select(o => (o.Name, o.Type)), (LabelInfo, Vision.LabelInfo.Type)];
}

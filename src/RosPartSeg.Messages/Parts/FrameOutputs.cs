using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Parts;

/// <summary>Writes one output's whole message for one frame into a reused writer (no allocation once it has grown).</summary>
public delegate void FrameOutputEncoder(CdrWriter writer, SegmentationResult result, FrameOutputSettings settings);

/// <summary>What the encoders take besides the result: the node's parameters that shape a message.</summary>
public sealed record FrameOutputSettings
{
    public static FrameOutputSettings Default { get; } = new();

    /// <summary><c>~/detections</c> starts with one <c>person</c> detection per person.</summary>
    public bool DetectionsIncludePeople { get; init; } = true;

    /// <summary>The class colours (the model's palette) of the part markers; a class without one is white.</summary>
    public IReadOnlyList<Rgb> Palette { get; init; } = [];
}

/// <summary>
/// One per-frame output: its name relative to the node's private namespace, its message type, the pipeline
/// outputs it needs (computed only when somebody subscribes to it), its encoder, and whether it exists only with a
/// depth input (advertised and written only when one is configured).
/// </summary>
public sealed record FrameOutput(string Name, MessageType Type, PipelineOutputs Needs, FrameOutputEncoder Encode, bool NeedsDepth = false);

/// <summary>
/// The table of per-frame outputs that the live node and <c>rospartseg process</c> share: both advertise, compute
/// and write exactly these, in this order (small messages first, so a slow image publish delays none of them).
/// A new output is one entry here. <c>~/label_info</c> is not per frame (<see cref="OutputTopics.LabelInfo"/>).
/// </summary>
public static class FrameOutputs
{
    public static IReadOnlyList<FrameOutput> All { get; } =
    [
        new(OutputTopics.Detections, Vision.Detection2DArray.Type, PipelineOutputs.Regions,
            static (w, r, s) => SegmentationMessages.WriteDetections(w, r, s.DetectionsIncludePeople)),
        new(OutputTopics.Parts, PartRegionArrayMessage.Type, PipelineOutputs.Regions, static (w, r, _) => SegmentationMessages.WriteParts(w, r)),
        new(OutputTopics.Detections3D, Vision.Detection3DArray.Type, PipelineOutputs.Regions,
            static (w, r, s) => SpatialMessages.WriteDetections3D(w, r, s.DetectionsIncludePeople), NeedsDepth: true),
        new(OutputTopics.Markers, MessageRegistry.Get("visualization_msgs/msg/MarkerArray"), PipelineOutputs.Regions,
            static (w, r, s) => SpatialMessages.WriteMarkers(w, r, s.Palette), NeedsDepth: true),
        new(OutputTopics.Labels, Sensor.Image.Type, PipelineOutputs.Labels, static (w, r, _) => SegmentationMessages.WriteLabels(w, r)),
        new(OutputTopics.ColorMask, Sensor.Image.Type, PipelineOutputs.ColorMask, static (w, r, _) => SegmentationMessages.WriteColorMask(w, r)),
        new(OutputTopics.Overlay, Sensor.Image.Type, PipelineOutputs.Overlay, static (w, r, _) => SegmentationMessages.WriteOverlay(w, r)),
    ];
}

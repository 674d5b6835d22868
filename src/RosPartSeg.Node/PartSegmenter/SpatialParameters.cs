using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Core.Tracking;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>The parameters of the depth input and the person tracker, and how they shape the pipeline options.</summary>
public static class SpatialParameters
{
    /// <summary>Declared with the node's other parameters (see <see cref="NodeSettings.Descriptors"/>).</summary>
    public static IReadOnlyList<ParameterDescriptor> Descriptors { get; } =
    [
        new("depth_topic", ParameterType.String, "", "depth image aligned to the colour image (16UC1 mm or 32FC1 m, same size), e.g. /camera/aligned_depth_to_color/image_raw; empty: no 3D"),
        new("camera_info_topic", ParameterType.String, "", "the colour camera's CameraInfo (K places the depth in the optical frame); needed with depth_topic"),
        new("depth_slop", ParameterType.Double, 0.02, "seconds a depth stamp may differ from the colour stamp and still pair (0: exact)", 0, 1),
        new("depth_min", ParameterType.Double, 0.1, "depth readings nearer than this (metres) never count", 0, 100),
        new("depth_max", ParameterType.Double, 20.0, "depth readings farther than this (metres) never count", 0.01, 1000),
        new("depth_min_pixels", ParameterType.Integer, 20L, "a part or person with fewer valid depth pixels gets no 3D value", 1, 1000000),
        new("track_min_iou", ParameterType.Double, 0.1, "tracking gate in the image: least overlap (IoU) of a person's box with a track's predicted box", 0, 1),
        new("track_max_centre_distance", ParameterType.Double, 0.5, "tracking gate in the image, alternatively: most distance of the box centres, in box diagonals", 0, 10),
        new("track_max_distance_3d", ParameterType.Double, 0.8, "tracking gate in 3D (both with depth): most metres between predicted and measured centre", 0.01, 100),
        new("track_lost_time", ParameterType.Double, 1.0, "seconds a person not seen keeps their track id (short occlusions)", 0, 3600),
    ];

    /// <summary>The pipeline options with the depth and tracking parameters applied.</summary>
    public static PipelineOptions Apply(NodeParameters p, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(options);
        var depth = new DepthProjectionOptions
        {
            MinDepth = p.GetDouble("depth_min"),
            MaxDepth = p.GetDouble("depth_max"),
            MinPixels = (int)p.GetInteger("depth_min_pixels"),
        };
        var tracking = new TrackerOptions
        {
            MinIou = p.GetDouble("track_min_iou"),
            MaxCentreDistance = p.GetDouble("track_max_centre_distance"),
            MaxDistance3D = p.GetDouble("track_max_distance_3d"),
            LostTime = p.GetDouble("track_lost_time"),
        };
        try
        {
            depth.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ParameterException($"parameters 'depth_min'/'depth_max': {e.Message}", e);
        }
        return options with { DepthProjection = depth, Tracking = tracking };
    }
}

namespace RosPartSeg.Core.Tracking;

/// <summary>The gates of <see cref="PersonTracker"/> and how long it keeps a person it no longer sees.</summary>
public sealed record TrackerOptions
{
    /// <summary>In the image: a detection matches a track whose predicted box overlaps it at least this much (IoU)...</summary>
    public double MinIou { get; init; } = 0.1;

    /// <summary>...or whose predicted centre lies within this fraction of the detection box's diagonal.</summary>
    public double MaxCentreDistance { get; init; } = 0.5;

    /// <summary>In 3D (both with a depth value): the most metres between the predicted and the measured centre.</summary>
    public double MaxDistance3D { get; init; } = 0.8;

    /// <summary>Seconds a track is kept without a match (occlusions shorter than this keep the id).</summary>
    public double LostTime { get; init; } = 1.0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option out of range.</summary>
    public void Validate()
    {
        if (!(MinIou is >= 0 and <= 1))
        {
            throw new ArgumentException($"track_min_iou must be between 0 and 1 (got {MinIou})");
        }
        if (!(MaxCentreDistance >= 0 && double.IsFinite(MaxCentreDistance)))
        {
            throw new ArgumentException($"track_max_centre_distance must be 0 or more (got {MaxCentreDistance})");
        }
        if (!(MaxDistance3D > 0 && double.IsFinite(MaxDistance3D)))
        {
            throw new ArgumentException($"track_max_distance_3d must be positive (got {MaxDistance3D})");
        }
        if (!(LostTime >= 0 && double.IsFinite(LostTime)))
        {
            throw new ArgumentException($"track_lost_time must be 0 or more (got {LostTime})");
        }
    }
}

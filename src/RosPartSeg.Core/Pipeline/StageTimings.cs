namespace RosPartSeg.Core.Pipeline;

/// <summary>Milliseconds spent in each stage of one <see cref="SegmentationPipeline.Process"/> call.</summary>
public readonly record struct StageTimings(double PreprocessMs, double InferenceMs, double PostprocessMs, double RenderMs, double RegionsMs)
{
    public double TotalMs => PreprocessMs + InferenceMs + PostprocessMs + RenderMs + RegionsMs;

    /// <summary>Everything that is not the network itself.</summary>
    public double OverheadMs => TotalMs - InferenceMs;
}

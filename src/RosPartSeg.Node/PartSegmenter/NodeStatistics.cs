using System.Diagnostics;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// Counters and per-period measurements for /diagnostics: processed frames, bad frames per cause, processing latency
/// (arrival to last publish) and inference time. Written by the worker, read by the diagnostics timer.
/// </summary>
public sealed class NodeStatistics
{
    private readonly Lock _lock = new();
    private long _processed;
    private long _publishFailed;
    private long _periodFrames;
    private double _periodLatencySum;
    private double _periodLatencyMax;
    private double _periodInferenceSum;
    private long _periodStart = Stopwatch.GetTimestamp();

    public long Processed => Interlocked.Read(ref _processed);

    public long BadFrames => BadByCause.Total;

    /// <summary>Bad frames per cause (a fixed array of counters: counting allocates nothing).</summary>
    public BadFrameCounts BadByCause { get; } = new();

    public void CountBad(BadFrameCause cause) => BadByCause.Add(cause);

    /// <summary>Outputs that could not be published (their frame was processed and its other outputs published).</summary>
    public long PublishFailed => Interlocked.Read(ref _publishFailed);

    public void CountPublishFailed() => Interlocked.Increment(ref _publishFailed);

    public void Record(double latencyMs, double inferenceMs)
    {
        lock (_lock)
        {
            _processed++;
            _periodFrames++;
            _periodLatencySum += latencyMs;
            _periodLatencyMax = Math.Max(_periodLatencyMax, latencyMs);
            _periodInferenceSum += inferenceMs;
        }
    }

    /// <summary>Rate and means since the previous call, then starts a new period.</summary>
    public PeriodSummary TakePeriod()
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var seconds = Stopwatch.GetElapsedTime(_periodStart, now).TotalSeconds;
            var n = _periodFrames;
            var s = new PeriodSummary(
                seconds > 0 ? n / seconds : 0,
                n > 0 ? _periodLatencySum / n : 0,
                _periodLatencyMax,
                n > 0 ? _periodInferenceSum / n : 0,
                n);
            _periodStart = now;
            _periodFrames = 0;
            _periodLatencySum = 0;
            _periodLatencyMax = 0;
            _periodInferenceSum = 0;
            return s;
        }
    }
}

/// <summary>What happened during one diagnostics period.</summary>
public readonly record struct PeriodSummary(double RateHz, double LatencyMeanMs, double LatencyMaxMs, double InferenceMeanMs, long Frames);

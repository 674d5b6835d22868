namespace RosPartSeg.Core.Frames;

/// <summary>A ROS time (<c>builtin_interfaces/Time</c>): seconds and nanoseconds since the epoch.</summary>
public readonly record struct Timestamp(int Seconds, uint Nanoseconds)
{
    /// <summary>Total nanoseconds since the epoch.</summary>
    public long TotalNanoseconds => (Seconds * 1_000_000_000L) + Nanoseconds;

    /// <summary>Builds a stamp from nanoseconds since the epoch (floor division, so negative times keep 0 &lt;= nanosec &lt; 1e9).</summary>
    public static Timestamp FromNanoseconds(long nanoseconds)
    {
        long sec = Math.DivRem(nanoseconds, 1_000_000_000L, out long rem);
        if (rem < 0)
        {
            sec--;
            rem += 1_000_000_000L;
        }
        return new Timestamp(checked((int)sec), (uint)rem);
    }

    public override string ToString() => $"{Seconds}.{Nanoseconds:D9}";
}

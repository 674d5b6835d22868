using System.Globalization;

namespace RosPartSeg.Messages.Sensor;

/// <summary>
/// Bad frames counted per <see cref="BadFrameCause"/>: a fixed array of counters indexed by the cause, so counting
/// never allocates. Safe to count from one thread while another reads.
/// </summary>
public sealed class BadFrameCounts
{
    private readonly long[] _counts = new long[BadFrameCauses.Count];

    /// <summary>Frames counted for <paramref name="cause"/>.</summary>
    public long this[BadFrameCause cause] => Interlocked.Read(ref _counts[(int)cause]);

    /// <summary>Frames counted for every cause together.</summary>
    public long Total
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                sum += Interlocked.Read(ref _counts[i]);
            }
            return sum;
        }
    }

    /// <summary>Counts one frame refused for <paramref name="cause"/>; returns the new total for that cause.</summary>
    public long Add(BadFrameCause cause) => Interlocked.Increment(ref _counts[(int)cause]);

    /// <summary>The causes seen at least once with their counts, largest first (ties in declaration order).</summary>
    public IReadOnlyList<(BadFrameCause Cause, long Count)> Seen() =>
        BadFrameCauses.All.Select(c => (c, this[c])).Where(p => p.Item2 > 0).OrderByDescending(p => p.Item2).ToList();

    /// <summary>"step_too_short 3, cdr_malformed 2" (the causes seen, largest first), or "none".</summary>
    public override string ToString()
    {
        var seen = Seen();
        return seen.Count == 0
            ? "none"
            : string.Join(", ", seen.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Cause.Name()} {p.Count}")));
    }
}

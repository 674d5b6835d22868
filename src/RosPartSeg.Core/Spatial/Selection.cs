namespace RosPartSeg.Core.Spatial;

/// <summary>Order statistics in place, in linear expected time and without allocation (for medians of depths).</summary>
internal static class Selection
{
    /// <summary>
    /// Reorders <paramref name="values"/> so that the element at <paramref name="k"/> is the one a sort would put
    /// there, smaller or equal ones before it and greater or equal ones after; returns it. No NaN allowed.
    /// </summary>
    public static float Select(Span<float> values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        while (hi > lo)
        {
            // Median of three as the pivot: sorted or constant input stays linear.
            int m = lo + ((hi - lo) / 2);
            if (values[m] < values[lo])
            {
                (values[m], values[lo]) = (values[lo], values[m]);
            }
            if (values[hi] < values[lo])
            {
                (values[hi], values[lo]) = (values[lo], values[hi]);
            }
            if (values[hi] < values[m])
            {
                (values[hi], values[m]) = (values[m], values[hi]);
            }
            float pivot = values[m];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }
                while (values[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                break; // j < k < i: values[k] equals the pivot and is in place
            }
        }
        return values[k];
    }

    /// <summary>The largest value (the span must not be empty).</summary>
    public static float Max(ReadOnlySpan<float> values)
    {
        float max = values[0];
        foreach (var v in values)
        {
            max = v > max ? v : max;
        }
        return max;
    }
}

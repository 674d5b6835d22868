using System.Numerics;
using System.Runtime.InteropServices;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Turns class scores [C, H, W] into a label grid (argmax) and, when asked, the softmax probability of the
/// chosen class per cell. Both use SIMD over blocks of cells; each class plane is read in order.
/// </summary>
public static class LabelDecoder
{
    /// <summary>Argmax over classes; ties go to the lower class id.</summary>
    public static void Argmax(ReadOnlySpan<float> scores, int classes, Span<byte> labels, Span<float> best)
    {
        int cells = labels.Length;
        if (scores.Length < classes * cells || best.Length < cells)
        {
            throw new ArgumentException($"scores hold {scores.Length} values, {classes} x {cells} needed");
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // A block of cells at a time across all class planes, the running best and its class in registers.
            int n = Vector<float>.Count;
            Span<int> ids = stackalloc int[Vector<int>.Count];
            for (; i + n <= cells; i += n)
            {
                var top = new Vector<float>(scores.Slice(i, n));
                var id = Vector<int>.Zero;
                for (int c = 1; c < classes; c++)
                {
                    var v = new Vector<float>(scores.Slice((c * cells) + i, n));
                    var higher = Vector.GreaterThan(v, top);
                    top = Vector.ConditionalSelect(higher, v, top);
                    id = Vector.ConditionalSelect(higher, new Vector<int>(c), id);
                }
                top.CopyTo(best.Slice(i, n));
                id.CopyTo(ids);
                for (int k = 0; k < n; k++)
                {
                    labels[i + k] = (byte)ids[k];
                }
            }
        }
        for (; i < cells; i++)
        {
            float top = scores[i];
            byte id = 0;
            for (int c = 1; c < classes; c++)
            {
                float v = scores[(c * cells) + i];
                if (v > top)
                {
                    top = v;
                    id = (byte)c;
                }
            }
            best[i] = top;
            labels[i] = id;
        }
    }

    /// <summary>
    /// Replaces the best score per cell with its softmax probability: 1 / sum over classes of exp(s - best).
    /// <paramref name="sums"/> is scratch of the grid's size.
    /// </summary>
    public static void BestProbability(ReadOnlySpan<float> scores, int classes, Span<float> best, Span<float> sums)
    {
        int cells = best.Length;
        sums[..cells].Clear();
        int vectorEnd = Vector.IsHardwareAccelerated ? cells - (cells % Vector<float>.Count) : 0;
        var vBest = MemoryMarshal.Cast<float, Vector<float>>(best[..vectorEnd]);
        var vSums = MemoryMarshal.Cast<float, Vector<float>>(sums[..vectorEnd]);
        for (int c = 0; c < classes; c++)
        {
            var plane = scores.Slice(c * cells, cells);
            var vPlane = MemoryMarshal.Cast<float, Vector<float>>(plane[..vectorEnd]);
            for (int k = 0; k < vPlane.Length; k++)
            {
                vSums[k] += Vector.Exp(vPlane[k] - vBest[k]);
            }
            for (int i = vectorEnd; i < cells; i++)
            {
                sums[i] += MathF.Exp(plane[i] - best[i]);
            }
        }
        for (int i = 0; i < cells; i++)
        {
            best[i] = 1f / sums[i];
        }
    }
}

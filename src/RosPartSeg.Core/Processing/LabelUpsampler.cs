using System.Numerics;
using System.Runtime.InteropServices;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Labels at input size from the class scores interpolated bilinearly between grid cell centres, so part
/// boundaries are smooth instead of the grid's staircase. Where the four cells around a pixel share one label the
/// interpolated argmax is that label (a convex mix of scores keeps every inequality), so only pixels near cell
/// borders where labels disagree are interpolated, and there only the classes of those four cells compete: a
/// fifth class winning between four cells that all rank it lower is rare (LabelTests measures it on a real photo).
/// Ties go to the lower class id, as in <see cref="LabelDecoder.Argmax"/>.
/// </summary>
public sealed class LabelUpsampler
{
    private float[] _rowA = [];
    private int[] _mixed = []; // [start, end) pairs of the stretches interpolated in the current cell-row pair

    /// <summary>
    /// Writes labels (InputWidth x InputHeight) from <paramref name="grid"/> (argmax per cell) and
    /// <paramref name="scores"/> (planar [classes][cells]).
    /// </summary>
    public void Bilinear(ReadOnlySpan<byte> grid, ReadOnlySpan<float> scores, int classes, FrameGeometry g, Span<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(g);
        int w = g.InputWidth, gw = g.GridWidth, cells = gw * g.GridHeight;
        if (scores.Length < classes * cells || labels.Length < w * g.InputHeight)
        {
            throw new ArgumentException("scores or label buffer too small");
        }
        if (_rowA.Length < classes * gw)
        {
            _rowA = new float[classes * gw];
        }
        if (_mixed.Length < 2 * w)
        {
            _mixed = new int[2 * w];
        }
        var x0s = g.LerpX0;
        var x1s = g.LerpX1;
        int blendedFor = -1, pairR0 = -1, pairR1 = -1, mixedCount = 0;
        for (int y = 0; y < g.InputHeight; y++)
        {
            int r0 = g.LerpY0[y] * gw, r1 = g.LerpY1[y] * gw;
            float fy = g.LerpWY[y];
            var top = grid.Slice(r0, gw);
            var bottom = grid.Slice(r1, gw);
            var dst = labels.Slice(y * w, w);
            if (r0 == pairR0 && r1 == pairR1)
            {
                // Rows between the same two cell rows differ only where cells disagree (fy moves the mix there):
                // copy the previous row and redo just those stretches.
                labels.Slice((y - 1) * w, w).CopyTo(dst);
                if (mixedCount > 0)
                {
                    BlendRows(scores, classes, cells, gw, r0, r1, fy);
                    blendedFor = y;
                }
                for (int m = 0; m < mixedCount; m += 2)
                {
                    PickRun(top, bottom, g, _mixed[m], _mixed[m + 1], dst);
                }
                continue;
            }
            pairR0 = r0;
            pairR1 = r1;
            mixedCount = 0;
            // Uniform stretches (all four cells agree) of one label are filled once, not cell by cell.
            int fillStart = 0;
            byte fillLabel = 0;
            int x = 0;
            while (x < w)
            {
                // A run of input columns between the same two cell columns.
                int c0 = x0s[x], c1 = x1s[x], end = x + 1;
                while (end < w && x0s[end] == c0)
                {
                    end++;
                }
                byte a = top[c0];
                if (a == top[c1] && a == bottom[c0] && a == bottom[c1])
                {
                    if (a != fillLabel)
                    {
                        dst[fillStart..x].Fill(fillLabel);
                        fillStart = x;
                        fillLabel = a;
                    }
                }
                else
                {
                    dst[fillStart..x].Fill(fillLabel);
                    if (blendedFor != y)
                    {
                        BlendRows(scores, classes, cells, gw, r0, r1, fy);
                        blendedFor = y;
                    }
                    PickRun(top, bottom, g, x, end, dst);
                    _mixed[mixedCount++] = x;
                    _mixed[mixedCount++] = end;
                    fillStart = end;
                }
                x = end;
            }
            dst[fillStart..w].Fill(fillLabel);
        }
    }

    // Interpolated labels of input columns [from, to), which lie between the same two cell columns.
    private void PickRun(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, FrameGeometry g, int from, int to, Span<byte> dst)
    {
        int c0 = g.LerpX0[from], c1 = g.LerpX1[from], gw = g.GridWidth;
        var wx = g.LerpWX;
        for (int k = from; k < to; k++)
        {
            dst[k] = Pick(top[c0], top[c1], bottom[c0], bottom[c1], c0, c1, wx[k], gw);
        }
    }

    // Scores of both cell rows mixed vertically for this input row: _rowA[c * gw + col].
    private void BlendRows(ReadOnlySpan<float> scores, int classes, int cells, int gw, int r0, int r1, float fy)
    {
        var vfy = new Vector<float>(fy);
        for (int c = 0; c < classes; c++)
        {
            var s0 = scores.Slice((c * cells) + r0, gw);
            var s1 = scores.Slice((c * cells) + r1, gw);
            var d = _rowA.AsSpan(c * gw, gw);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var v0 = MemoryMarshal.Cast<float, Vector<float>>(s0);
                var v1 = MemoryMarshal.Cast<float, Vector<float>>(s1);
                var vd = MemoryMarshal.Cast<float, Vector<float>>(d);
                for (int k = 0; k < v0.Length; k++)
                {
                    vd[k] = v0[k] + ((v1[k] - v0[k]) * vfy);
                }
                i = v0.Length * Vector<float>.Count;
            }
            for (; i < gw; i++)
            {
                d[i] = s0[i] + ((s1[i] - s0[i]) * fy);
            }
        }
    }

    // Argmax over the (up to four) classes of the surrounding cells of the horizontally mixed row scores.
    private byte Pick(byte a, byte b, byte c, byte d, int c0, int c1, float fx, int gw)
    {
        var row = _rowA;
        byte best = a;
        float bestValue = Mix(row, a, c0, c1, fx, gw);
        Consider(b);
        Consider(c);
        Consider(d);
        return best;

        void Consider(byte k)
        {
            if (k == best)
            {
                return;
            }
            float v = Mix(row, k, c0, c1, fx, gw);
            if (v > bestValue || (v == bestValue && k < best))
            {
                best = k;
                bestValue = v;
            }
        }
    }

    private static float Mix(float[] row, int k, int c0, int c1, float fx, int gw)
    {
        float l = row[(k * gw) + c0];
        return l + ((row[(k * gw) + c1] - l) * fx);
    }
}

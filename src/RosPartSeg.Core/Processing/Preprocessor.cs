using System.Numerics;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Fills the network's input tensor from a frame: bilinear resize (stretch or letterbox), channel order,
/// normalisation and HWC to planar CHW, row by row with no intermediate image. Bilinear sampling is done
/// separably, vertical first: the two source rows around an output row are blended with SIMD over all their bytes
/// into one float row, then each output pixel mixes two pixels of that row and is normalised. Letterbox padding
/// gets the mean colour, i.e. 0 after normalising.
/// </summary>
public sealed class Preprocessor
{
    private readonly RgbRowReader _top = new();
    private readonly RgbRowReader _bottom = new(); // YUV rows are converted into each reader's own scratch row
    private readonly float[] _scale = new float[3];
    private readonly float[] _bias = new float[3];
    private readonly float[] _mean = new float[3];
    private readonly bool _bgr;
    private float[] _row = [];

    public Preprocessor(ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _bgr = model.ChannelOrder == ChannelOrder.Bgr;
        for (int c = 0; c < 3; c++)
        {
            // (v - mean) / std == v * scale + bias
            _scale[c] = 1f / model.Std[c];
            _bias[c] = -model.Mean[c] / model.Std[c];
            _mean[c] = model.Mean[c];
        }
    }

    /// <summary>Writes the tensor [3, NetHeight, NetWidth] for a validated frame.</summary>
    public void Run(in ImageFrame frame, FrameGeometry geometry, Span<float> tensor)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        int nw = geometry.NetWidth, nh = geometry.NetHeight, plane = nw * nh;
        if (tensor.Length < plane * 3)
        {
            throw new ArgumentException($"tensor holds {tensor.Length} floats, {plane * 3} needed", nameof(tensor));
        }
        var layout = RgbRowReader.LayoutOf(frame.Encoding);
        int rowValues = frame.Width * layout.Stride;
        if (_row.Length < rowValues)
        {
            _row = new float[rowValues];
        }
        for (int j = 0; j < nh; j++)
        {
            int y0 = geometry.SrcY0[j];
            if (y0 < 0)
            {
                for (int c = 0; c < 3; c++)
                {
                    tensor.Slice((c * plane) + (j * nw), nw).Clear();
                }
                continue;
            }
            float wy = geometry.WeightY[j];
            var top = _top.Row(frame, y0);
            var bottom = wy > 0f ? _bottom.Row(frame, geometry.SrcY1[j]) : top;
            BlendRows(top, bottom, wy, _row.AsSpan(0, rowValues));
            ResampleRow(_row, layout, geometry, tensor, j * nw, plane);
        }
    }

    // row = top + (bottom - top) * wy over every byte of the two rows, 8-bit values widened to float with SIMD.
    private static void BlendRows(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, float wy, Span<float> row)
    {
        int n = row.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int step = Vector<byte>.Count, f = Vector<float>.Count;
            var w = new Vector<float>(wy);
            for (; i + step <= n; i += step)
            {
                Widen(new Vector<byte>(top.Slice(i, step)), out var a0, out var a1, out var a2, out var a3);
                Widen(new Vector<byte>(bottom.Slice(i, step)), out var b0, out var b1, out var b2, out var b3);
                (a0 + ((b0 - a0) * w)).CopyTo(row.Slice(i, f));
                (a1 + ((b1 - a1) * w)).CopyTo(row.Slice(i + f, f));
                (a2 + ((b2 - a2) * w)).CopyTo(row.Slice(i + (2 * f), f));
                (a3 + ((b3 - a3) * w)).CopyTo(row.Slice(i + (3 * f), f));
            }
        }
        for (; i < n; i++)
        {
            float a = top[i];
            row[i] = a + ((bottom[i] - a) * wy);
        }
    }

    private static void Widen(Vector<byte> v, out Vector<float> f0, out Vector<float> f1, out Vector<float> f2, out Vector<float> f3)
    {
        Vector.Widen(v, out Vector<ushort> lo, out Vector<ushort> hi);
        Vector.Widen(lo, out Vector<uint> u0, out Vector<uint> u1);
        Vector.Widen(hi, out Vector<uint> u2, out Vector<uint> u3);
        f0 = Vector.ConvertToSingle(Vector.AsVectorInt32(u0));
        f1 = Vector.ConvertToSingle(Vector.AsVectorInt32(u1));
        f2 = Vector.ConvertToSingle(Vector.AsVectorInt32(u2));
        f3 = Vector.ConvertToSingle(Vector.AsVectorInt32(u3));
    }

    // Horizontal bilinear sample of the blended row into output row `offset` of the three planes (network
    // channel order), normalised.
    private unsafe void ResampleRow(float[] row, RgbRowReader.Layout layout, FrameGeometry g, Span<float> tensor, int offset, int plane)
    {
        int stride = layout.Stride;
        int o0 = _bgr ? layout.B : layout.R, o1 = layout.G, o2 = _bgr ? layout.R : layout.B;
        int nw = g.NetWidth;
        float s0 = _scale[0], s1 = _scale[1], s2 = _scale[2], c0 = _bias[0], c1 = _bias[1], c2 = _bias[2];
        float pad0 = (_mean[0] * s0) + c0, pad1 = (_mean[1] * s1) + c1, pad2 = (_mean[2] * s2) + c2;
        fixed (float* src = row, t = tensor)
        fixed (int* x0p = g.SrcX0, x1p = g.SrcX1)
        fixed (float* wp = g.WeightX)
        {
            float* d0 = t + offset, d1 = d0 + plane, d2 = d1 + plane;
            for (int i = 0; i < nw; i++)
            {
                int xa = x0p[i];
                if (xa < 0)
                {
                    d0[i] = pad0;
                    d1[i] = pad1;
                    d2[i] = pad2;
                    continue;
                }
                float* pa = src + (xa * stride);
                float* pb = src + (x1p[i] * stride);
                float w = wp[i];
                float a0 = pa[o0], a1 = pa[o1], a2 = pa[o2];
                d0[i] = ((a0 + ((pb[o0] - a0) * w)) * s0) + c0;
                d1[i] = ((a1 + ((pb[o1] - a1) * w)) * s1) + c1;
                d2[i] = ((a2 + ((pb[o2] - a2) * w)) * s2) + c2;
            }
        }
    }
}

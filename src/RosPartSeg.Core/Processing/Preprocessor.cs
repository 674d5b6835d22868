using System.Numerics;
using System.Runtime.InteropServices;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Fills the network's input tensor from a frame: bilinear resize (stretch or letterbox), channel order,
/// normalisation and HWC to planar CHW, row by row with no intermediate image. Bilinear sampling is done
/// separably: each source row needed is resampled horizontally once into a small cache (two rows), then each
/// output row is the vertical blend of two cached rows, normalised with SIMD. Letterbox padding gets the mean
/// colour, i.e. 0 after normalising.
/// </summary>
public sealed class Preprocessor
{
    private readonly RgbRowReader _reader = new();
    private readonly float[] _scale = new float[3];
    private readonly float[] _bias = new float[3];
    private readonly float[] _mean = new float[3];
    private readonly bool _bgr;
    private readonly float[][] _rows = [[], []];
    private readonly int[] _rowOf = [-1, -1];
    private PixelEncoding _cachedEncoding;

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
        PrepareCache(nw, frame.Encoding);
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
            int y1 = wy > 0f ? geometry.SrcY1[j] : y0;
            int top = CachedRow(frame, geometry, y0, -1);
            int bottom = y1 == y0 ? top : CachedRow(frame, geometry, y1, top);
            for (int c = 0; c < 3; c++)
            {
                var a = _rows[top].AsSpan(c * nw, nw);
                var b = _rows[bottom].AsSpan(c * nw, nw);
                BlendNormalize(a, b, wy, _scale[c], _bias[c], tensor.Slice((c * plane) + (j * nw), nw));
            }
        }
    }

    private void PrepareCache(int nw, PixelEncoding encoding)
    {
        if (_rows[0].Length != nw * 3)
        {
            _rows[0] = new float[nw * 3];
            _rows[1] = new float[nw * 3];
        }
        // Rows are cached per frame only: a new frame has new pixels.
        _rowOf[0] = _rowOf[1] = -1;
        _cachedEncoding = encoding;
    }

    // Returns the cache slot holding source row y resampled horizontally, computing it into a slot other than `keep`.
    private int CachedRow(in ImageFrame frame, FrameGeometry g, int y, int keep)
    {
        if (_rowOf[0] == y)
        {
            return 0;
        }
        if (_rowOf[1] == y)
        {
            return 1;
        }
        int slot = keep == 0 ? 1 : keep == 1 ? 0 : (_rowOf[0] < _rowOf[1] ? 0 : 1);
        ResampleRow(_reader.Row(frame, y), g, _rows[slot]);
        _rowOf[slot] = y;
        return slot;
    }

    // Horizontal bilinear resample of one source row into three planes (network channel order) of NetWidth floats.
    private unsafe void ResampleRow(ReadOnlySpan<byte> row, FrameGeometry g, float[] dst)
    {
        var layout = RgbRowReader.LayoutOf(_cachedEncoding);
        int stride = layout.Stride;
        int o0 = _bgr ? layout.B : layout.R, o1 = layout.G, o2 = _bgr ? layout.R : layout.B;
        int nw = g.NetWidth;
        float m0 = _mean[0], m1 = _mean[1], m2 = _mean[2];
        fixed (byte* src = row)
        fixed (int* x0p = g.SrcX0, x1p = g.SrcX1)
        fixed (float* wp = g.WeightX, h = dst)
        {
            float* h1 = h + nw, h2 = h + (2 * nw);
            for (int i = 0; i < nw; i++)
            {
                int xa = x0p[i];
                if (xa < 0)
                {
                    h[i] = m0;
                    h1[i] = m1;
                    h2[i] = m2;
                    continue;
                }
                byte* pa = src + (xa * stride);
                byte* pb = src + (x1p[i] * stride);
                float w = wp[i];
                float a0 = pa[o0], a1 = pa[o1], a2 = pa[o2];
                h[i] = a0 + ((pb[o0] - a0) * w);
                h1[i] = a1 + ((pb[o1] - a1) * w);
                h2[i] = a2 + ((pb[o2] - a2) * w);
            }
        }
    }

    // dst = (a + (b - a) * wy) * scale + bias, vectorised.
    private static void BlendNormalize(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float wy, float scale, float bias, Span<float> dst)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && dst.Length >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var w = new Vector<float>(wy);
            var s = new Vector<float>(scale);
            var o = new Vector<float>(bias);
            for (int k = 0; k < vd.Length; k++)
            {
                vd[k] = ((va[k] + ((vb[k] - va[k]) * w)) * s) + o;
            }
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < dst.Length; i++)
        {
            dst[i] = ((a[i] + ((b[i] - a[i]) * wy)) * scale) + bias;
        }
    }
}

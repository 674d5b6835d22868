using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Fills the network's input tensor from a frame in one pass: bilinear resize (stretch or letterbox), channel
/// order, normalisation and HWC to planar CHW. Letterbox padding gets the mean colour, i.e. 0 after normalising.
/// </summary>
public sealed class Preprocessor
{
    private readonly RgbRowReader _rowA = new();
    private readonly RgbRowReader _rowB = new();
    private readonly float[] _scale = new float[3];
    private readonly float[] _bias = new float[3];
    private readonly bool _bgr;

    public Preprocessor(ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _bgr = model.ChannelOrder == ChannelOrder.Bgr;
        for (int c = 0; c < 3; c++)
        {
            // (v - mean) / std == v * scale + bias
            _scale[c] = 1f / model.Std[c];
            _bias[c] = -model.Mean[c] / model.Std[c];
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
        // Network channel c reads RGB component order[c].
        int o0 = _bgr ? layout.B : layout.R, o1 = layout.G, o2 = _bgr ? layout.R : layout.B;
        float s0 = _scale[0], s1 = _scale[1], s2 = _scale[2], b0 = _bias[0], b1 = _bias[1], b2 = _bias[2];
        var x0s = geometry.SrcX0;
        var x1s = geometry.SrcX1;
        var wxs = geometry.WeightX;
        int stride = layout.Stride;

        var p0 = tensor[..plane];
        var p1 = tensor.Slice(plane, plane);
        var p2 = tensor.Slice(2 * plane, plane);
        for (int j = 0; j < nh; j++)
        {
            int row = j * nw;
            int y0 = geometry.SrcY0[j];
            if (y0 < 0)
            {
                p0.Slice(row, nw).Clear();
                p1.Slice(row, nw).Clear();
                p2.Slice(row, nw).Clear();
                continue;
            }
            float wy = geometry.WeightY[j], wy0 = 1f - wy;
            var top = _rowA.Row(frame, y0);
            var bottom = wy > 0f ? _rowB.Row(frame, geometry.SrcY1[j]) : top;
            for (int i = 0; i < nw; i++)
            {
                int xa = x0s[i];
                if (xa < 0)
                {
                    p0[row + i] = 0f;
                    p1[row + i] = 0f;
                    p2[row + i] = 0f;
                    continue;
                }
                int a = xa * stride, b = x1s[i] * stride;
                float wx = wxs[i], wx0 = 1f - wx;
                float w00 = wx0 * wy0, w01 = wx * wy0, w10 = wx0 * wy, w11 = wx * wy;
                p0[row + i] = (((top[a + o0] * w00) + (top[b + o0] * w01) + (bottom[a + o0] * w10) + (bottom[b + o0] * w11)) * s0) + b0;
                p1[row + i] = (((top[a + o1] * w00) + (top[b + o1] * w01) + (bottom[a + o1] * w10) + (bottom[b + o1] * w11)) * s1) + b1;
                p2[row + i] = (((top[a + o2] * w00) + (top[b + o2] * w01) + (bottom[a + o2] * w10) + (bottom[b + o2] * w11)) * s2) + b2;
            }
        }
    }
}

using RosPartSeg.Core.Model;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Draws per-pixel images: labels at input size by nearest neighbour from the grid (ids never blended), palette
/// colours, and the overlay of the input with the mask. Rows that map to the same grid row are
/// copied instead of recomputed.
/// </summary>
public sealed class LabelRenderer
{
    private readonly RgbRowReader _reader = new();
    private readonly byte[] _palette;
    private readonly byte[] _blend = new byte[256 * 768];
    private float _blendAlpha = float.NaN;

    public LabelRenderer(IReadOnlyList<Rgb> palette)
    {
        ArgumentNullException.ThrowIfNull(palette);
        // 256 entries so any byte indexes safely; unknown ids draw black.
        _palette = new byte[256 * 3];
        for (int i = 0; i < palette.Count && i < 256; i++)
        {
            _palette[i * 3] = palette[i].R;
            _palette[(i * 3) + 1] = palette[i].G;
            _palette[(i * 3) + 2] = palette[i].B;
        }
    }

    /// <summary>Labels at input size: each input pixel takes the label of the grid cell under it.</summary>
    public static void UpscaleLabels(ReadOnlySpan<byte> grid, FrameGeometry g, Span<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(g);
        int w = g.InputWidth;
        var cols = g.GridColOfInputX;
        var rows = g.GridRowOfInputY;
        for (int y = 0; y < g.InputHeight; y++)
        {
            var dst = labels.Slice(y * w, w);
            if (y > 0 && rows[y] == rows[y - 1])
            {
                labels.Slice((y - 1) * w, w).CopyTo(dst);
                continue;
            }
            var src = grid.Slice(rows[y] * g.GridWidth, g.GridWidth);
            for (int x = 0; x < w; x++)
            {
                dst[x] = src[cols[x]];
            }
        }
    }

    /// <summary>Palette colour (rgb8) of every label of a width x height label image.</summary>
    public void Colorize(ReadOnlySpan<byte> labels, int width, int height, Span<byte> rgb)
    {
        var pal = _palette;
        for (int y = 0; y < height; y++)
        {
            var row = labels.Slice(y * width, width);
            var dst = rgb.Slice(y * width * 3, width * 3);
            // Upscaled label images repeat rows; a vectorised compare is cheaper than recolouring.
            if (y > 0 && row.SequenceEqual(labels.Slice((y - 1) * width, width)))
            {
                rgb.Slice((y - 1) * width * 3, width * 3).CopyTo(dst);
                continue;
            }
            for (int i = 0, d = 0; i < width; i++, d += 3)
            {
                int p = row[i] * 3;
                dst[d] = pal[p];
                dst[d + 1] = pal[p + 1];
                dst[d + 2] = pal[p + 2];
            }
        }
    }

    /// <summary>
    /// The input as rgb8 with the palette colour blended in where the input-size label is not background:
    /// out = (in x (256 - a) + colour x a + 128) / 256 with a = alpha x 256. Background pixels keep the input colour.
    /// A lookup table per class and channel turns the blend into three loads per pixel, with no branch.
    /// </summary>
    public unsafe void Overlay(in Frames.ImageFrame frame, ReadOnlySpan<byte> labels, float alpha, Span<byte> rgb)
    {
        BuildBlendTable(alpha);
        int w = frame.Width;
        var layout = RgbRowReader.LayoutOf(frame.Encoding);
        int stride = layout.Stride, oR = layout.R, oG = layout.G, oB = layout.B;
        if (rgb.Length < w * frame.Height * 3 || labels.Length < w * frame.Height)
        {
            throw new ArgumentException("overlay or label buffer too small", nameof(rgb));
        }
        fixed (byte* lut = _blend, labelPtr = labels, outPtr = rgb)
        {
            for (int y = 0; y < frame.Height; y++)
            {
                var row = _reader.Row(frame, y);
                byte* lab = labelPtr + (y * w);
                byte* dst = outPtr + (y * w * 3);
                fixed (byte* src = row)
                {
                    byte* s = src;
                    for (int x = 0; x < w; x++, s += stride, dst += 3)
                    {
                        byte* t = lut + (lab[x] * 768);
                        dst[0] = t[s[oR]];
                        dst[1] = t[256 + s[oG]];
                        dst[2] = t[512 + s[oB]];
                    }
                }
            }
        }
    }

    // Table [class][channel][input value] -> blended value; class 0 (background) is the identity.
    private void BuildBlendTable(float alpha)
    {
        if (_blendAlpha == alpha)
        {
            return;
        }
        int a = (int)MathF.Round(alpha * 256f), ia = 256 - a;
        for (int k = 0; k < 256; k++)
        {
            for (int c = 0; c < 3; c++)
            {
                int colour = _palette[(k * 3) + c];
                for (int v = 0; v < 256; v++)
                {
                    _blend[(k * 768) + (c * 256) + v] = k == 0 ? (byte)v : (byte)(((v * ia) + (colour * a) + 128) >> 8);
                }
            }
        }
        _blendAlpha = alpha;
    }

    /// <summary>The palette colour of a class (black for ids beyond the palette).</summary>
    public Rgb ColorOf(int classId) => new(_palette[classId * 3], _palette[(classId * 3) + 1], _palette[(classId * 3) + 2]);
}

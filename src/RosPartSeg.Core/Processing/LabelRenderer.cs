using System.Runtime.Intrinsics;
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
    private const int PatternPixels = 16;
    private readonly byte[] _blend = new byte[256 * 768];
    private readonly byte[] _patterns = new byte[256 * PatternPixels * 3];
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
        // Each class's colour repeated PatternPixels times, to fill runs of one label with block copies.
        for (int k = 0; k < 256; k++)
        {
            for (int p = 0; p < PatternPixels; p++)
            {
                _palette.AsSpan(k * 3, 3).CopyTo(_patterns.AsSpan(((k * PatternPixels) + p) * 3));
            }
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
            // Labels come in runs (parts are areas): find each run with a vectorised search and fill it with its colour.
            for (int x = 0; x < width;)
            {
                byte label = row[x];
                int n = row[x..].IndexOfAnyExcept(label);
                n = n < 0 ? width - x : n;
                FillColour(dst.Slice(x * 3, n * 3), label);
                x += n;
            }
        }
    }

    // Fills packed rgb8 pixels with one class's colour, PatternPixels at a time from a pre-built pattern.
    private void FillColour(Span<byte> dst, byte label)
    {
        var pattern = _patterns.AsSpan(label * PatternPixels * 3, PatternPixels * 3);
        while (dst.Length >= pattern.Length)
        {
            pattern.CopyTo(dst);
            dst = dst[pattern.Length..];
        }
        pattern[..dst.Length].CopyTo(dst);
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
        var background = BackgroundCopyOf(layout);
        fixed (byte* lut = _blend, outPtr = rgb)
        {
            for (int y = 0; y < frame.Height; y++)
            {
                var row = _reader.Row(frame, y);
                var lab = labels.Slice(y * w, w);
                byte* dstRow = outPtr + (y * w * 3);
                fixed (byte* src = row)
                {
                    int x = 0;
                    while (x < w)
                    {
                        // Background keeps the input colour: most of a frame, so copy it run by run.
                        int n = lab[x..].IndexOfAnyExcept((byte)0);
                        n = n < 0 ? w - x : n;
                        CopyBackground(background, src + (x * stride), dstRow + (x * 3), n, layout);
                        x += n;
                        if (x >= w)
                        {
                            break;
                        }
                        n = lab[x..].IndexOf((byte)0);
                        int end = n < 0 ? w : x + n;
                        byte* s = src + (x * stride);
                        byte* dst = dstRow + (x * 3);
                        for (; x < end; x++, s += stride, dst += 3)
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
    }

    private enum BackgroundCopy
    {
        Same,
        SwapRedBlue,
        PerPixel,
    }

    private static BackgroundCopy BackgroundCopyOf(RgbRowReader.Layout layout) => layout switch
    {
        { Stride: 3, R: 0, G: 1, B: 2 } => BackgroundCopy.Same,
        { Stride: 3, R: 2, G: 1, B: 0 } => BackgroundCopy.SwapRedBlue,
        _ => BackgroundCopy.PerPixel,
    };

    // n input pixels to packed rgb8 unchanged: a block copy for rgb8, a byte shuffle five pixels at a time for bgr8.
    private static unsafe void CopyBackground(BackgroundCopy kind, byte* s, byte* d, int n, RgbRowReader.Layout layout)
    {
        int i = 0;
        switch (kind)
        {
            case BackgroundCopy.Same:
                Buffer.MemoryCopy(s, d, n * 3, n * 3);
                return;
            case BackgroundCopy.SwapRedBlue when Vector128.IsHardwareAccelerated:
                // 16 bytes hold five whole pixels and one byte of the sixth. The 16th stored byte lands in the sixth
                // pixel's slot, still inside the run, which the next step or the tail below rewrites.
                for (; i + 6 <= n; i += 5)
                {
                    var v = Vector128.Load(s + (i * 3));
                    Vector128.Shuffle(v, SwapRedBlueMask).Store(d + (i * 3));
                }
                break;
        }
        int stride = layout.Stride;
        for (byte* p = s + (i * stride), q = d + (i * 3); i < n; i++, p += stride, q += 3)
        {
            q[0] = p[layout.R];
            q[1] = p[layout.G];
            q[2] = p[layout.B];
        }
    }

    private static readonly Vector128<byte> SwapRedBlueMask = Vector128.Create((byte)2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9, 14, 13, 12, 15);

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

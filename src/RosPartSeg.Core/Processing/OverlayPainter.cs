using RosPartSeg.Core.Model;

namespace RosPartSeg.Core.Processing;

/// <summary>Draws boxes and short labels into an rgb8 image, clipped to its bounds.</summary>
public static class OverlayPainter
{
    /// <summary>Draws the outline of a box <paramref name="thickness"/> pixels wide, inside the box.</summary>
    public static void Box(Span<byte> rgb, int width, int height, int x, int y, int w, int h, Rgb color, int thickness = 1)
    {
        for (int t = 0; t < thickness && (2 * t) < w && (2 * t) < h; t++)
        {
            int x0 = x + t, y0 = y + t, x1 = x + w - 1 - t, y1 = y + h - 1 - t;
            HLine(rgb, width, height, x0, x1, y0, color);
            HLine(rgb, width, height, x0, x1, y1, color);
            VLine(rgb, width, height, x0, y0, y1, color);
            VLine(rgb, width, height, x1, y0, y1, color);
        }
    }

    /// <summary>Fills a rectangle.</summary>
    public static void Fill(Span<byte> rgb, int width, int height, int x, int y, int w, int h, Rgb color)
    {
        for (int yy = Math.Max(0, y); yy < Math.Min(height, y + h); yy++)
        {
            HLine(rgb, width, height, x, x + w - 1, yy, color);
        }
    }

    /// <summary>
    /// Writes text in the 5x7 font on a filled background, its top-left at (x, y); returns the width drawn.
    /// </summary>
    public static int Label(Span<byte> rgb, int width, int height, int x, int y, ReadOnlySpan<char> text, Rgb foreground, Rgb background)
    {
        int w = (text.Length * BitmapFont.Advance) + 1, h = BitmapFont.GlyphHeight + 2;
        Fill(rgb, width, height, x, y, w, h, background);
        for (int i = 0; i < text.Length; i++)
        {
            var glyph = BitmapFont.Glyph(text[i]);
            int gx = x + 1 + (i * BitmapFont.Advance);
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                int bits = glyph[row];
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if ((bits & (0x10 >> col)) != 0)
                    {
                        Set(rgb, width, height, gx + col, y + 1 + row, foreground);
                    }
                }
            }
        }
        return w;
    }

    /// <summary>Height in pixels of a label drawn by <see cref="Label"/>.</summary>
    public static int LabelHeight => BitmapFont.GlyphHeight + 2;

    private static void HLine(Span<byte> rgb, int width, int height, int x0, int x1, int y, Rgb c)
    {
        if (y < 0 || y >= height)
        {
            return;
        }
        x0 = Math.Max(0, x0);
        x1 = Math.Min(width - 1, x1);
        for (int x = x0; x <= x1; x++)
        {
            int d = ((y * width) + x) * 3;
            rgb[d] = c.R;
            rgb[d + 1] = c.G;
            rgb[d + 2] = c.B;
        }
    }

    private static void VLine(Span<byte> rgb, int width, int height, int x, int y0, int y1, Rgb c)
    {
        if (x < 0 || x >= width)
        {
            return;
        }
        for (int y = Math.Max(0, y0); y <= Math.Min(height - 1, y1); y++)
        {
            Set(rgb, width, height, x, y, c);
        }
    }

    private static void Set(Span<byte> rgb, int width, int height, int x, int y, Rgb c)
    {
        if ((uint)x >= (uint)width || (uint)y >= (uint)height)
        {
            return;
        }
        int d = ((y * width) + x) * 3;
        rgb[d] = c.R;
        rgb[d + 1] = c.G;
        rgb[d + 2] = c.B;
    }
}

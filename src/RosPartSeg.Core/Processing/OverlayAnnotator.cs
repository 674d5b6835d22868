using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Draws the overlay's annotations: each person's box with its id ("P7" at the box's top-left, inside it: the track
/// id where the caller gives them, else the index) and, in
/// <see cref="OverlayAnnotations.Parts"/> mode, each part's name once per person, centred on the largest region of
/// that part where the name fits inside the region's box, else not at all. Fewer, larger marks than one box per
/// region, so a crowd stays readable. Allocates nothing.
/// </summary>
public static class OverlayAnnotator
{
    private static readonly Rgb White = new(255, 255, 255);
    private static readonly Rgb Black = new(0, 0, 0);

    public static void Draw(
        Span<byte> rgb,
        int width,
        int height,
        OverlayAnnotations mode,
        ReadOnlySpan<PersonRegion> people,
        ReadOnlySpan<PartRegion> regions,
        IReadOnlyList<string> classNames,
        LabelRenderer palette,
        ReadOnlySpan<int> trackIds = default)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(palette);
        if (mode == OverlayAnnotations.None)
        {
            return;
        }
        if (mode == OverlayAnnotations.Parts)
        {
            // Regions come by class, then person, then larger first: the first of each (class, person) is the largest.
            for (int i = 0; i < regions.Length; i++)
            {
                var r = regions[i];
                if (i > 0 && regions[i - 1].ClassId == r.ClassId && regions[i - 1].PersonId == r.PersonId)
                {
                    continue;
                }
                PartName(rgb, width, height, r, classNames[r.ClassId], palette.ColorOf(r.ClassId));
            }
        }
        Span<char> text = stackalloc char[12];
        for (int i = 0; i < people.Length; i++)
        {
            ref readonly var person = ref people[i];
            var b = person.Box;
            OverlayPainter.Box(rgb, width, height, b.X, b.Y, b.Width, b.Height, White, 2);
            text[0] = 'P';
            int id = i < trackIds.Length ? trackIds[i] : person.PersonId;
            id.TryFormat(text[1..], out int n, default, System.Globalization.CultureInfo.InvariantCulture);
            OverlayPainter.Label(rgb, width, height, b.X, b.Y, text[..(n + 1)], Black, White);
        }
    }

    /// <summary>Width and height in pixels of <paramref name="text"/> drawn by <see cref="OverlayPainter.Label"/>.</summary>
    public static (int Width, int Height) LabelSize(int characters) => ((characters * BitmapFont.Advance) + 1, OverlayPainter.LabelHeight);

    private static void PartName(Span<byte> rgb, int width, int height, in PartRegion r, string name, Rgb color)
    {
        var (w, h) = LabelSize(name.Length);
        var b = r.Box;
        if (w > b.Width || h > b.Height)
        {
            return;
        }
        int x = Math.Clamp((int)MathF.Round(r.CentroidX) - (w / 2), b.X, b.X + b.Width - w);
        int y = Math.Clamp((int)MathF.Round(r.CentroidY) - (h / 2), b.Y, b.Y + b.Height - h);
        OverlayPainter.Label(rgb, width, height, x, y, name, Black, color);
    }
}

using System.Runtime.InteropServices;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Spatial;

namespace RosPartSeg.Core.Tests.Spatial;

/// <summary>3D centres, extents and depth validity on synthetic frames with known intrinsics.</summary>
public class DepthProjectorTests
{
    private const int W = 640, H = 480;
    private static readonly CameraIntrinsics K = new(525.0, 530.0, 319.5, 239.5);

    // A person made of a head (class 1) and a torso (class 2) on a wall at 4 m; the person stands at 2 m.
    private static readonly PixelBox Head = new(300, 100, 40, 50);
    private static readonly PixelBox Torso = new(280, 150, 80, 150);

    private static byte[] Labels()
    {
        var labels = new byte[W * H];
        Fill(labels, Head, 1);
        Fill(labels, Torso, 2);
        return labels;
    }

    private static void Fill(byte[] labels, PixelBox b, byte value)
    {
        for (int y = b.Y; y < b.Y + b.Height; y++)
        {
            labels.AsSpan((y * W) + b.X, b.Width).Fill(value);
        }
    }

    private static float[] Metres(byte[] labels, float person = 2f, float wall = 4f)
    {
        var d = new float[W * H];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = labels[i] != 0 ? person : wall;
        }
        return d;
    }

    private static DepthImage Float32(float[] metres) => new(W, H, DepthFormat.Float32, W * 4, MemoryMarshal.AsBytes(metres.AsSpan()).ToArray());

    private static DepthImage Millimetres(float[] metres)
    {
        var mm = metres.Select(m => float.IsNaN(m) ? (ushort)0 : (ushort)Math.Round(m * 1000)).ToArray();
        return new DepthImage(W, H, DepthFormat.UInt16, W * 2, MemoryMarshal.AsBytes(mm.AsSpan()).ToArray());
    }

    // Regions boxes are one pixel larger on every side than the parts: wall pixels inside them must not count.
    private static (PartRegion[] Regions, PersonRegion[] People) Regions() =>
    (
        [
            new PartRegion(1, 0, Grow(Head), Head.Width * Head.Height, 0, 0, 1),
            new PartRegion(2, 0, Grow(Torso), Torso.Width * Torso.Height, 0, 0, 1),
        ],
        [new PersonRegion(0, new PixelBox(280, 100, 80, 200), 0, 0, 0, 1)]
    );

    private static PixelBox Grow(PixelBox b) => new(b.X - 1, b.Y - 1, b.Width + 2, b.Height + 2);

    // The regions' pixels as the extractor gives them, for regions whose boxes do not overlap: the runs of each
    // region's class inside its box.
    private static PixelRun[] Runs(byte[] labels, PartRegion[] regions)
    {
        var runs = new List<PixelRun>();
        for (int r = 0; r < regions.Length; r++)
        {
            var b = regions[r].Box;
            for (int y = b.Y; y < b.Y + b.Height; y++)
            {
                for (int x = b.X; x < b.X + b.Width; x++)
                {
                    int start = x;
                    while (x < b.X + b.Width && labels[(y * W) + x] == regions[r].ClassId)
                    {
                        x++;
                    }
                    if (x > start)
                    {
                        runs.Add(new PixelRun(y, start, x, r));
                    }
                }
            }
        }
        return [.. runs];
    }

    private static (Position3D[] Regions, Position3D[] People) Project(byte[] labels, DepthImage depth, DepthProjectionOptions? options = null)
    {
        var (regions, people) = Regions();
        var r3 = new Position3D[regions.Length];
        var p3 = new Position3D[people.Length];
        new DepthProjector(options).Project(Runs(labels, regions), W, H, regions, people, depth, K, r3, p3);
        return (r3, p3);
    }

    // The truth for a rectangle of pixels at depth z: its mean pixel back-projected, its span at that depth.
    private static (double X, double Y, double SizeX, double SizeY) Truth(PixelBox b, double z) =>
        (((b.X + ((b.Width - 1) / 2.0)) - K.Cx) * z / K.Fx, ((b.Y + ((b.Height - 1) / 2.0)) - K.Cy) * z / K.Fy, b.Width * z / K.Fx, b.Height * z / K.Fy);

    private static void AssertWithin1Percent(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 0.01 * Math.Max(Math.Abs(expected), 0.01), $"{what}: expected {expected}, got {actual}");

    [Theory]
    [InlineData(DepthFormat.Float32)]
    [InlineData(DepthFormat.UInt16)]
    public void CentresAndExtentsAreTheBackProjectedRegionsAtTheirDepth(DepthFormat format)
    {
        var labels = Labels();
        var metres = Metres(labels);
        var (r3, p3) = Project(labels, format == DepthFormat.Float32 ? Float32(metres) : Millimetres(metres));

        foreach (var (pos, box, name) in new[] { (r3[0], Head, "head"), (r3[1], Torso, "torso") })
        {
            var t = Truth(box, 2.0);
            Assert.True(pos.Valid, name);
            Assert.Equal(box.Width * box.Height, pos.PixelsUsed);
            AssertWithin1Percent(2.0, pos.Z, name + " z");
            AssertWithin1Percent(t.X, pos.X, name + " x");
            AssertWithin1Percent(t.Y, pos.Y, name + " y");
            AssertWithin1Percent(t.SizeX, pos.SizeX, name + " size x");
            AssertWithin1Percent(t.SizeY, pos.SizeY, name + " size y");
            Assert.Equal(0f, pos.SizeZ, 3); // a flat region has no depth extent
        }

        // The person: both parts' pixels.
        var p = p3[0];
        int n = (Head.Width * Head.Height) + (Torso.Width * Torso.Height);
        double meanU = ((Head.Width * Head.Height * (Head.X + ((Head.Width - 1) / 2.0))) + (Torso.Width * Torso.Height * (Torso.X + ((Torso.Width - 1) / 2.0)))) / n;
        double meanV = ((Head.Width * Head.Height * (Head.Y + ((Head.Height - 1) / 2.0))) + (Torso.Width * Torso.Height * (Torso.Y + ((Torso.Height - 1) / 2.0)))) / n;
        Assert.True(p.Valid);
        Assert.Equal(n, p.PixelsUsed);
        AssertWithin1Percent((meanU - K.Cx) * 2.0 / K.Fx, p.X, "person x");
        AssertWithin1Percent((meanV - K.Cy) * 2.0 / K.Fy, p.Y, "person y");
        AssertWithin1Percent(2.0, p.Z, "person z");
        AssertWithin1Percent(200 * 2.0 / K.Fy, p.SizeY, "person height");
    }

    [Fact]
    public void InvalidReadingsNeverCountAndTheMedianIgnoresAMinority()
    {
        var labels = Labels();
        var metres = Metres(labels);
        // In the torso: rows 150-189 no reading (NaN), rows 190-209 zero, rows 210-219 beyond range (30 m), rows
        // 220-249 too near (5 cm); of the rest (rows 250-299) 40 % of the columns see the wall at 4 m through a gap.
        for (int y = Torso.Y; y < Torso.Y + Torso.Height; y++)
        {
            for (int x = Torso.X; x < Torso.X + Torso.Width; x++)
            {
                metres[(y * W) + x] = y switch
                {
                    < 190 => float.NaN,
                    < 210 => 0f,
                    < 220 => 30f,
                    < 250 => 0.05f,
                    _ => x - Torso.X < 32 ? 4f : 2f,
                };
            }
        }
        var (r3, _) = Project(labels, Float32(metres));

        var torso = r3[1];
        Assert.True(torso.Valid);
        Assert.Equal(Torso.Width * 50, torso.PixelsUsed);
        AssertWithin1Percent(2.0, torso.Z, "median depth");
        AssertWithin1Percent(50 * 2.0 / K.Fy, torso.SizeY, "extent of the valid rows only");
        AssertWithin1Percent(2.0, torso.SizeZ, "10th to 90th percentile: 2 m to 4 m");
        Assert.True(r3[0].Valid); // the head is untouched
    }

    [Fact]
    public void TooFewValidPixelsGiveNo3D()
    {
        var labels = Labels();
        var metres = Metres(labels);
        for (int y = Head.Y; y < Head.Y + Head.Height; y++)
        {
            metres.AsSpan((y * W) + Head.X, Head.Width).Fill(float.NaN);
        }
        metres[(120 * W) + 310] = 2f; // one reading in the head

        var (r3, p3) = Project(labels, Float32(metres), new DepthProjectionOptions { MinPixels = 20 });

        Assert.False(r3[0].Valid);
        Assert.Equal(1, r3[0].PixelsUsed);
        Assert.Equal(0f, r3[0].Z);
        Assert.True(r3[1].Valid);
        Assert.True(p3[0].Valid); // the person still has its torso
    }

    [Fact]
    public void AllZeroSixteenBitDepthGivesNo3D()
    {
        var labels = Labels();
        var depth = new DepthImage(W, H, DepthFormat.UInt16, W * 2, new byte[W * H * 2]);
        var (r3, p3) = Project(labels, depth);
        Assert.All(r3.Concat(p3), p => Assert.False(p.Valid));
        Assert.All(r3.Concat(p3), p => Assert.Equal(0, p.PixelsUsed));
    }

    [Fact]
    public void SixteenBitUnitsFollowTheGivenScale()
    {
        // TUM RGB-D bags store 1/5000 m per unit: 10000 is 2 m.
        var labels = Labels();
        var raw = labels.Select(l => l != 0 ? (ushort)10000 : (ushort)20000).ToArray();
        var depth = new DepthImage(W, H, DepthFormat.UInt16, W * 2, MemoryMarshal.AsBytes(raw.AsSpan()).ToArray(), metresPerUnit: 1.0 / 5000);
        var (r3, _) = Project(labels, depth);
        AssertWithin1Percent(2.0, r3[0].Z, "head z");
    }

    [Fact]
    public void BigEndianAndPaddedRowsReadTheSame()
    {
        var labels = Labels();
        const int step = (W * 2) + 6;
        var data = new byte[step * H];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                ushort mm = labels[(y * W) + x] != 0 ? (ushort)2000 : (ushort)4000;
                data[(y * step) + (2 * x)] = (byte)(mm >> 8);
                data[(y * step) + (2 * x) + 1] = (byte)mm;
            }
        }
        var (r3, _) = Project(labels, new DepthImage(W, H, DepthFormat.UInt16, step, data, bigEndian: true));
        AssertWithin1Percent(2.0, r3[1].Z, "torso z");
        AssertWithin1Percent(Truth(Torso, 2.0).X, r3[1].X, "torso x");
    }

    [Fact]
    public void PeopleWhoseSameClassBoxesOverlapKeepTheirOwnDepth()
    {
        // Person A (head and an arm of class 2 reaching along the bottom) stands at 1.5 m; person B (head and a block
        // of class 2 above A's arm, inside the arm's box) at 3 m; the wall at 5 m. Cells of 8 x 8 pixels.
        string[] map =
        [
            "1....1...",
            "2..22222.",
            "2..22222.",
            "2..22222.",
            "2........",
            "222222222",
        ];
        const int scale = 8, w = 9 * scale, h = 6 * scale;
        var (regions, people, runs, labels) = RegionTests.ExtractWithRuns(map, scale: scale, grouping: PersonGrouping.Components);
        var armA = Assert.Single(regions, r => r.ClassId == 2 && r.Box.X == 0);
        var blockB = Assert.Single(regions, r => r.ClassId == 2 && r.Box.X > 0);
        Assert.NotEqual(armA.PersonId, blockB.PersonId);
        // B's block lies in A's arm box and outnumbers the arm: its class inside that box would put the arm at 3 m.
        Assert.True(blockB.Box.Y >= armA.Box.Y && blockB.Box.X + blockB.Box.Width <= armA.Box.X + armA.Box.Width
            && blockB.Box.Y + blockB.Box.Height <= armA.Box.Y + armA.Box.Height, $"{blockB.Box} is not inside {armA.Box}");
        Assert.True(blockB.PixelCount > armA.PixelCount);

        // B's cells are rows 0-3 from column 3 on; every other labelled cell is A's.
        var metres = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                metres[(y * w) + x] = labels[(y * w) + x] == 0 ? 5f : y / scale <= 3 && x / scale >= 3 ? 3f : 1.5f;
            }
        }
        var depth = new DepthImage(w, h, DepthFormat.Float32, w * 4, MemoryMarshal.AsBytes(metres.AsSpan()).ToArray());
        var r3 = new Position3D[regions.Length];
        var p3 = new Position3D[people.Length];
        new DepthProjector().Project(runs, w, h, regions, people, depth, new CameraIntrinsics(60, 60, (w - 1) / 2.0, (h - 1) / 2.0), r3, p3);

        // A's head, arm and box start at column 0; B's at column 3 or beyond.
        for (int r = 0; r < regions.Length; r++)
        {
            AssertOwnDepth(regions[r].Box.X == 0 ? 1.5 : 3.0, regions[r].PixelCount, r3[r], $"region {r} ({regions[r].Box})");
        }
        Assert.Equal(2, people.Length);
        for (int p = 0; p < people.Length; p++)
        {
            AssertOwnDepth(people[p].Box.X == 0 ? 1.5 : 3.0, people[p].PixelCount, p3[p], $"person {p} ({people[p].Box})");
        }
    }

    private static void AssertOwnDepth(double z, int pixels, Position3D pos, string what)
    {
        Assert.True(pos.Valid, what);
        Assert.True(Math.Abs(pos.Z - z) <= 0.02, $"{what}: expected {z} m, got {pos.Z} m");
        Assert.True(pixels == pos.PixelsUsed, $"{what}: {pos.PixelsUsed} depth pixels used for {pixels} pixels");
    }

    [Fact]
    public void ARunOutsideTheImageOrItsRegionsIsRefused()
    {
        var labels = Labels();
        var depth = Float32(Metres(labels));
        var (regions, people) = Regions();
        foreach (var bad in new PixelRun[] { new(H, 0, 10, 0), new(10, W - 5, W + 1, 0), new(10, 0, 10, regions.Length) })
        {
            var e = Assert.Throws<ArgumentException>(() =>
                new DepthProjector().Project([bad], W, H, regions, people, depth, K, new Position3D[2], new Position3D[1]));
            Assert.Contains("pixel run", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ADepthImageOfAnotherSizeIsRefused()
    {
        var (regions, people) = Regions();
        var depth = new DepthImage(320, 240, DepthFormat.Float32, 320 * 4, new byte[320 * 240 * 4]);
        var e = Assert.Throws<ArgumentException>(() =>
            new DepthProjector().Project(Runs(Labels(), regions), W, H, regions, people, depth, K, new Position3D[2], new Position3D[1]));
        Assert.Contains("320x240", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WarmProjectionAllocatesNothing()
    {
        var labels = Labels();
        var depth = Float32(Metres(labels));
        var (regions, people) = Regions();
        var runs = Runs(labels, regions);
        var r3 = new Position3D[2];
        var p3 = new Position3D[1];
        var projector = new DepthProjector();
        projector.Project(runs, W, H, regions, people, depth, K, r3, p3);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            projector.Project(runs, W, H, regions, people, depth, K, r3, p3);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

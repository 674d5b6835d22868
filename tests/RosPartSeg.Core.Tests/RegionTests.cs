using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Processing;

namespace RosPartSeg.Core.Tests;

public class RegionTests
{
    private static readonly string[] GenericNames = ["background", "part1", "part2", "part3"];

    /// <summary>Regions of a map of grid cells ('.' background, digits class ids), each cell scale x scale input pixels.</summary>
    internal static (PartRegion[] Regions, PersonRegion[] People) Extract(
        string[] map, int minRegion = 0, int minPerson = 0, int scale = 1, float[]? probability = null,
        IReadOnlyList<string>? classNames = null, PersonGrouping grouping = PersonGrouping.Split, float minPersonScore = 0f)
    {
        var (regions, people, _, _) = ExtractWithRuns(map, minRegion, minPerson, scale, probability, classNames, grouping, minPersonScore);
        return (regions, people);
    }

    /// <summary>As <see cref="Extract"/>, with the extractor's pixel runs and the input-size labels (map width x scale wide).</summary>
    internal static (PartRegion[] Regions, PersonRegion[] People, PixelRun[] Runs, byte[] Labels) ExtractWithRuns(
        string[] map, int minRegion = 0, int minPerson = 0, int scale = 1, float[]? probability = null,
        IReadOnlyList<string>? classNames = null, PersonGrouping grouping = PersonGrouping.Split, float minPersonScore = 0f)
    {
        int h = map.Length, w = map[0].Length;
        var grid = new byte[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                grid[(y * w) + x] = map[y][x] == '.' ? (byte)0 : (byte)(map[y][x] - '0');
            }
        }
        // Input `scale` times the grid: every cell covers scale x scale input pixels.
        var g = new FrameGeometry(w * scale, h * scale, w * 4, h * 4, w, h, ResizeMode.Stretch);
        var regions = Array.Empty<PartRegion>();
        var people = Array.Empty<PersonRegion>();
        var labels = new byte[g.InputWidth * g.InputHeight];
        LabelRenderer.UpscaleLabels(grid, g, labels);
        var extractor = new RegionExtractor(new BodyStructure(classNames ?? GenericNames));
        extractor.Extract(grid, probability ?? [], labels, g, grouping, minRegion, minPerson, minPersonScore, ref regions, out int n, ref people, out int p);
        return (regions[..n], people[..p], extractor.Runs.ToArray(), labels);
    }

    [Fact]
    public void TouchingCellsOfOneClassFormOneRegionWithExactStats()
    {
        var (regions, people) = Extract(
        [
            "11..",
            ".1..",
            "....",
        ]);
        var r = Assert.Single(regions);
        Assert.Equal(new PartRegion(1, 0, new PixelBox(0, 0, 2, 2), 3, 2f / 3f, 1f / 3f, 0f), r);
        Assert.Single(people);
    }

    [Fact]
    public void DiagonalNeighboursAreConnected()
    {
        var (regions, people) = Extract(
        [
            "1...",
            ".1..",
            "..1.",
        ]);
        Assert.Equal(new PixelBox(0, 0, 3, 3), Assert.Single(regions).Box);
        Assert.Equal(3, Assert.Single(people).PixelCount);
    }

    [Fact]
    public void HoleIsExcludedFromAreaButNotFromTheBox()
    {
        var (regions, _) = Extract(
        [
            "222",
            "2.2",
            "222",
        ]);
        var r = Assert.Single(regions);
        Assert.Equal(8, r.PixelCount);
        Assert.Equal(new PixelBox(0, 0, 3, 3), r.Box);
        Assert.Equal((1f, 1f), (r.CentroidX, r.CentroidY));
    }

    [Fact]
    public void DifferentClassesTouchingAreSeparateRegionsOfOnePerson()
    {
        var (regions, people) = Extract(
        [
            "1122",
            "1122",
        ]);
        Assert.Equal(2, regions.Length);
        Assert.Equal([1, 2], regions.Select(r => r.ClassId));
        Assert.All(regions, r => Assert.Equal(0, r.PersonId));
        Assert.Equal(new PixelBox(0, 0, 4, 2), Assert.Single(people).Box);
    }

    [Fact]
    public void PeopleAreSeparatedByBackgroundAndOrderedLargerFirst()
    {
        var (regions, people) = Extract(
        [
            "1...22",
            "....22",
            "3...2.",
        ]);
        // Right person (5 cells) first, then the two single cells in raster order.
        Assert.Equal([5, 1, 1], people.Select(p => p.PixelCount));
        Assert.Equal(new PixelBox(4, 0, 2, 3), people[0].Box);
        Assert.Equal(new PixelBox(0, 0, 1, 1), people[1].Box);
        Assert.Equal(new PixelBox(0, 2, 1, 1), people[2].Box);
        // Regions by class, then person.
        Assert.Equal([(1, 1), (2, 0), (3, 2)], regions.Select(r => (r.ClassId, r.PersonId)));
    }

    [Fact]
    public void MinimumAreasDropSmallRegionsAndSmallPeopleWithTheirParts()
    {
        string[] map =
        [
            "11.2",
            "13..",
        ];
        var (regions, people) = Extract(map, minRegion: 2);
        Assert.Equal([1], regions.Select(r => r.ClassId));
        Assert.Equal(2, people.Length);

        (regions, people) = Extract(map, minPerson: 2);
        Assert.Single(people);
        Assert.Equal([1, 3], regions.Select(r => r.ClassId));
    }

    [Fact]
    public void CellsAreMeasuredInInputPixels()
    {
        var (regions, _) = Extract(
        [
            "...",
            ".11",
        ], scale: 4);
        var r = Assert.Single(regions);
        Assert.Equal(new PixelBox(4, 4, 8, 4), r.Box);
        Assert.Equal(32, r.PixelCount);
        Assert.Equal((7.5f, 5.5f), (r.CentroidX, r.CentroidY));
    }

    [Fact]
    public void ScoreIsTheAreaWeightedMeanProbability()
    {
        var (regions, people) = Extract(["11"], probability: [0.5f, 1f]);
        Assert.Equal(0.75f, Assert.Single(regions).Score, 5);
        Assert.Equal(0.75f, Assert.Single(people).Score, 5);
        Assert.Equal(1, people[0].PartCount);
    }

    [Fact]
    public void PeopleBelowTheMinimumScoreAreDroppedWithTheirParts()
    {
        // Two people (components): the left one scores (0.9 + 0.7 + 0.8) / 3 = 0.8, the right one (0.4 + 0.6) / 2 = 0.5.
        string[] map = ["12..3", "1...3"];
        float[] probability = [0.9f, 0.7f, 0f, 0f, 0.4f, 0.8f, 0f, 0f, 0f, 0.6f];
        var all = Extract(map, probability: probability, grouping: PersonGrouping.Components);
        Assert.Equal([0.8f, 0.5f], all.People.Select(p => MathF.Round(p.Score, 5)));
        Assert.Equal(3, all.Regions.Length);

        var sure = Extract(map, probability: probability, grouping: PersonGrouping.Components, minPersonScore: 0.6f);
        var kept = Assert.Single(sure.People);
        Assert.Equal(0.8f, kept.Score, 5);
        Assert.Equal([1, 2], sure.Regions.Select(r => r.ClassId));
        Assert.All(sure.Regions, r => Assert.Equal(kept.PersonId, r.PersonId));

        // The bound is inclusive: a person scoring exactly the minimum stays.
        Assert.Equal(2, Extract(map, probability: probability, grouping: PersonGrouping.Components, minPersonScore: 0.5f).People.Length);
    }

    [Fact]
    public void SameInputGivesTheSameOrderEveryTime()
    {
        string[] map = ["1.1.1", ".....", "1.1.1"];
        var first = Extract(map);
        var second = Extract(map);
        Assert.Equal(first.Regions, second.Regions);
        Assert.Equal(6, first.Regions.Length);
        Assert.Equal(Enumerable.Range(0, 6), first.Regions.Select(r => r.PersonId));
    }

    [Fact]
    public void RunsCoverExactlyEachRegionAndMarkDroppedRegions()
    {
        // Two people whose torsos touch (split between them), cells of 4 x 4 pixels; the single-cell legs and foot
        // (16 pixels) are below the minimum area and dropped.
        string[] map =
        [
            ".......11.",
            "..11...11.",
            "..11..222.",
            ".22222222.",
            ".22222222.",
            ".22222222.",
            ".66.6.66..",
            ".7....78..",
        ];
        const int scale = 4, width = 10 * scale;
        string[] body = ["background", "head", "torso", "upper_arm", "lower_arm", "hand", "upper_leg", "lower_leg", "foot"];
        var (regions, people, runs, labels) = ExtractWithRuns(map, minRegion: 20, scale: scale, classNames: body);
        Assert.Equal(2, people.Length);

        for (int r = 0; r < regions.Length; r++)
        {
            Assert.Equal(regions[r].PixelCount, runs.Where(run => run.Region == r).Sum(run => run.X1 - run.X0));
        }
        Assert.All(runs, run => Assert.InRange(run.Region, -1, regions.Length - 1));
        // Every labelled pixel is in exactly one run (nearest upscaling gives each pixel its cell's region); those of
        // dropped regions carry -1.
        var covered = new int[labels.Length];
        foreach (var run in runs)
        {
            for (int x = run.X0; x < run.X1; x++)
            {
                int i = (run.Y * width) + x;
                covered[i]++;
                Assert.True(run.Region < 0 || labels[i] == regions[run.Region].ClassId, $"pixel ({x}, {run.Y}) is not of its region's class");
            }
        }
        Assert.Equal(labels.Select(l => l != 0 ? 1 : 0), covered);
        int dropped = runs.Where(run => run.Region < 0).Sum(run => run.X1 - run.X0);
        Assert.Equal(labels.Count(l => l != 0) - regions.Sum(r => r.PixelCount), dropped);
        Assert.True(dropped >= 4 * scale * scale, $"{dropped} pixels dropped"); // at least the four single cells
    }
}

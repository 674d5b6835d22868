using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Core.Tests;

/// <summary>
/// Splitting touching people on label maps with the bundled model's classes: 1 head, 2 torso, 3 upper arm,
/// 4 lower arm, 5 hand, 6 upper leg, 7 lower leg, 8 foot. One map cell is one input pixel.
/// </summary>
public class SplitTests
{
    private static readonly string[] Body = ["background", "head", "torso", "upper_arm", "lower_arm", "hand", "upper_leg", "lower_leg", "foot"];

    private static (PartRegion[] Regions, PersonRegion[] People) Split(string[] map, PersonGrouping grouping = PersonGrouping.Split)
        => RegionTests.Extract(map, classNames: Body, grouping: grouping);

    // The person of the region that contains cell (x, y).
    private static int PersonAt(PartRegion[] regions, string[] map, int x, int y)
        => Assert.Single(regions, r => r.ClassId == map[y][x] - '0' && r.Box.X <= x && x < r.Box.X + r.Box.Width && r.Box.Y <= y && y < r.Box.Y + r.Box.Height).PersonId;

    [Fact]
    public void TwoPeopleTouchingAtTheHandsStayTwo()
    {
        string[] map =
        [
            "..11..........11..",
            "..11..........11..",
            ".2222........2222.",
            ".2222334554332222.",
            ".2222........2222.",
            ".66.66......66.66.",
            ".77.77......77.77.",
        ];
        var (regions, people) = Split(map);
        // Equal areas (28 pixels each); the left one's first cell comes first in raster order.
        Assert.Equal([new PixelBox(1, 0, 8, 7), new PixelBox(9, 0, 8, 7)], people.Select(p => p.Box));
        Assert.Equal([28, 28], people.Select(p => p.PixelCount));
        // The touching hands are split between their people, each reached through its own arm.
        Assert.Equal((0, 1), (PersonAt(regions, map, 8, 3), PersonAt(regions, map, 9, 3)));
        Assert.All(regions, r => Assert.Equal(r.Box.X + r.Box.Width <= 9 ? 0 : 1, r.PersonId));
        Assert.Equal([9, 9], people.Select(p => p.PartCount));
        // Connected-component grouping merges them: the old behaviour, still selectable.
        Assert.Single(Split(map, PersonGrouping.Components).People);
    }

    [Fact]
    public void APersonBehindAnotherKeepsTheTorsoBesideTheFrontOne()
    {
        // The back person's head shows above-right of the front person's; their torsos form one region.
        string[] map =
        [
            ".......11.",
            "..11...11.",
            "..11..222.",
            ".22222222.",
            ".22222222.",
            ".22222222.",
            ".66.6.66..",
        ];
        var (regions, people) = Split(map);
        Assert.Equal(2, people.Length);
        int front = PersonAt(regions, map, 2, 1), back = PersonAt(regions, map, 7, 0);
        Assert.NotEqual(front, back);
        Assert.Equal(front, PersonAt(regions, map, 1, 4));
        Assert.Equal(back, PersonAt(regions, map, 8, 4));
        Assert.Equal(front, PersonAt(regions, map, 1, 6));
        Assert.Equal(back, PersonAt(regions, map, 7, 6));
        Assert.Equal(people.Sum(p => p.PixelCount), map.Sum(row => row.Count(c => c != '.')));
        // Growth from both heads meets in columns 5-6: the front person (larger, so first) keeps the left of the torso.
        Assert.Equal([(new PixelBox(1, 1, 6, 6), 22, 5), (new PixelBox(5, 0, 4, 7), 18, 3)], people.Select(p => (p.Box, p.PixelCount, p.PartCount)));
    }

    [Fact]
    public void APersonWithAHiddenHeadIsSeededByItsTorso()
    {
        string[] map =
        [
            "..11.......",
            "..11.......",
            ".222222222.",
            ".222222222.",
            ".222222222.",
            ".66.6..6.6.",
        ];
        var (regions, people) = Split(map);
        // The head claims torso only within 1.5 head widths of its centre (columns 0-5); the rest is a second person.
        Assert.Equal(2, people.Length);
        int headed = PersonAt(regions, map, 2, 0);
        Assert.Equal(headed, PersonAt(regions, map, 1, 5));
        Assert.NotEqual(headed, PersonAt(regions, map, 9, 5));
        Assert.Equal([new PixelBox(1, 0, 5, 6), new PixelBox(6, 2, 4, 4)], people.OrderBy(p => p.Box.X).Select(p => p.Box));
    }

    [Fact]
    public void ATallHeadlessTorsoStaysOnePersonWhateverTheHeadsElsewhere()
    {
        // A small head (2 wide) at the left sets the torso width measure to 5; the headless torso at the right is
        // 10 wide but 12 tall, so it is one person, not two strips (a strip may not be narrower than half its height).
        string[] map =
        [
            ".11...............",
            ".11...............",
            "2222....2222222222",
            "2222....2222222222",
            "........2222222222",
            "........2222222222",
            "........2222222222",
            "........2222222222",
            "........2222222222",
            "........2222222222",
            "........2222222222",
            "........2222222222",
            "........2222222222",
            "........2222222222",
        ];
        var (_, people) = Split(map);
        Assert.Equal([new PixelBox(0, 0, 4, 4), new PixelBox(8, 2, 10, 12)], people.OrderBy(p => p.Box.X).Select(p => p.Box));
    }

    [Fact]
    public void AWideHeadlessTorsoAreaIsOnePersonPerTorsoWidth()
    {
        // Three torsos shoulder to shoulder, their heads hidden: 15 wide, 4 tall, one person per 2.5 head widths (5).
        string[] map =
        [
            ".11.....................",
            ".11.....................",
            "2222.....222222222222222",
            "2222.....222222222222222",
            ".........222222222222222",
            ".........222222222222222",
        ];
        var (_, people) = Split(map);
        Assert.Equal([new PixelBox(0, 0, 4, 4), new PixelBox(9, 2, 5, 4), new PixelBox(14, 2, 5, 4), new PixelBox(19, 2, 5, 4)],
            people.OrderBy(p => p.Box.X).Select(p => p.Box));
    }

    [Fact]
    public void APersonBendingOverKeepsTheFarEndOfTheTorso()
    {
        // The torso reaches right beyond the head's band (1.5 head widths either side of its centre); the remnant
        // there (6 cells) is less than two head areas (8), too little for a second person whose head is hidden.
        string[] map =
        [
            ".11.....",
            ".11.....",
            "22222222",
            "22222222",
            ".66...66",
        ];
        var (_, people) = Split(map);
        var person = Assert.Single(people);
        Assert.Equal((new PixelBox(0, 0, 8, 5), 24), (person.Box, person.PixelCount));
    }

    [Fact]
    public void ALoneArmIsOnePerson()
    {
        var (regions, people) = Split(["......", ".33445", ".3344."]);
        var person = Assert.Single(people);
        Assert.Equal((new PixelBox(1, 1, 5, 2), 9, 3), (person.Box, person.PixelCount, person.PartCount));
        Assert.Equal([3, 4, 5], regions.Select(r => r.ClassId));
    }

    [Fact]
    public void AHandTouchingAnotherPersonsTorsoStaysWithItsOwnArm()
    {
        // Person A's hand (columns 6-7) rests on person B's torso; B's torso must not join A through it.
        string[] map =
        [
            "..11.......11.",
            "..11.......11.",
            ".2222.....2222",
            ".22223345522222",
            ".2222.....2222",
        ];
        map = map.Select(r => r.PadRight(15, '.')).ToArray();
        var (regions, people) = Split(map);
        Assert.Equal(2, people.Length);
        int a = PersonAt(regions, map, 2, 0), b = PersonAt(regions, map, 11, 0);
        Assert.Equal(a, PersonAt(regions, map, 8, 3));
        Assert.Equal(b, PersonAt(regions, map, 11, 3));
    }

    [Fact]
    public void SplittingIsDeterministic()
    {
        string[] map = ["..11..11..", ".22222222.", ".22222222.", ".66.66.66."];
        Assert.Equal(Split(map).Regions, Split(map).Regions);
        Assert.Equal(Split(map).People, Split(map).People);
    }
}

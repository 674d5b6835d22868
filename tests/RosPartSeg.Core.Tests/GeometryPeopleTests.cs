using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Processing;

namespace RosPartSeg.Core.Tests;

/// <summary>
/// People and regions do not depend on how the input reached the grid: a 4:3 camera letterboxed, or an input
/// smaller than the output grid, gives what the same grid content gives stretched from a 16:9 input of the
/// network's own size (square cells). The network output is chosen by the test (the bundled model's grid and
/// classes: 1 head, 2 torso).
/// </summary>
public class GeometryPeopleTests
{
    private const int NetW = 512, NetH = 288, GridW = 128, GridH = 72;
    private static readonly string[] Body = ["background", "head", "torso", "upper_arm", "lower_arm", "hand", "upper_leg", "lower_leg", "foot"];

    private sealed class FixedBackend(float[] output) : IInferenceBackend
    {
        private readonly float[] _input = new float[3 * NetW * NetH];

        public string Provider => "fixed";
        public int InputWidth => NetW;
        public int InputHeight => NetH;
        public Span<float> Input => _input;
        public int OutputClasses => Body.Length;
        public int OutputHeight => GridH;
        public int OutputWidth => GridW;
        public ReadOnlySpan<float> Output => output;

        public void Run() { }

        public void Dispose() { }
    }

    // Class scores that make the grid argmax the given cells (class per cell, 0 elsewhere).
    private static float[] Scores(Func<int, int, int> classAt)
    {
        var scores = new float[Body.Length * GridW * GridH];
        for (int y = 0; y < GridH; y++)
        {
            for (int x = 0; x < GridW; x++)
            {
                scores[(classAt(x, y) * GridW * GridH) + (y * GridW) + x] = 5f;
            }
        }
        return scores;
    }

    private static (PartRegion[] Regions, PersonRegion[] People) Run(Func<int, int, int> classAt, int width, int height, ResizeMode resize)
    {
        var model = TestFrames.Model(classes: Body.Length, width: NetW, height: NetH) with { ClassNames = Body };
        var options = new PipelineOptions
        {
            Resize = resize, OverlayAnnotations = OverlayAnnotations.None, MinPersonArea = 0, MinRegionArea = 0, PersonGrouping = PersonGrouping.Split,
        };
        using var pipeline = new SegmentationPipeline(new FixedBackend(Scores(classAt)), model, options);
        var frame = new ImageFrame(width, height, PixelEncoding.Rgb8, width * 3, new byte[width * height * 3]);
        var r = pipeline.Process(frame, PipelineOutputs.Regions);
        return (r.Regions.ToArray(), r.People.ToArray());
    }

    // Two heads side by side, touching (each 7 cells wide, 8 tall: a head's shape on square cells), each over its own torso.
    private static int TwoHeads(int x, int y) =>
        y is >= 20 and <= 27 && x is >= 50 and <= 63 ? 1
        : y is >= 28 and <= 45 && (x is >= 49 and <= 55 || x is >= 58 and <= 64) ? 2
        : 0;

    [Fact]
    public void A_letterboxed_4_to_3_frame_keeps_two_touching_heads_apart_as_stretched_content_does()
    {
        // 640x480 letterboxed into 512x288: content 384x288 at x 64, so grid columns 16..111 hold the image with
        // square cells of 6.67 input pixels, as the 512x288 input's are 4 pixels square.
        var stretched = Run(TwoHeads, NetW, NetH, ResizeMode.Stretch);
        var letterboxed = Run(TwoHeads, 640, 480, ResizeMode.Letterbox);
        Assert.Equal(2, stretched.People.Length);
        Assert.Equal(stretched.People.Length, letterboxed.People.Length);
        Assert.Equal(stretched.Regions.Length, letterboxed.Regions.Length);
    }

    [Fact]
    public void Letterbox_geometry_measures_cells_in_input_pixels_of_the_content()
    {
        var g = new FrameGeometry(640, 480, NetW, NetH, GridW, GridH, ResizeMode.Letterbox);
        Assert.Equal((6.667, 6.667), (Math.Round(g.CellWidth, 3), Math.Round(g.CellHeight, 3)));
        Assert.Equal(1f, g.CellAspect, 3);
        Assert.Equal((16, 111, 0, 71), (g.ContentCol0, g.ContentCol1, g.ContentRow0, g.ContentRow1));
        var s = new FrameGeometry(640, 480, NetW, NetH, GridW, GridH, ResizeMode.Stretch);
        Assert.Equal((5.0, 480.0 / 72), (s.CellWidth, s.CellHeight));
        Assert.Equal((0, 127, 0, 71), (s.ContentCol0, s.ContentCol1, s.ContentRow0, s.ContentRow1));
    }

    // One person: a head over a torso one and a half heads wide.
    private static int OnePerson(int x, int y) =>
        y is >= 10 and <= 17 && x is >= 40 and <= 46 ? 1
        : y is >= 18 and <= 50 && x is >= 38 and <= 48 ? 2
        : 0;

    [Fact]
    public void An_input_smaller_than_the_grid_keeps_its_regions_whole()
    {
        // 100x80 under a 128x72 grid: 28 grid columns get no input column of their own; they are inside the image,
        // not padding, and must not cut the torso into strips.
        var stretched = Run(OnePerson, NetW, NetH, ResizeMode.Stretch);
        var small = Run(OnePerson, 100, 80, ResizeMode.Stretch);
        Assert.True(stretched.Regions.Length == 2, string.Join("; ", stretched.Regions) + " / " + string.Join("; ", small.Regions));
        Assert.Equal(stretched.Regions.Select(r => r.ClassId), small.Regions.Select(r => r.ClassId));
        Assert.Single(small.People);
        var torso = Assert.Single(small.Regions, r => r.ClassId == 2);
        // Grid columns 38..48 of 128 are input columns 29..38 of 100: one box without gaps.
        Assert.Equal(torso.Box.Width * torso.Box.Height, torso.PixelCount);
    }
}

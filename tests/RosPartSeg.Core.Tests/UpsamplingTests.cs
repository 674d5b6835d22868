using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Processing;
using RosPartSeg.Inference;

namespace RosPartSeg.Core.Tests;

/// <summary>Bilinear labels against a direct full interpolation of every class's scores.</summary>
public class UpsamplingTests
{
    // Full bilinear interpolation of all classes between cell centres, written from the definition.
    private static byte[] Reference(float[] scores, int classes, FrameGeometry g)
    {
        int gw = g.GridWidth, gh = g.GridHeight, cells = gw * gh;
        var labels = new byte[g.InputWidth * g.InputHeight];
        for (int y = 0; y < g.InputHeight; y++)
        {
            var (y0, y1, fy) = Axis(y, g.InputHeight, g.OffsetY, g.ContentHeight, g.NetHeight, gh, g.CellYCount);
            for (int x = 0; x < g.InputWidth; x++)
            {
                var (x0, x1, fx) = Axis(x, g.InputWidth, g.OffsetX, g.ContentWidth, g.NetWidth, gw, g.CellXCount);
                int best = 0;
                double bestValue = double.NegativeInfinity;
                for (int c = 0; c < classes; c++)
                {
                    double S(int cx, int cy) => scores[(c * cells) + (cy * gw) + cx];
                    double v = ((1 - fy) * (((1 - fx) * S(x0, y0)) + (fx * S(x1, y0)))) + (fy * (((1 - fx) * S(x0, y1)) + (fx * S(x1, y1))));
                    if (v > bestValue)
                    {
                        best = c;
                        bestValue = v;
                    }
                }
                labels[(y * g.InputWidth) + x] = (byte)best;
            }
        }
        return labels;
    }

    // Cell-centre coordinate of an input pixel centre, clamped to the cells that cover the image.
    private static (int A, int B, double F) Axis(int x, int size, int offset, int content, int net, int grid, int[] covered)
    {
        int first = Array.FindIndex(covered, c => c > 0), last = Array.FindLastIndex(covered, c => c > 0);
        double cell = Math.Clamp(((offset + ((x + 0.5) * content / size)) * grid / net) - 0.5, first, last);
        int a = (int)Math.Floor(cell), b = Math.Min(a + 1, last);
        return (a, b, b == a ? 0 : cell - a);
    }

    private static byte[] Bilinear(float[] scores, int classes, FrameGeometry g)
    {
        int cells = g.GridWidth * g.GridHeight;
        var grid = new byte[cells];
        LabelDecoder.Argmax(scores, classes, grid, new float[cells]);
        var labels = new byte[g.InputWidth * g.InputHeight];
        new LabelUpsampler().Bilinear(grid, scores, classes, g, labels);
        return labels;
    }

    [Fact]
    public void BoundaryFollowsTheScoresNotTheCellEdge()
    {
        // Two cells side by side, 4 input pixels each. Class 0 scores [2, 0], class 1 [0, 1]: class 1 wins where
        // f > 2 (1 - f), f > 2/3; pixel centres sit at f = 0.125, 0.375, 0.625, 0.875 between the cell centres.
        var g = new FrameGeometry(8, 1, 8, 4, 2, 1, ResizeMode.Stretch);
        var labels = Bilinear([2, 0, /**/ 0, 1], 2, g);
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], labels);
        var nearest = new byte[8];
        LabelRenderer.UpscaleLabels([0, 1], g, nearest);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], nearest);
    }

    [Theory]
    [InlineData(7, 5, 37, 23, ResizeMode.Stretch, 1)]
    [InlineData(8, 6, 64, 48, ResizeMode.Stretch, 2)]
    [InlineData(8, 4, 50, 60, ResizeMode.Letterbox, 3)]
    [InlineData(6, 6, 30, 17, ResizeMode.Letterbox, 4)]
    public void TwoClassesMatchTheFullInterpolationExactly(int gw, int gh, int w, int h, ResizeMode mode, int seed)
    {
        // With two classes the four cells around a boundary pixel always hold both, so the shortcut is exact.
        var rng = new Random(seed);
        var scores = Enumerable.Range(0, 2 * gw * gh).Select(_ => (float)rng.NextDouble()).ToArray();
        var g = new FrameGeometry(w, h, gw * 4, gh * 4, gw, gh, mode);
        var grid = new byte[gw * gh];
        LabelDecoder.Argmax(scores, 2, grid, new float[gw * gh]);
        // Padding cells are background, as the pipeline clears them.
        for (int i = 0; i < grid.Length; i++)
        {
            if (g.CellXCount[i % gw] == 0 || g.CellYCount[i / gw] == 0)
            {
                grid[i] = 0;
            }
        }
        var labels = new byte[w * h];
        new LabelUpsampler().Bilinear(grid, scores, 2, g, labels);
        Assert.Equal(Reference(scores, 2, g), labels);
    }

    [SharedFact]
    public void OnARealPhotoTheShortcutAgreesWithFullInterpolationOnAtLeast999Permille()
    {
        var config = new SegmenterConfig { ModelPath = OnnxFile.BundledModel(), Pipeline = new PipelineOptions { OverlayAnnotations = OverlayAnnotations.None } };
        using var pipeline = SegmenterFactory.Create(config);
        var photo = Imaging.ImageCodec.Read(SharedData.People("humans_1.jpg")).ToFrame(new Timestamp(1, 2), "cam");
        var r = pipeline.Process(photo);
        var g = new FrameGeometry(photo.Width, photo.Height, pipeline.Model.InputWidth, pipeline.Model.InputHeight, pipeline.GridWidth, pipeline.GridHeight, ResizeMode.Stretch);
        var reference = Reference(pipeline.Scores.ToArray(), pipeline.Model.ClassCount, g);
        var labels = r.Labels.ToArray();
        int same = labels.Zip(reference).Count(p => p.First == p.Second);
        Assert.True(same >= 0.999 * labels.Length, $"{same} of {labels.Length} pixels agree");
        // And the smooth labels are not the staircase: some pixels differ from nearest-neighbour upscaling.
        var grid = new byte[g.GridWidth * g.GridHeight];
        LabelDecoder.Argmax(pipeline.Scores, pipeline.Model.ClassCount, grid, new float[grid.Length]);
        var nearest = new byte[labels.Length];
        LabelRenderer.UpscaleLabels(grid, g, nearest);
        Assert.True(labels.Zip(nearest).Count(p => p.First != p.Second) > 1000);
    }
}

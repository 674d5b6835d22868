using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Processing;

namespace RosPartSeg.Core.Tests;

public class LabelTests
{
    [Fact]
    public void ArgmaxPicksTheHighestScoreAndTiesGoToTheLowerClass()
    {
        // 3 classes x 4 cells, planar.
        float[] scores = [1, 5, 0, 2, /**/ 3, 5, -1, 2, /**/ 2, 4, -2, 9];
        var labels = new byte[4];
        var best = new float[4];
        LabelDecoder.Argmax(scores, 3, labels, best);
        Assert.Equal([1, 0, 0, 2], labels);
        Assert.Equal([3f, 5f, 0f, 9f], best);
    }

    [Fact]
    public void BestProbabilityIsTheSoftmaxOfTheWinningClass()
    {
        float[] scores = [0, 1, /**/ 0, 0, /**/ 0, 3];
        var labels = new byte[2];
        var best = new float[2];
        var sums = new float[2];
        LabelDecoder.Argmax(scores, 3, labels, best);
        LabelDecoder.BestProbability(scores, 3, best, sums);
        Assert.Equal(1f / 3f, best[0], 6);
        double e = Math.Exp(3);
        Assert.Equal(e / (e + Math.Exp(1) + 1), best[1], 5);
    }

    [Fact]
    public void BestProbabilityAgreesOnVectorAndScalarLanes()
    {
        var rng = new Random(3);
        int cells = 37, classes = 4;
        var scores = Enumerable.Range(0, cells * classes).Select(_ => (float)((rng.NextDouble() * 20) - 10)).ToArray();
        var labels = new byte[cells];
        var best = new float[cells];
        LabelDecoder.Argmax(scores, classes, labels, best);
        LabelDecoder.BestProbability(scores, classes, best, new float[cells]);
        for (int i = 0; i < cells; i++)
        {
            double max = Enumerable.Range(0, classes).Max(c => scores[(c * cells) + i]);
            double sum = Enumerable.Range(0, classes).Sum(c => Math.Exp(scores[(c * cells) + i] - max));
            Assert.Equal(1 / sum, best[i], 4);
        }
    }

    [Fact]
    public void UpscaleIsNearestNeighbourAndNeverBlendsIds()
    {
        // Grid 2x2 -> input 4x4 (network 8x8 with a 2x2 grid, stride 4).
        var g = new FrameGeometry(4, 4, 8, 8, 2, 2, ResizeMode.Stretch);
        byte[] grid = [1, 2, 3, 4];
        var labels = new byte[16];
        LabelRenderer.UpscaleLabels(grid, g, labels);
        Assert.Equal([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], labels);
    }

    [Fact]
    public void UpscaleToOddSizesUsesPixelCentres()
    {
        var g = new FrameGeometry(5, 1, 8, 4, 2, 1, ResizeMode.Stretch);
        var labels = new byte[5];
        LabelRenderer.UpscaleLabels([7, 9], g, labels);
        // Centres 0.5..4.5 of 5 map to grid 0.1..0.9 of 2: the middle pixel (2.5/5 = 0.5) goes right.
        Assert.Equal([7, 7, 9, 9, 9], labels);
    }

    [Fact]
    public void ColorizeUsesThePaletteAndBlackForUnknownIds()
    {
        var renderer = new LabelRenderer([new Rgb(0, 0, 0), new Rgb(1, 2, 3), new Rgb(200, 100, 50)]);
        byte[] labels = [0, 1, 2, 77];
        var rgb = new byte[12];
        renderer.Colorize(labels, 2, 2, rgb);
        Assert.Equal([0, 0, 0, 1, 2, 3, 200, 100, 50, 0, 0, 0], rgb);
    }

    [Fact]
    public void ColorizeHandlesRepeatedRows()
    {
        var renderer = new LabelRenderer([new Rgb(0, 0, 0), new Rgb(9, 8, 7)]);
        byte[] labels = [1, 0, 1, 0, 0, 1];
        var rgb = new byte[18];
        renderer.Colorize(labels, 2, 3, rgb);
        Assert.Equal([9, 8, 7, 0, 0, 0, 9, 8, 7, 0, 0, 0, 0, 0, 0, 9, 8, 7], rgb);
    }

    [Theory]
    [InlineData(0.5f, 105, 55, 30)]   // (v*128 + c*128 + 128) >> 8
    [InlineData(0f, 10, 20, 30)]
    [InlineData(1f, 200, 90, 30)]
    [InlineData(0.25f, 58, 38, 30)]   // (v*192 + c*64 + 128) >> 8
    public void OverlayBlendsForegroundExactlyAndKeepsBackground(float alpha, int r, int g, int b)
    {
        var renderer = new LabelRenderer([new Rgb(0, 0, 0), new Rgb(200, 90, 30)]);
        var frame = TestFrames.FromRgb([[10, 20, 30], [10, 20, 30]], 2, 1, PixelEncoding.Bgr8, padding: 2);
        var rgb = new byte[6];
        renderer.Overlay(frame, [0, 1], alpha, rgb);
        Assert.Equal([10, 20, 30, (byte)r, (byte)g, (byte)b], rgb);
    }
}

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

    // Labels in runs of random lengths (background runs of 0 to 20 pixels between part runs), as upscaled labels come.
    private static byte[] RunLabels(int count, int classes, int seed)
    {
        var random = new Random(seed);
        var labels = new byte[count];
        for (int i = 0; i < count;)
        {
            int n = Math.Min(count - i, random.Next(0, 21));
            byte label = (byte)random.Next(0, classes);
            labels.AsSpan(i, n).Fill(label);
            i += n;
        }
        return labels;
    }

    [Theory]
    [InlineData(PixelEncoding.Rgb8)]
    [InlineData(PixelEncoding.Bgr8)]
    [InlineData(PixelEncoding.Rgba8)]
    [InlineData(PixelEncoding.Bgra8)]
    [InlineData(PixelEncoding.Mono8)]
    public void OverlayOnLongRowsEqualsTheBlendOfEveryPixel(PixelEncoding encoding)
    {
        // Rows long enough for the run copies and the five-pixel shuffle of bgr8, with odd run lengths and padding.
        const int width = 67, height = 5, classes = 4;
        Rgb[] palette = [new(0, 0, 0), new(200, 90, 30), new(10, 250, 128), new(77, 0, 255)];
        var renderer = new LabelRenderer(palette);
        var random = new Random(3);
        var pixels = Enumerable.Range(0, width * height).Select(_ => new[] { (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256) }).ToArray();
        if (encoding == PixelEncoding.Mono8)
        {
            pixels = pixels.Select(p => new[] { p[0], p[0], p[0] }).ToArray();
        }
        var frame = TestFrames.FromRgb(pixels, width, height, encoding, padding: 5);
        var labels = RunLabels(width * height, classes, seed: 11);
        var rgb = new byte[width * height * 3];
        renderer.Overlay(frame, labels, 0.4f, rgb);

        int a = (int)MathF.Round(0.4f * 256f), ia = 256 - a;
        var expected = new byte[rgb.Length];
        for (int i = 0; i < width * height; i++)
        {
            var c = palette[labels[i]];
            byte[] colour = [c.R, c.G, c.B];
            for (int k = 0; k < 3; k++)
            {
                int v = pixels[i][k];
                expected[(i * 3) + k] = labels[i] == 0 ? (byte)v : (byte)(((v * ia) + (colour[k] * a) + 128) >> 8);
            }
        }
        Assert.Equal(expected, rgb);
    }

    [Fact]
    public void ColorizeOnRunsEqualsThePaletteOfEveryPixel()
    {
        Rgb[] palette = [new(0, 0, 0), new(1, 2, 3), new(200, 100, 50), new(9, 8, 7)];
        var renderer = new LabelRenderer(palette);
        const int width = 83, height = 6;
        var labels = RunLabels(width * height, 5, seed: 5); // id 4 is beyond the palette: black
        labels.AsSpan(2 * width, width).CopyTo(labels.AsSpan(3 * width)); // one repeated row
        var rgb = new byte[width * height * 3];
        Array.Fill(rgb, (byte)0xAB);
        renderer.Colorize(labels, width, height, rgb);
        var expected = labels.SelectMany(l => l < palette.Length ? new[] { palette[l].R, palette[l].G, palette[l].B } : new byte[3]).ToArray();
        Assert.Equal(expected, rgb);
    }

    [Fact]
    public void ArgmaxInBlocksEqualsTheCellByCellDefinition()
    {
        // 9 classes over 101 cells (not a whole number of SIMD blocks), scores rounded so ties are frequent.
        const int classes = 9, cells = 101;
        var random = new Random(8);
        var scores = Enumerable.Range(0, classes * cells).Select(_ => MathF.Round((float)random.NextDouble() * 4f)).ToArray();
        var labels = new byte[cells];
        var best = new float[cells];
        LabelDecoder.Argmax(scores, classes, labels, best);
        for (int i = 0; i < cells; i++)
        {
            int id = 0;
            for (int c = 1; c < classes; c++)
            {
                if (scores[(c * cells) + i] > scores[(id * cells) + i])
                {
                    id = c;
                }
            }
            Assert.Equal(id, labels[i]);
            Assert.Equal(scores[(id * cells) + i], best[i]);
        }
    }
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Processing;

namespace RosPartSeg.Core.Tests;

public class PreprocessorTests
{
    private static readonly byte[][] Pixels = [[10, 20, 30], [40, 50, 60], [70, 80, 90], [100, 110, 120]];

    private static float[] Run(in ImageFrame frame, ModelInfo model, int netW, int netH, ResizeMode mode = ResizeMode.Stretch)
    {
        var g = new FrameGeometry(frame.Width, frame.Height, netW, netH, netW, netH, mode);
        var tensor = new float[3 * netW * netH];
        Array.Fill(tensor, float.NaN);
        new Preprocessor(model).Run(frame, g, tensor);
        return tensor;
    }

    [Theory]
    [InlineData(PixelEncoding.Rgb8, 0)]
    [InlineData(PixelEncoding.Rgb8, 5)]
    [InlineData(PixelEncoding.Bgr8, 0)]
    [InlineData(PixelEncoding.Bgr8, 3)]
    [InlineData(PixelEncoding.Rgba8, 0)]
    [InlineData(PixelEncoding.Rgba8, 8)]
    [InlineData(PixelEncoding.Bgra8, 1)]
    public void ColourEncodingsGiveExactRgbPlanesAtIdentitySize(PixelEncoding encoding, int padding)
    {
        var frame = TestFrames.FromRgb(Pixels, 2, 2, encoding, padding);
        var t = Run(frame, TestFrames.Model(), 2, 2);
        Assert.Equal([10f, 40f, 70f, 100f, 20f, 50f, 80f, 110f, 30f, 60f, 90f, 120f], t);
    }

    [Fact]
    public void BgrModelsGetPlanesInBgrOrderAndNormalisation()
    {
        var frame = TestFrames.FromRgb(Pixels, 2, 2, PixelEncoding.Rgb8);
        var model = TestFrames.Model(order: ChannelOrder.Bgr, mean: [30f, 20f, 10f], std: [2f, 4f, 5f]);
        var t = Run(frame, model, 2, 2);
        // plane 0 = (B - 30) / 2, plane 1 = (G - 20) / 4, plane 2 = (R - 10) / 5
        Assert.Equal([0f, 15f, 30f, 45f, 0f, 7.5f, 15f, 22.5f, 0f, 6f, 12f, 18f], t);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Mono8ReplicatesGreyIntoEveryPlane(int padding)
    {
        var frame = TestFrames.FromRgb([[5, 0, 0], [6, 0, 0], [7, 0, 0], [250, 0, 0]], 2, 2, PixelEncoding.Mono8, padding);
        var t = Run(frame, TestFrames.Model(), 2, 2);
        Assert.Equal([5f, 6f, 7f, 250f, 5f, 6f, 7f, 250f, 5f, 6f, 7f, 250f], t);
    }

    // Black (Y 16), white (Y 235) and BT.601 red (Y 81, U 90, V 240), worked out by hand from
    // R = (298(Y-16) + 409(V-128) + 128) >> 8, G = (298(Y-16) - 100(U-128) - 208(V-128) + 128) >> 8,
    // B = (298(Y-16) + 516(U-128) + 128) >> 8, clamped to 0-255.
    [Theory]
    [InlineData(PixelEncoding.Uyvy, 0, new byte[] { 128, 16, 128, 235, 90, 81, 240, 81 })]
    [InlineData(PixelEncoding.Uyvy, 3, new byte[] { 128, 16, 128, 235, 90, 81, 240, 81 })]
    [InlineData(PixelEncoding.Yuyv, 0, new byte[] { 16, 128, 235, 128, 81, 90, 81, 240 })]
    [InlineData(PixelEncoding.Yuyv, 4, new byte[] { 16, 128, 235, 128, 81, 90, 81, 240 })]
    public void Yuv422GivesExactBt601Colours(PixelEncoding encoding, int padding, byte[] row)
    {
        int step = row.Length + padding;
        var data = new byte[step * 2];
        row.CopyTo(data, 0);
        row.CopyTo(data, step);
        var frame = new ImageFrame(4, 2, encoding, step, data);
        var t = Run(frame, TestFrames.Model(), 4, 2);
        float[] r = [0, 255, 255, 255], g = [0, 255, 0, 0], b = [0, 255, 0, 0];
        Assert.Equal(r.Concat(r).Concat(g).Concat(g).Concat(b).Concat(b).ToArray(), t);
    }

    [Fact]
    public void BilinearDownscaleAveragesPixelPairs()
    {
        var frame = TestFrames.FromRgb([[0, 0, 0], [100, 0, 0], [20, 0, 0], [60, 0, 0]], 4, 1, PixelEncoding.Mono8);
        var t = Run(frame, TestFrames.Model(), 2, 1);
        Assert.Equal([50f, 40f], t[..2]);
    }

    [Fact]
    public void BilinearUpscaleInterpolatesWithCentresAligned()
    {
        var frame = TestFrames.FromRgb([[0, 0, 0], [100, 0, 0]], 2, 1, PixelEncoding.Mono8);
        var t = Run(frame, TestFrames.Model(), 4, 1);
        Assert.Equal([0f, 25f, 75f, 100f], t[..4]);
    }

    [Fact]
    public void LetterboxPadsWithTheMeanSoPaddingIsZero()
    {
        var frame = TestFrames.FromRgb(Pixels.Concat(Pixels).ToArray(), 4, 2, PixelEncoding.Rgb8);
        var model = TestFrames.Model(mean: [10f, 20f, 30f], std: [2f, 2f, 2f]);
        var t = Run(frame, model, 4, 4, ResizeMode.Letterbox);
        // Content 4x2 centred vertically: rows 0 and 3 are padding.
        for (int c = 0; c < 3; c++)
        {
            Assert.All(t.AsSpan(c * 16, 4).ToArray(), v => Assert.Equal(0f, v));
            Assert.All(t.AsSpan((c * 16) + 12, 4).ToArray(), v => Assert.Equal(0f, v));
        }
        // Row 1, red plane: (R - 10) / 2 for the four pixels.
        Assert.Equal([0f, 15f, 30f, 45f], t.AsSpan(4, 4).ToArray());
    }

    [Fact]
    public void LetterboxPadsColumnsForTallImages()
    {
        var g = new FrameGeometry(2, 4, 4, 4, 4, 4, ResizeMode.Letterbox);
        Assert.Equal((2, 4, 1, 0), (g.ContentWidth, g.ContentHeight, g.OffsetX, g.OffsetY));
        Assert.Equal([-1, 0, 1, -1], g.SrcX0);
        Assert.Equal([0, 1, 1, 0], g.CellXCount);
        Assert.Equal([1, 2], g.GridColOfInputX);
    }

    // Bilinear sampling with centres aligned (half-pixel), written from the definition, in double.
    private static double Sample(Func<int, int, double> pixel, int srcW, int srcH, int netW, int netH, int x, int y)
    {
        static (int A, int B, double W) Axis(int i, int net, int src)
        {
            double s = Math.Max(0, ((i + 0.5) * src / net) - 0.5);
            int a = Math.Min((int)s, src - 1);
            return a >= src - 1 ? (src - 1, src - 1, 0) : (a, a + 1, s - a);
        }
        var (x0, x1, wx) = Axis(x, netW, srcW);
        var (y0, y1, wy) = Axis(y, netH, srcH);
        double top = pixel(x0, y0) + ((pixel(x1, y0) - pixel(x0, y0)) * wx);
        double bottom = pixel(x0, y1) + ((pixel(x1, y1) - pixel(x0, y1)) * wx);
        return top + ((bottom - top) * wy);
    }

    [Theory]
    [InlineData(PixelEncoding.Rgb8)]
    [InlineData(PixelEncoding.Bgra8)]
    [InlineData(PixelEncoding.Mono8)]
    public void ResizeOfAWideImageMatchesBilinearSamplingFromTheDefinition(PixelEncoding encoding)
    {
        // Rows of 61 pixels: several SIMD blocks of the vertical blend plus a scalar tail; down in x, up in y.
        const int srcW = 61, srcH = 5, netW = 24, netH = 9;
        var random = new Random(12);
        var pixels = Enumerable.Range(0, srcW * srcH).Select(_ => new[] { (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256) }).ToArray();
        var frame = TestFrames.FromRgb(pixels, srcW, srcH, encoding, padding: 3);
        var model = TestFrames.Model(mean: [100f, 110f, 120f], std: [50f, 60f, 70f]);
        var t = Run(frame, model, netW, netH);
        float[] mean = [100f, 110f, 120f], std = [50f, 60f, 70f];
        for (int c = 0; c < 3; c++)
        {
            int channel = encoding == PixelEncoding.Mono8 ? 0 : c;
            for (int y = 0; y < netH; y++)
            {
                for (int x = 0; x < netW; x++)
                {
                    double v = Sample((px, py) => pixels[(py * srcW) + px][channel], srcW, srcH, netW, netH, x, y);
                    Assert.Equal((v - mean[c]) / std[c], t[(c * netW * netH) + (y * netW) + x], 1e-4);
                }
            }
        }
    }
}

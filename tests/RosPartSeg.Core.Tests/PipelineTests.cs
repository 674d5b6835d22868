using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Core.Tests;

/// <summary>The pipeline's own logic, with a backend whose output is chosen by the test (the real model is in OnnxModelTests).</summary>
public class PipelineTests
{
    /// <summary>Returns fixed class scores and remembers the input it was given.</summary>
    private sealed class FixedBackend(int width, int height, int classes, int gridW, int gridH, float[] output) : IInferenceBackend
    {
        private readonly float[] _input = new float[3 * width * height];

        public string Provider => "fixed";
        public int InputWidth => width;
        public int InputHeight => height;
        public Span<float> Input => _input;
        public int OutputClasses => classes;
        public int OutputHeight => gridH;
        public int OutputWidth => gridW;
        public ReadOnlySpan<float> Output => output;
        public int Runs { get; private set; }
        public float[] LastInput => _input;

        public void Run() => Runs++;

        public void Dispose() { }
    }

    // Grid 2x2 labels [1, 0 / 0, 2]: class scores planar [3][4].
    private static float[] Scores() => [0, 5, 5, 0, /**/ 5, 0, 0, 0, /**/ 0, 0, 0, 5];

    private static (SegmentationPipeline Pipeline, FixedBackend Backend) Make(PipelineOptions? options = null)
    {
        var backend = new FixedBackend(32, 32, 3, 2, 2, Scores());
        var model = TestFrames.Model(classes: 3);
        return (new SegmentationPipeline(backend, model, options ?? new PipelineOptions { OverlayAnnotations = OverlayAnnotations.None, LabelUpsampling = LabelUpsampling.Nearest, MinPersonArea = 0, MinRegionArea = 0 }), backend);
    }

    private static ImageFrame Grey(int w, int h, byte value = 100) =>
        new(w, h, PixelEncoding.Rgb8, w * 3, Enumerable.Repeat(value, w * h * 3).ToArray(), new Timestamp(1700000000, 42), "camera_optical");

    [Fact]
    public void ProducesEveryOutputAtInputSizeWithTheHeaderCarried()
    {
        var (pipeline, backend) = Make();
        var r = pipeline.Process(Grey(4, 4));
        Assert.Equal(1, backend.Runs);
        Assert.Equal(PipelineOutputs.All, r.Produced);
        Assert.Equal((new Timestamp(1700000000, 42), "camera_optical"), (r.Stamp, r.FrameId));
        Assert.Equal((4, 4), (r.LabelWidth, r.LabelHeight));
        Assert.Equal([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2], r.Labels.ToArray());
        // Palette of class 1 is (10, 20, 30); of class 2 (20, 40, 60).
        Assert.Equal([10, 20, 30], r.ColorMask[..3].ToArray());
        Assert.Equal([0, 0, 0], r.ColorMask.Slice(6, 3).ToArray());
        Assert.Equal([20, 40, 60], r.ColorMask.Slice(((2 * 4) + 2) * 3, 3).ToArray());
        // Overlay, alpha 0.5: (100*128 + 10*128 + 128) >> 8 = 55, background stays 100.
        Assert.Equal([55, 60, 65], r.Overlay[..3].ToArray());
        Assert.Equal([100, 100, 100], r.Overlay.Slice(6, 3).ToArray());
        // The two parts touch diagonally: one person (8-connectivity).
        Assert.Equal(new PixelBox(0, 0, 4, 4), Assert.Single(r.People.ToArray()).Box);
        Assert.Equal([(1, new PixelBox(0, 0, 2, 2), 4), (2, new PixelBox(2, 2, 2, 2), 4)], r.Regions.ToArray().Select(x => (x.ClassId, x.Box, x.PixelCount)));
    }

    [Fact]
    public void NetworkResolutionLabelsAreTheGrid()
    {
        var (pipeline, _) = Make(new PipelineOptions { LabelResolution = LabelResolution.Network, MinPersonArea = 0, MinRegionArea = 0 });
        var r = pipeline.Process(Grey(40, 30));
        Assert.Equal((2, 2), (r.LabelWidth, r.LabelHeight));
        Assert.Equal([1, 0, 0, 2], r.Labels.ToArray());
        // Regions are still in input pixels.
        Assert.Equal(new PixelBox(0, 0, 20, 15), r.Regions[0].Box);
        Assert.Equal(40 * 30 * 3, r.Overlay.Length);
    }

    [Fact]
    public void ComputesOnlyTheRequestedOutputs()
    {
        var (pipeline, _) = Make();
        var r = pipeline.Process(Grey(4, 4), PipelineOutputs.Labels);
        Assert.Equal(PipelineOutputs.Labels, r.Produced);
        Assert.Equal(0, r.Regions.Length);
        Assert.Equal(0, r.People.Length);
        r = pipeline.Process(Grey(4, 4), PipelineOutputs.Regions);
        Assert.Equal(PipelineOutputs.Regions, r.Produced);
        Assert.Equal(2, r.Regions.Length);
    }

    [Theory]
    [InlineData(OverlayAnnotations.None)]
    [InlineData(OverlayAnnotations.People)]
    [InlineData(OverlayAnnotations.Parts)]
    public void OverlayAnnotationsDrawOnlyWhatTheModeAsks(OverlayAnnotations mode)
    {
        var options = new PipelineOptions { OverlayAnnotations = mode, LabelUpsampling = LabelUpsampling.Nearest, MinPersonArea = 0, MinRegionArea = 0 };
        var r = Make(options).Pipeline.Process(Grey(64, 64));
        var o = r.Overlay.ToArray();
        byte[] At(int x, int y) => o[(((y * 64) + x) * 3)..((((y * 64) + x) * 3) + 3)];
        // The two diagonal regions are one person, box (0, 0, 64, 64): white outline 2 pixels wide, "P0" at its top-left.
        bool people = mode != OverlayAnnotations.None;
        Assert.Equal(people ? [255, 255, 255] : [55, 60, 65], At(63 - 32, 0));
        Assert.Equal(people ? [255, 255, 255] : [60, 70, 80], At(63, 40));
        Assert.Equal(people ? [255, 255, 255] : [55, 60, 65], At(12, 4));
        // "PART1" (31 x 9) centred on the class-1 region's centroid (15.5, 15.5): its background, the part's colour, at (2, 12).
        Assert.Equal(mode == OverlayAnnotations.Parts ? [10, 20, 30] : [55, 60, 65], At(2, 12));
        // Regions stay complete whatever is drawn.
        Assert.Equal(2, r.Regions.Length);
        Assert.Equal(new PixelBox(0, 0, 64, 64), Assert.Single(r.People.ToArray()).Box);
    }

    [Theory]
    [InlineData(0, 4, 12, 48, FrameError.InvalidDimensions)]
    [InlineData(4, 4, 11, 48, FrameError.StepTooSmall)]
    [InlineData(4, 4, 12, 47, FrameError.DataTooShort)]
    [InlineData(9000, 1, 27000, 27000, FrameError.TooLarge)]
    public void BadFramesAreRefusedAndThePipelineKeepsWorking(int w, int h, int step, int length, FrameError error)
    {
        var (pipeline, backend) = Make();
        var bad = new ImageFrame(w, h, PixelEncoding.Rgb8, step, new byte[length]);
        Assert.Equal(error, Assert.Throws<FrameException>(() => pipeline.Process(bad)).Error);
        Assert.Equal(0, backend.Runs);
        Assert.Equal(2, pipeline.Process(Grey(4, 4)).Regions.Length);
    }

    [Fact]
    public void ClassCountMismatchIsRefused()
    {
        var backend = new FixedBackend(32, 32, 4, 2, 2, new float[16]);
        var e = Assert.Throws<ModelException>(() => new SegmentationPipeline(backend, TestFrames.Model(classes: 3), new PipelineOptions()));
        Assert.Contains("outputs 4 classes but 3 class names", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WarmPipelineAllocatesNothingPerFrame()
    {
        var (pipeline, _) = Make(new PipelineOptions { OverlayAnnotations = OverlayAnnotations.Parts, MinPersonArea = 0, MinRegionArea = 0 });
        var frame = Grey(64, 48);
        pipeline.Process(frame);
        pipeline.Process(frame);
        Assert.Equal(0, ThreadAllocations.Least(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                pipeline.Process(frame);
            }
        }));
    }
}

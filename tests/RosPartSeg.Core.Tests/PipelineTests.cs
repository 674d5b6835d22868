using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Spatial;

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

    private static DepthInput FlatDepth(int w, int h, float metres)
    {
        var d = Enumerable.Repeat(metres, w * h).ToArray();
        var image = new DepthImage(w, h, DepthFormat.Float32, w * 4, System.Runtime.InteropServices.MemoryMarshal.AsBytes(d.AsSpan()).ToArray());
        return new DepthInput(image, new CameraIntrinsics(40, 40, 19.5, 19.5));
    }

    private static ImageFrame At(ImageFrame f, int frame) => new(f.Width, f.Height, f.Encoding, f.Step, f.Data, Timestamp.FromNanoseconds(frame * 33_000_000L), f.FrameId);

    [Fact]
    public void WithDepthPeopleAndRegionsArePlacedIn3DAndKeepTheirTrackIds()
    {
        var (pipeline, _) = Make();
        var frame = Grey(40, 40);
        var depth = FlatDepth(40, 40, 2f);
        var r = pipeline.Process(At(frame, 0), PipelineOutputs.Regions, depth);
        Assert.True(r.Has3D);
        Assert.Equal(r.Regions.Length, r.Regions3D.Length);
        // Class 1 fills pixels 0-19 of rows 0-19: centre (9.5, 9.5), 10 px left of and above (19.5, 19.5) at 2 m, f 40.
        var part = r.Regions3D[0];
        Assert.True(part.Valid);
        Assert.Equal((-0.5f, -0.5f, 2f, 400), (part.X, part.Y, part.Z, part.PixelsUsed));
        Assert.Equal(2f, r.People3D[0].Z);
        int id = r.TrackIds[0];
        for (int f = 1; f < 4; f++)
        {
            Assert.Equal(id, pipeline.Process(At(frame, f), PipelineOutputs.Regions, depth).TrackIds[0]);
        }
        // Without depth: no 3D, and the person is still tracked.
        r = pipeline.Process(At(frame, 4), PipelineOutputs.Regions);
        Assert.False(r.Has3D);
        Assert.True(r.People3D.IsEmpty);
        Assert.Equal(id, r.TrackIds[0]);
        // A new run forgets them: the same person gets a new id.
        pipeline.ResetTracking();
        Assert.NotEqual(id, pipeline.Process(At(frame, 5), PipelineOutputs.Regions).TrackIds[0]);
    }

    [Fact]
    public void ADepthImageOfAnotherSizeIsRefusedAndThePipelineStaysUsable()
    {
        var (pipeline, _) = Make();
        var e = Assert.Throws<ArgumentException>(() => pipeline.Process(Grey(40, 40), PipelineOutputs.Regions, FlatDepth(20, 20, 2f)));
        Assert.Contains("20x20", e.Message, StringComparison.Ordinal);
        Assert.Single(pipeline.Process(Grey(40, 40), PipelineOutputs.Regions, FlatDepth(40, 40, 2f)).People.ToArray());
    }

    [Fact]
    public void WarmPipelineWithDepthAllocatesNothing()
    {
        var (pipeline, _) = Make(new PipelineOptions { MinPersonArea = 0, MinRegionArea = 0 });
        var frame = Grey(40, 40);
        var depth = FlatDepth(40, 40, 2f);
        for (int f = 0; f < 3; f++)
        {
            pipeline.Process(At(frame, f), PipelineOutputs.All, depth);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int f = 3; f < 8; f++)
        {
            pipeline.Process(At(frame, f), PipelineOutputs.All, depth);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
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
        // The two diagonal regions are one person, box (0, 0, 64, 64): white outline 2 pixels wide, "P1" (its track id) at its top-left.
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

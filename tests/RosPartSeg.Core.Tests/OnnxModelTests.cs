using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Inference;

namespace RosPartSeg.Core.Tests;

/// <summary>The bundled FC-HarDNet-70 through ONNX Runtime, end to end. Small network inputs keep these fast.</summary>
public sealed class OnnxModelTests : IDisposable
{
    private readonly DirectoryInfo _tmp = Directory.CreateTempSubdirectory("rps-onnx-");

    public void Dispose() => _tmp.Delete(true);

    private static SegmenterConfig Small(string? model = null, ModelDescription? overrides = null, IReadOnlyList<string>? providers = null) => new()
    {
        ModelPath = model ?? OnnxFile.BundledModel(),
        ModelOverrides = (overrides ?? new ModelDescription()) with { InputWidth = 128, InputHeight = 96 },
        Inference = new InferenceOptions { Providers = providers ?? ["cpu"], IntraOpThreads = 1 },
        Pipeline = new PipelineOptions { MinPersonArea = 0, MinRegionArea = 0 },
    };

    private static ImageFrame Scene(int w = 160, int h = 120)
    {
        var data = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int o = ((y * w) + x) * 3;
                data[o] = (byte)(x * 255 / w);
                data[o + 1] = (byte)(y * 255 / h);
                data[o + 2] = (byte)((x * y) & 255);
            }
        }
        return ImageFrame.Packed(w, h, PixelEncoding.Rgb8, data, new Timestamp(5, 6), "cam");
    }

    [Fact]
    public void BundledModelDescribesItselfThroughMetadata()
    {
        var info = SegmenterFactory.Describe(OnnxFile.BundledModel(), new SegmenterConfig());
        Assert.Equal(["background", "head", "torso", "upper_arm", "lower_arm", "hand", "upper_leg", "lower_leg", "foot"], info.ClassNames);
        Assert.Equal((512, 288), (info.InputWidth, info.InputHeight));
        Assert.Equal(ChannelOrder.Bgr, info.ChannelOrder);
        Assert.Equal(9, info.Palette.Count);
    }

    [Fact]
    public void RunsEndToEndWithQuarterResolutionOutput()
    {
        var log = new List<string>();
        using var pipeline = SegmenterFactory.Create(Small(), log.Add);
        Assert.Equal("cpu", pipeline.Provider);
        var r = pipeline.Process(Scene());
        Assert.Equal((160, 120), (r.LabelWidth, r.LabelHeight));
        Assert.Equal(160 * 120, r.Labels.Length);
        Assert.All(r.Labels.ToArray(), v => Assert.InRange(v, 0, 8));
        Assert.Equal(160 * 120 * 3, r.Overlay.Length);
        Assert.Equal((new Timestamp(5, 6), "cam"), (r.Stamp, r.FrameId));
        Assert.Contains(log, l => l.Contains("output grid 32x24", StringComparison.Ordinal));
        Assert.All(r.Regions.ToArray(), g => Assert.InRange(g.Score, 0f, 1f));
    }

    [SharedFact]
    public void IsDeterministicAcrossRunsAndSessions()
    {
        // A photo of five people, so that a trained model gives many labels.
        var photo = Imaging.ImageCodec.Read(SharedData.People("humans_1.jpg")).ToFrame(new Timestamp(1, 2), "cam");
        var config = new SegmenterConfig
        {
            ModelPath = OnnxFile.BundledModel(),
            Inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 },
        };
        using var a = SegmenterFactory.Create(config);
        using var b = SegmenterFactory.Create(config);
        var first = a.Process(photo).Labels.ToArray();
        var again = a.Process(photo).Labels.ToArray();
        var other = b.Process(photo).Labels.ToArray();
        Assert.Equal(first, again);
        Assert.Equal(first, other);
        Assert.True(first.Distinct().Count() > 2, "a photo of five people should give background and several parts");
    }

    [Fact]
    public void ModelWithoutMetadataWorksWhenConfigSuppliesTheFacts()
    {
        var bare = OnnxFile.WithMetadata(OnnxFile.BundledModel(), new Dictionary<string, string>(), Path.Combine(_tmp.FullName, "bare.onnx"));
        var e = Assert.Throws<ModelException>(() => SegmenterFactory.Create(Small(bare)));
        Assert.Contains("no class names", e.Message, StringComparison.Ordinal);

        var names = Enumerable.Range(0, 9).Select(i => $"c{i}").ToArray();
        using var pipeline = SegmenterFactory.Create(Small(bare, new ModelDescription { ClassNames = names, ChannelOrder = ChannelOrder.Bgr }));
        Assert.Equal(names, pipeline.Model.ClassNames);
        Assert.Equal(9, pipeline.Model.Palette.Count);
        Assert.Equal(120, pipeline.Process(Scene()).LabelHeight);
    }

    [Fact]
    public void ClassCountThatDisagreesWithTheOutputIsRefused()
    {
        var wrong = OnnxFile.WithMetadata(OnnxFile.BundledModel(), new Dictionary<string, string>
        {
            ["class_names"] = "[\"background\",\"person\"]",
        }, Path.Combine(_tmp.FullName, "wrong.onnx"));
        var e = Assert.Throws<ModelException>(() => SegmenterFactory.Create(Small(wrong)));
        Assert.Contains("outputs 9 classes but 2 class names", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingAndCorruptModelsGiveClearErrors()
    {
        var missing = Path.Combine(_tmp.FullName, "nope.onnx");
        Assert.Contains("does not exist", Assert.Throws<ModelException>(() => SegmenterFactory.Create(Small(missing))).Message, StringComparison.Ordinal);

        var junk = Path.Combine(_tmp.FullName, "junk.onnx");
        File.WriteAllBytes(junk, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.Contains("not a loadable ONNX model", Assert.Throws<ModelException>(() => SegmenterFactory.Create(Small(junk))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnavailableProvidersAreSkippedWithAReason()
    {
        var log = new List<string>();
        using var pipeline = SegmenterFactory.Create(Small(providers: ["tensorrt", "cuda", "cpu"]), log.Add);
        Assert.Equal("cpu", pipeline.Provider);
        Assert.Contains(log, l => l.StartsWith("execution provider 'tensorrt' skipped:", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("execution provider 'cuda' skipped:", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("execution provider 'cpu' in use", StringComparison.Ordinal));

        var e = Assert.Throws<ModelException>(() => SegmenterFactory.Create(Small(providers: ["cuda"])));
        Assert.Contains("add 'cpu'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WarmPipelineWithTheRealModelAllocatesNothingPerFrame()
    {
        using var pipeline = SegmenterFactory.Create(Small());
        var frame = Scene();
        pipeline.Process(frame);
        pipeline.Process(frame);
        Assert.Equal(0, ThreadAllocations.Least(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                pipeline.Process(frame);
            }
        }));
    }

    [Theory]
    [InlineData(PixelEncoding.Bgr8)]
    [InlineData(PixelEncoding.Bgra8)]
    [InlineData(PixelEncoding.Rgba8)]
    public void ColourEncodingsOfTheSameSceneGiveTheSameLabels(PixelEncoding encoding)
    {
        using var pipeline = SegmenterFactory.Create(Small());
        var rgb = Scene();
        var expected = pipeline.Process(rgb).Labels.ToArray();
        var src = rgb.Data.ToArray();
        int bpp = encoding.BytesPerPixel();
        var data = new byte[rgb.Width * rgb.Height * bpp];
        for (int i = 0; i < rgb.Width * rgb.Height; i++)
        {
            bool bgr = encoding is PixelEncoding.Bgr8 or PixelEncoding.Bgra8;
            data[i * bpp] = src[(i * 3) + (bgr ? 2 : 0)];
            data[(i * bpp) + 1] = src[(i * 3) + 1];
            data[(i * bpp) + 2] = src[(i * 3) + (bgr ? 0 : 2)];
        }
        var frame = ImageFrame.Packed(rgb.Width, rgb.Height, encoding, data);
        Assert.Equal(expected, pipeline.Process(frame).Labels.ToArray());
    }
}

using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Inference;

namespace RosPartSeg.Core.Tests;

public class ModelConfigTests
{
    private static readonly Dictionary<string, string> Full = new()
    {
        ["class_names"] = "[\"background\",\"head\",\"hand\"]",
        ["palette"] = "[[0,0,0],[255,85,0],[1,2,3]]",
        ["input_width"] = "320",
        ["input_height"] = "192",
        ["channel_order"] = "bgr",
        ["mean"] = "[1.5, 2, 3]",
        ["std"] = "[4, 5, 6.25]",
        ["model_name"] = "tiny",
        ["training_data"] = "synthetic",
    };

    [Fact]
    public void ParsesEveryMetadataKey()
    {
        var info = ModelMetadata.Parse(Full).ToModelInfo("m.onnx");
        Assert.Equal(["background", "head", "hand"], info.ClassNames);
        Assert.Equal(new Rgb(1, 2, 3), info.Palette[2]);
        Assert.Equal((320, 192), (info.InputWidth, info.InputHeight));
        Assert.Equal(ChannelOrder.Bgr, info.ChannelOrder);
        Assert.Equal([1.5f, 2f, 3f], info.Mean);
        Assert.Equal([4f, 5f, 6.25f], info.Std);
        Assert.Equal(("tiny", "synthetic"), (info.Name, info.TrainingData));
    }

    [Theory]
    [InlineData("class_names", "[1,")]
    [InlineData("palette", "[[0,0,300]]")]
    [InlineData("palette", "[[0,0]]")]
    [InlineData("input_width", "wide")]
    [InlineData("channel_order", "gbr")]
    [InlineData("mean", "[1,2]")]
    public void MalformedMetadataNamesTheKey(string key, string value)
    {
        var props = new Dictionary<string, string>(Full) { [key] = value };
        var e = Assert.Throws<ModelException>(() => ModelMetadata.Parse(props));
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingClassNamesEverywhereIsAClearError()
    {
        var e = Assert.Throws<ModelException>(() => ModelMetadata.Parse(new Dictionary<string, string>()).ToModelInfo("bare.onnx"));
        Assert.Contains("no class names", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.class_names", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PaletteCountMustMatchClasses()
    {
        var props = new Dictionary<string, string>(Full) { ["palette"] = "[[0,0,0]]" };
        var e = Assert.Throws<ModelException>(() => ModelMetadata.Parse(props).ToModelInfo("m.onnx"));
        Assert.Contains("palette has 1 colours but there are 3 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigOverridesMetadataKeyByKey()
    {
        var config = SegmenterConfig.Parse("""
            model:
              class_names: [bg, a, b]
              input_width: 640
              channel_order: rgb
            inference:
              providers: [cuda, cpu]
              intra_op_threads: 2
              thread_spinning: true
            pipeline:
              resize: letterbox
              label_resolution: network
              overlay_alpha: 0.25
              min_region_area: 5
              min_person_area: 7
              min_person_score: 0.55
              overlay_annotations: none
              label_upsampling: nearest
              person_grouping: components
            """);
        var info = ModelMetadata.Parse(Full).With(config.ModelOverrides).ToModelInfo("m.onnx");
        Assert.Equal(["bg", "a", "b"], info.ClassNames);
        Assert.Equal((640, 192), (info.InputWidth, info.InputHeight));
        Assert.Equal(ChannelOrder.Rgb, info.ChannelOrder);
        Assert.Equal([4f, 5f, 6.25f], info.Std);
        Assert.Equal(["cuda", "cpu"], config.Inference.Providers);
        Assert.Equal(2, config.Inference.IntraOpThreads);
        Assert.True(config.Inference.ThreadSpinning);
        Assert.Equal(new PipelineOptions { Resize = ResizeMode.Letterbox, LabelResolution = LabelResolution.Network, OverlayAlpha = 0.25f, MinRegionArea = 5, MinPersonArea = 7, MinPersonScore = 0.55f, OverlayAnnotations = OverlayAnnotations.None, LabelUpsampling = LabelUpsampling.Nearest, PersonGrouping = PersonGrouping.Components }, config.Pipeline);
    }

    [Fact]
    public void EmptyConfigKeepsDefaults()
    {
        var config = SegmenterConfig.Parse("");
        Assert.Equal(new PipelineOptions(), config.Pipeline);
        Assert.Null(config.ModelPath);
        Assert.False(config.Inference.ThreadSpinning); // sleeping threads: the node shares the robot's cores
    }

    [Theory]
    [InlineData("model:\n  colour_order: rgb\n", "colour_order")]
    [InlineData("pipeline:\n  resize: squash\n", "pipeline.resize")]
    [InlineData("pipeline:\n  overlay_alpha: 1.5\n", "overlay_alpha")]
    [InlineData("pipeline:\n  min_region_area: -1\n", "min_region_area")]
    [InlineData("inference:\n  providers: [directml]\n", "directml")]
    [InlineData("inference:\n  graph_optimization: max\n", "graph_optimization")]
    [InlineData("model:\n  palette: [[1,2]]\n", "palette")]
    [InlineData("pipeline: [1, 2", "line")]
    public void InvalidConfigNamesTheProblem(string yaml, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => SegmenterConfig.Parse(yaml, "test.yaml"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.yaml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeModelPathIsResolvedAgainstTheConfigFile()
    {
        var dir = Directory.CreateTempSubdirectory("rps-config-");
        try
        {
            var file = Path.Combine(dir.FullName, "c.yaml");
            File.WriteAllText(file, "model:\n  path: ../m/model.onnx\n");
            var config = SegmenterConfig.Load(file);
            Assert.Equal(Path.GetFullPath(Path.Combine(dir.FullName, "..", "m", "model.onnx")), config.ModelPath);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void BundledConfigIsValidAndPointsAtTheBundledModel()
    {
        var model = OnnxFile.BundledModel();
        var config = SegmenterConfig.Load(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(model))!, "config", "default.yaml"));
        Assert.Equal(Path.GetFullPath(model), config.ModelPath);
        Assert.Equal(["tensorrt", "cuda", "cpu"], config.Inference.Providers);
    }
}

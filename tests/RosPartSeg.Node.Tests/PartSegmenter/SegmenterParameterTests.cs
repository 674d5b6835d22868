using RosPartSeg.Core.Pipeline;
using RosPartSeg.Node.PartSegmenter;

namespace RosPartSeg.Node.Tests.PartSegmenter;

public sealed class SegmenterParameterTests : IDisposable
{
    private readonly DirectoryInfo _tmp = Directory.CreateTempSubdirectory("rps-params-");

    public void Dispose() => _tmp.Delete(true);

    private string Yaml(string text)
    {
        var path = Path.Combine(_tmp.FullName, "seg.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void WithoutParametersTheDefaultsHold()
    {
        var config = NodeSettings.Create([]).SegmenterConfig();
        Assert.Equal(new PipelineOptions(), config.Pipeline);
        Assert.Equal(["tensorrt", "cuda", "cpu"], config.Inference.Providers);
        Assert.False(config.Inference.ThreadSpinning);
    }

    [Fact]
    public void ThreadSpinningParameterOverridesTheYaml()
    {
        var spinning = Yaml("inference:\n  thread_spinning: true\n");
        Assert.True(NodeSettings.Create(["--ros-args", "-p", $"model_config:={spinning}"]).SegmenterConfig().Inference.ThreadSpinning);
        Assert.False(NodeSettings.Create(["--ros-args", "-p", $"model_config:={spinning}", "-p", "thread_spinning:=false"]).SegmenterConfig().Inference.ThreadSpinning);
    }

    [Fact]
    public void ExplicitParametersOverrideTheYamlAndUnsetOnesKeepIt()
    {
        var yaml = Yaml("pipeline:\n  overlay_alpha: 0.9\n  min_region_area: 10\n  resize: letterbox\ninference:\n  providers: [cpu]\n");
        var config = NodeSettings.Create(["--ros-args", "-p", $"model_config:={yaml}", "-p", "overlay_alpha:=0.25",
            "-p", "label_resolution:=network", "-p", "overlay_annotations:=parts", "-p", "label_upsampling:=nearest", "-p", "person_grouping:=components", "-p", "execution_providers:=cuda, cpu"]).SegmenterConfig();
        Assert.Equal(0.25f, config.Pipeline.OverlayAlpha);
        Assert.Equal(LabelResolution.Network, config.Pipeline.LabelResolution);
        Assert.Equal((OverlayAnnotations.Parts, LabelUpsampling.Nearest, PersonGrouping.Components),
            (config.Pipeline.OverlayAnnotations, config.Pipeline.LabelUpsampling, config.Pipeline.PersonGrouping));
        Assert.Equal(10, config.Pipeline.MinRegionArea);
        Assert.Equal(ResizeMode.Letterbox, config.Pipeline.Resize);
        Assert.Equal(["cuda", "cpu"], config.Inference.Providers);
    }

    [Fact]
    public void ParametersFromAParamsFileCountAsSet()
    {
        var file = Path.Combine(_tmp.FullName, "params.yaml");
        File.WriteAllText(file, "/**:\n  ros__parameters:\n    min_person_area: 5\n    min_person_score: 0.6\n    resize_mode: letterbox\n");
        var config = NodeSettings.Create(["--ros-args", "--params-file", file]).SegmenterConfig();
        Assert.Equal(5, config.Pipeline.MinPersonArea);
        Assert.Equal(0.6f, config.Pipeline.MinPersonScore);
        Assert.Equal(ResizeMode.Letterbox, config.Pipeline.Resize);
    }

    [Theory]
    [InlineData("overlay_alpha:=1.5")]
    [InlineData("resize_mode:=squash")]
    [InlineData("min_region_area:=-3")]
    public void OutOfRangeValuesAreRefusedNamingTheParameter(string assignment)
    {
        var e = Assert.Throws<ParameterException>(() => NodeSettings.Create(["--ros-args", "-p", assignment]));
        Assert.Contains(assignment.Split(':')[0], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProviderIsRefusedNamingTheParameter()
    {
        var settings = NodeSettings.Create(["--ros-args", "-p", "execution_providers:=cpu,openvino"]);
        var e = Assert.Throws<ParameterException>(settings.SegmenterConfig);
        Assert.Contains("execution_providers", e.Message, StringComparison.Ordinal);
        Assert.Contains("openvino", e.Message, StringComparison.Ordinal);
    }
}

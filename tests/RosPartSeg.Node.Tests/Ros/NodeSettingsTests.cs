using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node.Tests.Ros;

public sealed class NodeSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rospartseg-params").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Yaml(string text)
    {
        var p = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void DefaultsFollowTheIssue()
    {
        var s = NodeSettings.Create([]);
        Assert.Equal(("part_segmenter", "/", "/image"), (s.NodeName, s.Namespace, s.InputTopic));
        Assert.Equal("sensor_msgs/msg/Image", s.InputType);
        Assert.Equal(new RosQos(RosReliability.BestEffort, 1), s.InputQos);
        Assert.Equal(RosReliability.Reliable, s.OutputQos.Reliability);
        Assert.Equal(new RosQos(RosReliability.Reliable, 1, RosDurability.TransientLocal), s.LabelInfoQos);
        Assert.Equal("/part_segmenter/labels", s.LabelsTopic);
        Assert.Equal("/part_segmenter/label_info", s.LabelInfoTopic);
        Assert.Equal("/diagnostics", s.DiagnosticsTopic);
        Assert.Equal(TimeSpan.FromSeconds(1), s.DiagnosticsPeriod);
    }

    [Fact]
    public void NamespaceRemapsAndCompressedInputMoveTheTopics()
    {
        var s = NodeSettings.Create(["--ros-args", "-r", "__ns:=/robot", "-r", "__node:=seg", "-p", "input_transport:=compressed",
            "-r", "image/compressed:=/cam/image_raw/compressed", "-r", "~/overlay:=/viz/overlay"]);
        Assert.Equal("/cam/image_raw/compressed", s.InputTopic);
        Assert.Equal("sensor_msgs/msg/CompressedImage", s.InputType);
        Assert.Equal("/robot/seg/labels", s.LabelsTopic);
        Assert.Equal("/viz/overlay", s.OverlayTopic);
        Assert.Equal("/robot/seg", s.FullyQualifiedName);
    }

    [Fact]
    public void ParamsFilesApplyByNodePatternInOrderWithOverridesAfter()
    {
        var file = Yaml("""
            /**:
              ros__parameters:
                input_depth: 4
                use_sim_time: false
            /robot/seg:
              ros__parameters:
                input_reliability: reliable
                diagnostics_period: 2
                mystery: 1
            /other:
              ros__parameters:
                input_depth: 99
            """);
        var s = NodeSettings.Create(["--ros-args", "-r", "__ns:=/robot", "-r", "__node:=seg", "--params-file", file, "-p", "output_depth:=3"]);
        Assert.Equal(new RosQos(RosReliability.Reliable, 4), s.InputQos);
        Assert.Equal(3, s.OutputQos.Depth);
        Assert.Equal(TimeSpan.FromSeconds(2), s.DiagnosticsPeriod); // an integer is accepted for a double
        Assert.Equal([$"{file}: mystery"], s.Parameters.Unknown);
    }

    [Theory]
    [InlineData("input_depth:=0", "input_depth")]
    [InlineData("input_depth:=abc", "input_depth")]
    [InlineData("input_reliability:=sometimes", "input_reliability")]
    [InlineData("diagnostics_period:=-1", "diagnostics_period")]
    [InlineData("detections_include_people:=3", "detections_include_people")]
    public void InvalidValuesAreRefusedNamingTheParameter(string assignment, string name)
    {
        var e = Assert.Throws<ParameterException>(() => NodeSettings.Create(["--ros-args", "-p", assignment]));
        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedParamsFileHoldsEveryParameterAtItsDefault()
    {
        var file = Path.Combine(TestEnvironment.RepoRoot, "config", "part_segmenter.params.yaml");
        var s = NodeSettings.Create(["--ros-args", "--params-file", file]);
        Assert.Empty(s.Parameters.Unknown);
        var text = File.ReadAllText(file);
        foreach (var d in NodeSettings.Descriptors.Where(d => d.Name != "use_sim_time"))
        {
            // Segmenter overrides are listed commented out: set, they would override the model_config file.
            string expected = NodeSettings.SegmenterParameters.Contains(d.Name) ? $"    # {d.Name}:" : $"    {d.Name}:";
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        var defaults = NodeSettings.Create([]);
        Assert.Equal((defaults.InputQos, defaults.OutputQos, defaults.DiagnosticsPeriod, defaults.NoImageWarning, defaults.Compressed),
            (s.InputQos, s.OutputQos, s.DiagnosticsPeriod, s.NoImageWarning, s.Compressed));
    }

    [Fact]
    public void NodePatternsMatchLikeRcl()
    {
        Assert.True(NodeParameters.NodeMatches("/**", "/a/b/n"));
        Assert.True(NodeParameters.NodeMatches("n", "/n"));
        Assert.True(NodeParameters.NodeMatches("/a/*", "/a/n"));
        Assert.True(NodeParameters.NodeMatches("/**/n", "/a/b/n"));
        Assert.False(NodeParameters.NodeMatches("/a/*", "/a/b/n"));
        Assert.False(NodeParameters.NodeMatches("/m", "/n"));
    }

    [Fact]
    public void MalformedParamsFileIsAnErrorNamingTheFile()
    {
        var file = Yaml("/**:\n  not_ros_parameters: {}\n");
        var e = Assert.Throws<ParameterException>(() => NodeSettings.Create(["--ros-args", "--params-file", file]));
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }
}

namespace RosPartSeg.Node.Tests.Ros;

public sealed class RosArgumentsTests
{
    [Fact]
    public void ParsesNodeNamespaceRemapsParametersAndKeepsOtherArguments()
    {
        var a = RosArguments.Parse(["--verbose", "--ros-args", "-r", "__node:=seg", "--remap", "__ns:=robot/", "-r", "image:=/cam/raw",
            "-p", "input_depth:=3", "--params-file", "/tmp/p.yaml", "--log-level", "debug", "--", "tail"]);
        Assert.Equal(["--verbose", "tail"], a.NonRosArguments);
        Assert.Equal("seg", a.ResolveNodeName("part_segmenter"));
        Assert.Equal("/robot", a.ResolveNamespace("part_segmenter"));
        Assert.Equal([new RemapRule(null, "image", "/cam/raw")], a.Remaps);
        Assert.Equal([new ParameterSource(null, "input_depth", "3"), new ParameterSource("/tmp/p.yaml", null, null)], a.ParameterSources);
        Assert.Equal(RosLogLevel.Debug, a.LogLevel);
    }

    [Fact]
    public void NodeSpecificRulesApplyOnlyToThatNode()
    {
        var a = RosArguments.Parse(["--ros-args", "-r", "other:__node:=x", "-r", "part_segmenter:__node:=mine", "-r", "other:image:=/nope"]);
        Assert.Equal("mine", a.ResolveNodeName("part_segmenter"));
        Assert.Equal("/image", a.ApplyRemaps("/image", "/", "part_segmenter"));
        Assert.Equal("/nope", a.ApplyRemaps("/image", "/", "other"));
    }

    [Fact]
    public void RemapsMatchResolvedNamesIncludingPrivateOnes()
    {
        var a = RosArguments.Parse(["--ros-args", "-r", "~/labels:=/seg/labels", "-r", "image:=camera/image_raw"]);
        Assert.Equal("/seg/labels", a.ApplyRemaps("/ns/n/labels", "/ns", "n"));
        Assert.Equal("/ns/camera/image_raw", a.ApplyRemaps("/ns/image", "/ns", "n"));
        Assert.Equal("/ns/n/overlay", a.ApplyRemaps("/ns/n/overlay", "/ns", "n"));
    }

    [Theory]
    [InlineData("-r")]
    [InlineData("-p", "novalue")]
    [InlineData("-r", "__node:=1bad")]
    [InlineData("-r", "__ns:=/a//b")]
    [InlineData("--frobnicate")]
    [InlineData("--log-level", "loud")]
    public void MalformedRosArgumentsAreRefusedByName(params string[] rest)
    {
        var e = Assert.Throws<RosArgumentException>(() => RosArguments.Parse(["--ros-args", .. rest]));
        Assert.Contains(rest[0], e.Message, StringComparison.Ordinal);
    }
}

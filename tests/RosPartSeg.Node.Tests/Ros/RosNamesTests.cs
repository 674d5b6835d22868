namespace RosPartSeg.Node.Tests.Ros;

public sealed class RosNamesTests
{
    [Theory]
    [InlineData("image", "/", "n", "/image")]
    [InlineData("image", "/robot/front", "n", "/robot/front/image")]
    [InlineData("image/compressed", "/r", "n", "/r/image/compressed")]
    [InlineData("~/labels", "/", "part_segmenter", "/part_segmenter/labels")]
    [InlineData("~/labels", "/r", "seg", "/r/seg/labels")]
    [InlineData("~", "/r", "seg", "/r/seg")]
    [InlineData("/diagnostics", "/r", "seg", "/diagnostics")]
    [InlineData("{node}/x", "/r", "seg", "/r/seg/x")]
    public void ExpandsLikeRcl(string name, string ns, string node, string expected) =>
        Assert.Equal(expected, RosNames.Expand(name, ns, node));

    [Theory]
    [InlineData("1image")]
    [InlineData("image/")]
    [InlineData("a//b")]
    [InlineData("im age")]
    public void RefusesInvalidTopicNames(string name) =>
        Assert.Throws<ArgumentException>(() => RosNames.Expand(name, "/", "n"));

    [Fact]
    public void ValidatesNodeNamesAndNamespaces()
    {
        Assert.True(RosNames.IsValidNodeName("part_segmenter"));
        Assert.False(RosNames.IsValidNodeName("part-segmenter"));
        Assert.False(RosNames.IsValidNodeName("9lives"));
        Assert.True(RosNames.IsValidNamespace("/"));
        Assert.True(RosNames.IsValidNamespace("/a/b_2"));
        Assert.False(RosNames.IsValidNamespace("a"));
        Assert.Equal("/a/b", RosNames.NormalizeNamespace("a/b/"));
    }
}

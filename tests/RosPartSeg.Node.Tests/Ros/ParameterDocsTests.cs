using System.Text.RegularExpressions;
using RosPartSeg.Node.PartSegmenter;

namespace RosPartSeg.Node.Tests.Ros;

/// <summary>docs/node.md against the parameter table: every parameter documented, the dynamic ones named as such.</summary>
public sealed partial class ParameterDocsTests
{
    [Fact]
    public void NodeDocsListEveryParameterAndExactlyTheDynamicOnes()
    {
        var text = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "docs", "node.md"));
        foreach (var d in NodeSettings.Descriptors)
        {
            Assert.Contains($"| `{d.Name}` |", text, StringComparison.Ordinal);
        }

        var start = text.IndexOf("**Dynamic parameters**", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/node.md has no 'Dynamic parameters' paragraph");
        var paragraph = text[start..text.IndexOf("Every other parameter", start, StringComparison.Ordinal)];
        var named = Code().Matches(paragraph).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(NodeSettings.Descriptors.Where(d => d.Dynamic).Select(d => d.Name).ToHashSet(), named);
    }

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex Code();
}

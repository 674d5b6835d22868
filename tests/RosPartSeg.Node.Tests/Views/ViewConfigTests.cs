using System.Text.Json;
using System.Text.RegularExpressions;
using RosPartSeg.Node.PartSegmenter;
using YamlDotNet.RepresentationModel;

namespace RosPartSeg.Node.Tests.Views;

/// <summary>
/// The shipped views (RViz2 config, Foxglove layout) show topics the node really publishes under its default name:
/// the names come from <see cref="NodeSettings"/>, so renaming a topic in the node breaks this test.
/// </summary>
public sealed partial class ViewConfigTests
{
    private static readonly NodeSettings Node = NodeSettings.Create([]);

    private static string Config(string name) => Path.Combine(TestEnvironment.RepoRoot, "config", name);

    /// <summary>(display class, topic) of every display in an RViz2 config.</summary>
    internal static List<(string Class, string Topic)> RvizDisplays(string path)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var manager = (YamlMappingNode)root["Visualization Manager"];
        return ((YamlSequenceNode)manager["Displays"]).Children.Cast<YamlMappingNode>()
            .Select(d => (d["Class"].ToString(), ((YamlMappingNode)d["Topic"])["Value"].ToString()))
            .ToList();
    }

    [Fact]
    public void The_rviz_config_shows_the_overlay_and_the_colour_mask_as_images_and_the_3D_markers()
    {
        var displays = RvizDisplays(Config("part_segmenter.rviz"));
        Assert.Equal(
            [("rviz_default_plugins/Image", Node.OverlayTopic), ("rviz_default_plugins/Image", Node.ColorMaskTopic),
             ("rviz_default_plugins/MarkerArray", Node.OutputTopic(Messages.Parts.OutputTopics.Markers))],
            displays);
        Assert.Equal("/part_segmenter/overlay", Node.OverlayTopic); // the default name the launch file remaps from
    }

    [Fact]
    public void The_foxglove_layout_shows_the_input_the_overlay_the_parts_and_the_3D_markers()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Config("part_segmenter.foxglove.json")));
        var panels = doc.RootElement.GetProperty("configById").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        var images = panels.Where(p => p.Key.StartsWith("Image!", StringComparison.Ordinal))
            .Select(p => p.Value.GetProperty("imageMode").GetProperty("imageTopic").GetString()).ToList();
        var raw = panels.Where(p => p.Key.StartsWith("RawMessages!", StringComparison.Ordinal))
            .Select(p => p.Value.GetProperty("topicPath").GetString()).ToList();
        Assert.Equal([Node.InputTopic, Node.OverlayTopic], images);
        Assert.Equal([Node.PartsTopic], raw);
        var markers = panels.Where(p => p.Key.StartsWith("3D!", StringComparison.Ordinal))
            .SelectMany(p => p.Value.GetProperty("topics").EnumerateObject().Where(t => t.Value.GetProperty("visible").GetBoolean()).Select(t => t.Name)).ToList();
        Assert.Equal([Node.OutputTopic(Messages.Parts.OutputTopics.Markers)], markers);

        // The layout tree places exactly the configured panels.
        var placed = new List<string>();
        Collect(doc.RootElement.GetProperty("layout"), placed);
        Assert.Equal(panels.Keys.Order(), placed.Order());
    }

    [Fact]
    public void The_launch_file_starts_rviz_on_request_with_the_installed_config_and_remaps_its_topics()
    {
        var launch = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "launch", "part_segmenter.launch.py"));
        Assert.Contains("DeclareLaunchArgument('rviz', default_value='false'", launch, StringComparison.Ordinal);
        Assert.Contains("os.path.join(share, 'config', 'part_segmenter.rviz')", launch, StringComparison.Ordinal);
        Assert.Contains("package='rviz2'", launch, StringComparison.Ordinal);

        // The topics it remaps are the ones the config shows.
        var remapped = RvizTopics().Match(launch).Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => "/part_segmenter/" + t.Trim('\'')).ToList();
        Assert.Equal(RvizDisplays(Config("part_segmenter.rviz")).Select(d => d.Topic), remapped);

        // The ament package installs config/ (both views) under share/rospartseg.
        var cmake = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "CMakeLists.txt"));
        Assert.Matches(@"install\(DIRECTORY launch config DESTINATION ""share/\$\{PROJECT_NAME\}""\)", cmake);
    }

    private static void Collect(JsonElement node, List<string> into)
    {
        if (node.ValueKind == JsonValueKind.String)
        {
            into.Add(node.GetString()!);
            return;
        }

        Collect(node.GetProperty("first"), into);
        Collect(node.GetProperty("second"), into);
    }

    [GeneratedRegex(@"RVIZ_TOPICS = \(([^)]*)\)")]
    private static partial Regex RvizTopics();
}

using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace RosPartSeg.Bags;

/// <summary>
/// One offered QoS profile as rosbag2 records it. Policies are rmw enum values (history 1 keep_last, 2 keep_all;
/// reliability 1 reliable, 2 best_effort; durability 1 transient_local, 2 volatile; liveliness 1 automatic,
/// 3 manual_by_topic; 0 system_default). Names are accepted when reading, as newer rosbag2 may write them.
/// </summary>
public sealed record QosProfile
{
    public int History { get; init; } = 1;
    public int Depth { get; init; }
    public int Reliability { get; init; } = 1;
    public int Durability { get; init; } = 2;
    public (long Sec, long Nsec) Deadline { get; init; }
    public (long Sec, long Nsec) Lifespan { get; init; }
    public int Liveliness { get; init; } = 1;
    public (long Sec, long Nsec) LivelinessLeaseDuration { get; init; }
    public bool AvoidRosNamespaceConventions { get; init; }

    /// <summary>Sensor data: keep last 5, best effort, volatile.</summary>
    public static QosProfile SensorData { get; } = new() { History = 1, Depth = 5, Reliability = 2, Durability = 2 };

    /// <summary>Default: keep last 10, reliable, volatile.</summary>
    public static QosProfile Default { get; } = new() { History = 1, Depth = 10, Reliability = 1, Durability = 2 };

    /// <summary>Latched-like: keep last 1, reliable, transient local.</summary>
    public static QosProfile TransientLocal { get; } = new() { History = 1, Depth = 1, Reliability = 1, Durability = 1 };

    public string ReliabilityName => Reliability switch { 1 => "reliable", 2 => "best_effort", 0 => "system_default", 4 => "best_available", _ => "unknown" };

    public string DurabilityName => Durability switch { 1 => "transient_local", 2 => "volatile", 0 => "system_default", 4 => "best_available", _ => "unknown" };

    public string HistoryName => History switch { 1 => "keep_last", 2 => "keep_all", 0 => "system_default", _ => "unknown" };

    /// <summary>Parses the YAML list text rosbag2 stores (empty text gives an empty list).</summary>
    public static IReadOnlyList<QosProfile> ParseList(string yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return [];
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new BagException($"offered_qos_profiles is not valid YAML: {e.Message}", e);
        }
        return stream.Documents.Count == 0 ? [] : FromNode(stream.Documents[0].RootNode);
    }

    /// <summary>Reads a YAML sequence of profiles (the version-9 metadata.yaml form).</summary>
    public static IReadOnlyList<QosProfile> FromNode(YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }
        if (node is not YamlSequenceNode seq)
        {
            throw new BagException("offered_qos_profiles is not a list");
        }
        var list = new List<QosProfile>();
        foreach (var item in seq)
        {
            if (item is not YamlMappingNode m)
            {
                throw new BagException("an offered QoS profile is not a mapping");
            }
            list.Add(new QosProfile
            {
                History = Policy(m, "history", 1, ["system_default", "keep_last", "keep_all", "unknown"]),
                Depth = (int)Int(m, "depth", 0),
                Reliability = Policy(m, "reliability", 1, ["system_default", "reliable", "best_effort", "unknown", "best_available"]),
                Durability = Policy(m, "durability", 2, ["system_default", "transient_local", "volatile", "unknown", "best_available"]),
                Deadline = Duration(m, "deadline"),
                Lifespan = Duration(m, "lifespan"),
                Liveliness = Policy(m, "liveliness", 1, ["system_default", "automatic", "manual_by_node", "manual_by_topic", "unknown", "best_available"]),
                LivelinessLeaseDuration = Duration(m, "liveliness_lease_duration"),
                AvoidRosNamespaceConventions = m.Children.TryGetValue(new YamlScalarNode("avoid_ros_namespace_conventions"), out var a)
                    && a is YamlScalarNode { Value: "true" or "True" },
            });
        }
        return list;
    }

    /// <summary>Formats profiles as the YAML list text rosbag2 writes (block style, two-space indent).</summary>
    public static string FormatList(IEnumerable<QosProfile> profiles, string indent = "")
    {
        var sb = new StringBuilder();
        foreach (var p in profiles)
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }
            string i = indent + "  ";
            sb.Append(CultureInfo.InvariantCulture, $"{indent}- history: {p.History}\n{i}depth: {p.Depth}\n{i}reliability: {p.Reliability}\n");
            sb.Append(CultureInfo.InvariantCulture, $"{i}durability: {p.Durability}\n");
            AppendDuration(sb, i, "deadline", p.Deadline);
            AppendDuration(sb, i, "lifespan", p.Lifespan);
            sb.Append(CultureInfo.InvariantCulture, $"{i}liveliness: {p.Liveliness}\n");
            AppendDuration(sb, i, "liveliness_lease_duration", p.LivelinessLeaseDuration);
            sb.Append(CultureInfo.InvariantCulture, $"{i}avoid_ros_namespace_conventions: {(p.AvoidRosNamespaceConventions ? "true" : "false")}");
        }
        return sb.ToString();
    }

    private static void AppendDuration(StringBuilder sb, string indent, string name, (long Sec, long Nsec) d) =>
        sb.Append(CultureInfo.InvariantCulture, $"{indent}{name}:\n{indent}  sec: {d.Sec}\n{indent}  nsec: {d.Nsec}\n");

    private static int Policy(YamlMappingNode m, string key, int fallback, string[] names)
    {
        if (!m.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is not YamlScalarNode { Value: { } v })
        {
            return fallback;
        }
        if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
        {
            return n;
        }
        int index = Array.IndexOf(names, v.ToLowerInvariant());
        return index >= 0 ? index : throw new BagException($"unknown QoS {key} '{v}'");
    }

    private static long Int(YamlMappingNode m, string key, long fallback) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { } v }
            && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : fallback;

    private static (long, long) Duration(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlMappingNode d
            ? (Int(d, "sec", 0), Int(d, "nsec", 0))
            : (0, 0);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace RosPartSeg.Bags;

/// <summary>One storage file as metadata.yaml lists it under <c>files</c>.</summary>
public sealed record BagFileInfo(string Path, long StartingTime, long Duration, ulong MessageCount);

/// <summary>
/// The <c>rosbag2_bagfile_information</c> of a bag's metadata.yaml. Reads versions 4 to 9 (QoS as a YAML string
/// before 9, as a list from 9); writes version 5 (Humble) or 9 (Jazzy).
/// </summary>
public sealed record BagMetadata
{
    public const string FileName = "metadata.yaml";

    public int Version { get; init; } = 5;
    public string StorageIdentifier { get; init; } = "mcap";
    public IReadOnlyList<string> RelativeFilePaths { get; init; } = [];
    public long Duration { get; init; }
    public long StartingTime { get; init; }
    public ulong MessageCount { get; init; }
    public IReadOnlyList<BagTopicInfo> Topics { get; init; } = [];
    public string CompressionFormat { get; init; } = "";
    public string CompressionMode { get; init; } = "";
    public IReadOnlyList<BagFileInfo> Files { get; init; } = [];
    public IReadOnlyDictionary<string, string> CustomData { get; init; } = new Dictionary<string, string>();
    public string RosDistro { get; init; } = "";

    public static BagMetadata Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (BagException e)
        {
            throw new BagException($"{path}: {e.Message}", e);
        }
    }

    public static BagMetadata Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new BagException($"metadata.yaml is not valid YAML: {e.Message}", e);
        }
        // metadata.yaml wraps the fields in rosbag2_bagfile_information; the copy inside the storage file does not.
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || (Get(root, "rosbag2_bagfile_information") as YamlMappingNode ?? (Get(root, "version") is null ? null : root)) is not YamlMappingNode info)
        {
            throw new BagException("metadata.yaml has no rosbag2_bagfile_information mapping");
        }
        int version = (int)Long(info, "version");
        var topics = new List<BagTopicInfo>();
        if (Get(info, "topics_with_message_count") is YamlSequenceNode seq)
        {
            foreach (var item in seq.OfType<YamlMappingNode>())
            {
                if (Get(item, "topic_metadata") is not YamlMappingNode t)
                {
                    throw new BagException("a topics_with_message_count entry has no topic_metadata");
                }
                var qosNode = Get(t, "offered_qos_profiles");
                string qos = qosNode switch
                {
                    YamlSequenceNode list => QosProfile.FormatList(QosProfile.FromNode(list)),
                    YamlScalarNode s => s.Value ?? "",
                    _ => "",
                };
                topics.Add(new BagTopicInfo(
                    new BagTopic(Str(t, "name"), Str(t, "type"), Str(t, "serialization_format", "cdr"), qos, Str(t, "type_description_hash")),
                    (ulong)Long(item, "message_count")));
            }
        }
        var files = new List<BagFileInfo>();
        if (Get(info, "files") is YamlSequenceNode fileSeq)
        {
            foreach (var f in fileSeq.OfType<YamlMappingNode>())
            {
                files.Add(new BagFileInfo(Str(f, "path"), Nested(f, "starting_time", "nanoseconds_since_epoch"),
                    Nested(f, "duration", "nanoseconds"), (ulong)Long(f, "message_count")));
            }
        }
        var custom = new Dictionary<string, string>();
        if (Get(info, "custom_data") is YamlMappingNode cd)
        {
            foreach (var (k, v) in cd.Children)
            {
                custom[((YamlScalarNode)k).Value ?? ""] = (v as YamlScalarNode)?.Value ?? "";
            }
        }
        return new BagMetadata
        {
            Version = version,
            StorageIdentifier = Str(info, "storage_identifier"),
            RelativeFilePaths = Get(info, "relative_file_paths") is YamlSequenceNode paths
                ? paths.OfType<YamlScalarNode>().Select(p => p.Value ?? "").ToList() : [],
            Duration = Nested(info, "duration", "nanoseconds"),
            StartingTime = Nested(info, "starting_time", "nanoseconds_since_epoch"),
            MessageCount = (ulong)Long(info, "message_count"),
            Topics = topics,
            CompressionFormat = Str(info, "compression_format"),
            CompressionMode = Str(info, "compression_mode"),
            Files = files,
            CustomData = custom,
            RosDistro = Str(info, "ros_distro"),
        };
    }

    /// <summary>
    /// The copy rosbag2 keeps inside the storage file (MCAP's <c>rosbag2</c> metadata record, sqlite3's metadata
    /// table): the same fields without the <c>rosbag2_bagfile_information</c> key. Jazzy's <c>ros2 bag play</c> reads
    /// this copy and refuses the wrapped form ("invalid node; first invalid key: version").
    /// </summary>
    public string ToEmbeddedYaml()
    {
        var lines = ToYaml().Split('\n');
        return string.Join('\n', lines.Skip(1).Select(l => l.StartsWith("  ", StringComparison.Ordinal) ? l[2..] : l));
    }

    /// <summary>Writes the YAML as rosbag2 of that <see cref="Version"/> does (5 and 9 are the versions produced).</summary>
    public string ToYaml()
    {
        var sb = new StringBuilder();
        void Line(string text) => sb.Append(text).Append('\n');
        Line("rosbag2_bagfile_information:");
        Line($"  version: {Version}");
        Line($"  storage_identifier: {StorageIdentifier}");
        Line("  duration:");
        Line($"    nanoseconds: {Duration}");
        Line("  starting_time:");
        Line($"    nanoseconds_since_epoch: {StartingTime}");
        Line($"  message_count: {MessageCount}");
        Line(Topics.Count == 0 ? "  topics_with_message_count: []" : "  topics_with_message_count:");
        foreach (var t in Topics)
        {
            Line("    - topic_metadata:");
            Line($"        name: {Quote(t.Topic.Name)}");
            Line($"        type: {Quote(t.Topic.Type)}");
            Line($"        serialization_format: {Quote(t.Topic.SerializationFormat)}");
            if (Version >= 9)
            {
                var profiles = QosProfile.ParseList(t.Topic.OfferedQosProfiles);
                if (profiles.Count == 0)
                {
                    Line("        offered_qos_profiles: []");
                }
                else
                {
                    Line("        offered_qos_profiles:");
                    Line(QosProfile.FormatList(profiles, "          ", policyNames: true));
                }
            }
            else
            {
                Line($"        offered_qos_profiles: {Quote(QosProfile.Normalize(t.Topic.OfferedQosProfiles, Version))}");
            }
            if (Version >= 7)
            {
                Line($"        type_description_hash: {Quote(t.Topic.TypeDescriptionHash)}");
            }
            Line($"      message_count: {t.MessageCount}");
        }
        Line($"  compression_format: {Quote(CompressionFormat)}");
        Line($"  compression_mode: {Quote(CompressionMode)}");
        Line("  relative_file_paths:");
        foreach (var p in RelativeFilePaths)
        {
            Line($"    - {Quote(p)}");
        }
        Line("  files:");
        foreach (var f in Files)
        {
            Line($"    - path: {Quote(f.Path)}");
            Line("      starting_time:");
            Line($"        nanoseconds_since_epoch: {f.StartingTime}");
            Line("      duration:");
            Line($"        nanoseconds: {f.Duration}");
            Line($"      message_count: {f.MessageCount}");
        }
        if (Version >= 6)
        {
            Line(CustomData.Count == 0 ? "  custom_data: ~" : "  custom_data:");
            foreach (var (k, v) in CustomData.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Line($"    {Quote(k)}: {Quote(v)}");
            }
        }
        if (Version >= 8)
        {
            Line($"  ros_distro: {Quote(RosDistro)}");
        }
        return sb.ToString();
    }

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    private static string Quote(string s) => JsonSerializer.Serialize(s);

    private static YamlNode? Get(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string Str(YamlMappingNode m, string key, string fallback = "") =>
        Get(m, key) is YamlScalarNode { Value: { } v } ? v : fallback;

    private static long Long(YamlMappingNode m, string key)
    {
        if (Get(m, key) is not YamlScalarNode { Value: { } v })
        {
            return 0;
        }
        return long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n)
            ? n : throw new BagException($"metadata.yaml: '{key}' is not an integer: '{v}'");
    }

    private static long Nested(YamlMappingNode m, string key, string inner) =>
        Get(m, key) is YamlMappingNode n ? Long(n, inner) : 0;
}

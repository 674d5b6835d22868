using System.Collections.Frozen;

namespace RosPartSeg.Messages;

/// <summary>Which <c>rmw_dds_common/Gid</c> layout to use: 24 bytes on Humble, 16 on Iron and later.</summary>
public enum GidLayout
{
    /// <summary><c>char[24] data</c>: the 16-byte DDS GUID then 8 zero bytes (Humble).</summary>
    Humble24,

    /// <summary><c>char[16] data</c>: the DDS GUID (Iron, Jazzy and later).</summary>
    Jazzy16,
}

/// <summary>
/// Every message type this assembly knows, by ROS name (<c>pkg/msg/Type</c> or <c>pkg/Type</c>): its DDS name
/// and definition texts. The bag layer uses it to write schemas; types it does not know are copied through by
/// callers with the definition the source bag carried. The texts are Humble's; the <c>rmw_dds_common</c> types use
/// the Humble Gid unless asked for with <see cref="GetRmw"/>.
/// </summary>
public static class MessageRegistry
{
    private static readonly Lazy<FrozenDictionary<string, MessageType>> Types = new(Build);
    private static readonly Lazy<FrozenDictionary<string, MessageType>> JazzyRmw = new(() => BuildRmw(GidLayout.Jazzy16));

    /// <summary>All known types, keyed by <c>pkg/Name</c>.</summary>
    public static IEnumerable<MessageType> All => Types.Value.Values;

    public static bool TryGet(string rosName, out MessageType type)
    {
        ArgumentNullException.ThrowIfNull(rosName);
        return Types.Value.TryGetValue(MessageDefinitions.ToShortName(rosName), out type!);
    }

    /// <summary>Looks up a type; an unknown name is a <see cref="KeyNotFoundException"/> naming it.</summary>
    public static MessageType Get(string rosName)
        => TryGet(rosName, out var t) ? t : throw new KeyNotFoundException($"message type {rosName} is not known to RosPartSeg.Messages");

    /// <summary>An <c>rmw_dds_common</c> type (<c>Gid</c>, <c>NodeEntitiesInfo</c>, <c>ParticipantEntitiesInfo</c>) for a Gid layout.</summary>
    public static MessageType GetRmw(string name, GidLayout layout)
    {
        var map = layout == GidLayout.Humble24 ? Types.Value : JazzyRmw.Value;
        return map.TryGetValue($"rmw_dds_common/{name}", out var t)
            ? t
            : throw new KeyNotFoundException($"rmw_dds_common/msg/{name} is not known to RosPartSeg.Messages");
    }

    private static FrozenDictionary<string, MessageType> Build()
    {
        var result = new Dictionary<string, MessageType>(StringComparer.Ordinal);
        foreach (var key in MessageDefinitions.Texts.Keys)
        {
            if (key.Contains('.', StringComparison.Ordinal))
            {
                continue; // distro variants, added below
            }
            result[key] = Create(key, TextOf(GidLayout.Humble24));
        }
        foreach (var (key, type) in BuildRmw(GidLayout.Humble24))
        {
            result[key] = type;
        }
        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, MessageType> BuildRmw(GidLayout layout)
    {
        var textOf = TextOf(layout);
        return new Dictionary<string, MessageType>(StringComparer.Ordinal)
        {
            ["rmw_dds_common/Gid"] = Create("rmw_dds_common/Gid", textOf),
            ["rmw_dds_common/NodeEntitiesInfo"] = Create("rmw_dds_common/NodeEntitiesInfo", textOf),
            ["rmw_dds_common/ParticipantEntitiesInfo"] = Create("rmw_dds_common/ParticipantEntitiesInfo", textOf),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static Func<string, string?> TextOf(GidLayout layout) => key =>
    {
        if (key == "rmw_dds_common/Gid")
        {
            key += layout == GidLayout.Humble24 ? ".humble" : ".jazzy";
        }
        return MessageDefinitions.Texts.TryGetValue(key, out var text) ? text : null;
    };

    private static MessageType Create(string key, Func<string, string?> textOf)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        string package = key[..slash];
        string text = textOf(key) ?? throw new KeyNotFoundException($"no .msg text for {key}");
        return new MessageType(package, key[(slash + 1)..], text, MessageDefinitions.BuildFullText(key, textOf),
            MessageDefinitions.ParseDependencies(text, package), TypeHashes.Compute(key, textOf));
    }
}

using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Rmw;

/// <summary>
/// <c>rmw_dds_common/msg/NodeEntitiesInfo</c>: string&lt;=256 node_namespace, string&lt;=256 node_name,
/// Gid[] reader_gid_seq, Gid[] writer_gid_seq.
/// </summary>
public sealed record NodeEntitiesInfo
{
    /// <summary>Bound of the two name strings.</summary>
    public const int MaxNameLength = 256;

    public string NodeNamespace { get; init; } = "/";

    public string NodeName { get; init; } = "";

    public IReadOnlyList<Gid> ReaderGids { get; init; } = [];

    public IReadOnlyList<Gid> WriterGids { get; init; } = [];

    public static MessageType TypeFor(GidLayout layout) => MessageRegistry.GetRmw("NodeEntitiesInfo", layout);

    public void Write(CdrWriter writer, GidLayout layout)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteBounded(writer, NodeNamespace, nameof(NodeNamespace));
        WriteBounded(writer, NodeName, nameof(NodeName));
        WriteGids(writer, ReaderGids, layout);
        WriteGids(writer, WriterGids, layout);
    }

    public static NodeEntitiesInfo Read(ref CdrReader reader, GidLayout layout) => new()
    {
        NodeNamespace = ReadBounded(ref reader, "node_namespace"),
        NodeName = ReadBounded(ref reader, "node_name"),
        ReaderGids = ReadGids(ref reader, layout),
        WriterGids = ReadGids(ref reader, layout),
    };

    private static void WriteBounded(CdrWriter writer, string? value, string field)
    {
        if (value is not null && System.Text.Encoding.UTF8.GetByteCount(value) > MaxNameLength)
        {
            throw new ArgumentException($"{field} '{value}' is longer than {MaxNameLength} bytes (string<=256)", field);
        }
        writer.WriteString(value);
    }

    private static string ReadBounded(ref CdrReader reader, string field)
    {
        int at = reader.Position;
        var s = reader.ReadString();
        if (System.Text.Encoding.UTF8.GetByteCount(s) > MaxNameLength)
        {
            throw new CdrException($"{field} is longer than its bound", at, $"a string of at most {MaxNameLength} bytes");
        }
        return s;
    }

    internal static void WriteGids(CdrWriter writer, IReadOnlyList<Gid>? gids, GidLayout layout)
    {
        gids ??= [];
        writer.WriteSequenceCount(gids.Count);
        foreach (var g in gids)
        {
            g.Write(writer, layout);
        }
    }

    internal static Gid[] ReadGids(ref CdrReader reader, GidLayout layout)
    {
        int count = reader.ReadSequenceCount(Gid.SizeOf(layout), "Gid");
        var gids = new Gid[count];
        for (int i = 0; i < count; i++)
        {
            gids[i] = Gid.Read(ref reader, layout);
        }
        return gids;
    }
}

/// <summary>
/// <c>rmw_dds_common/msg/ParticipantEntitiesInfo</c>: Gid gid, NodeEntitiesInfo[] node_entities_info_seq. Published
/// on <c>ros_discovery_info</c> so <c>ros2 node list</c> sees the nodes of a participant. The Gid layout must match
/// the peers' distro (<see cref="GidLayout"/>); it is a parameter of every encode and decode.
/// </summary>
public sealed record ParticipantEntitiesInfo
{
    private const int MinNodeSize = 4 + 4 + 4 + 4;

    public Gid Gid { get; init; }

    public IReadOnlyList<NodeEntitiesInfo> Nodes { get; init; } = [];

    public static MessageType TypeFor(GidLayout layout) => MessageRegistry.GetRmw("ParticipantEntitiesInfo", layout);

    public void Write(CdrWriter writer, GidLayout layout)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Gid.Write(writer, layout);
        var nodes = Nodes ?? [];
        writer.WriteSequenceCount(nodes.Count);
        foreach (var n in nodes)
        {
            n.Write(writer, layout);
        }
    }

    public static ParticipantEntitiesInfo Read(ref CdrReader reader, GidLayout layout)
    {
        var gid = Gid.Read(ref reader, layout);
        int count = reader.ReadSequenceCount(MinNodeSize, "NodeEntitiesInfo");
        var nodes = new NodeEntitiesInfo[count];
        for (int i = 0; i < count; i++)
        {
            nodes[i] = NodeEntitiesInfo.Read(ref reader, layout);
        }
        return new ParticipantEntitiesInfo { Gid = gid, Nodes = nodes };
    }

    /// <summary>Encodes the whole message (header included) into <paramref name="writer"/> (reset first).</summary>
    public void Encode(CdrWriter writer, GidLayout layout)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Reset();
        Write(writer, layout);
    }

    public static ParticipantEntitiesInfo Decode(ReadOnlySpan<byte> message, GidLayout layout, CdrLimits? limits = null)
    {
        var reader = new CdrReader(message, limits);
        return Read(ref reader, layout);
    }
}

using System.Globalization;
using RosPartSeg.Bags;
using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Cli.Commands;

/// <summary><c>rospartseg info BAG</c>: what <c>ros2 bag info</c> shows, without ROS and without reading every message.</summary>
internal sealed class InfoCommand : ICliCommand
{
    public string Name => "info";

    public string Summary => "show a bag's storage, duration, time range, message counts, topics and QoS";

    public int Execute(string[] args)
    {
        if (args.Length != 1 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine("usage: rospartseg info BAG   (a bag folder, or a .mcap / .db3 file)");
            return args.Length == 1 ? 0 : 2;
        }
        try
        {
            using var bag = BagReader.Open(args[0]);
            Console.Write(Format(bag.Info));
            return 0;
        }
        catch (Exception e) when (e is BagException or McapFormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"rospartseg info: {e.Message}");
            return 1;
        }
    }

    /// <summary>The report, laid out like <c>ros2 bag info</c>.</summary>
    internal static string Format(BagInfo info)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        void Row(string label, string value) => sb.Append(c, $"{label + ":",-19}{value}\n");
        Row("Files", string.Join("\n                   ", info.Files.Select(Path.GetFileName)));
        Row("Bag size", Size(info.SizeBytes));
        Row("Storage id", info.StorageIdentifier + (info.Details.Length > 0 ? $" ({info.Details})" : ""));
        Row("Duration", Seconds(info.Duration) + "s");
        Row("Start", Time(info.StartTime));
        Row("End", Time(info.EndTime));
        Row("Messages", info.MessageCount.ToString(c));
        if (info.CompressionFormat.Length > 0)
        {
            Row("Compression", info.CompressionFormat);
        }
        int nameWidth = info.Topics.Count == 0 ? 0 : info.Topics.Max(t => t.Topic.Name.Length);
        int typeWidth = info.Topics.Count == 0 ? 0 : info.Topics.Max(t => t.Topic.Type.Length);
        var lines = info.Topics.Select(t =>
            string.Create(c, $"Topic: {t.Topic.Name.PadRight(nameWidth)} | Type: {t.Topic.Type.PadRight(typeWidth)} | Count: {t.MessageCount} | Serialization Format: {t.Topic.SerializationFormat}{Qos(t.Topic)}"));
        Row("Topic information", string.Join("\n                   ", lines));
        return sb.ToString();
    }

    private static string Qos(BagTopic topic)
    {
        try
        {
            var profiles = QosProfile.ParseList(topic.OfferedQosProfiles);
            return profiles.Count == 0 ? "" : " | QoS: " + string.Join(", ",
                profiles.Select(p => $"{p.ReliabilityName}/{p.DurabilityName}/{p.HistoryName}" + (p.History == 1 && p.Depth > 0 ? $"({p.Depth})" : "")));
        }
        catch (BagException)
        {
            return " | QoS: (unreadable)";
        }
    }

    private static string Time(long ns)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ns / 1_000_000);
        return string.Create(CultureInfo.InvariantCulture, $"{t:MMM d yyyy HH:mm:ss.fff} UTC ({Seconds(ns)})");
    }

    private static string Seconds(long ns) =>
        string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000_000_000}.{Math.Abs(ns % 1_000_000_000):D9}");

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}

using Microsoft.Data.Sqlite;
using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Bags.Tests;

/// <summary>Write a bag, read it back, compare; for both storages and both metadata layouts.</summary>
public class BagRoundTripTests
{
    private static readonly string SensorQos = QosProfile.FormatList([QosProfile.SensorData]);

    private static List<(int Topic, long Log, long Pub, byte[] Data)> Sample(int seed)
    {
        var rng = new Random(seed);
        var list = new List<(int, long, long, byte[])>();
        for (int i = 0; i < 40; i++)
        {
            var data = new byte[rng.Next(4, i % 4 == 0 ? 300_000 : 200)];
            rng.NextBytes(data);
            data[0] = 0;
            data[1] = 1;
            list.Add((1 + (i % 2), 1_700_000_000_000_000_000 + i * 33_000_000L, 1_700_000_000_000_000_000 + i * 33_000_000L - 5, data));
        }
        return list;
    }

    private static void WriteBag(string path, BagWriterOptions options, List<(int Topic, long Log, long Pub, byte[] Data)> messages)
    {
        using var w = BagWriter.Create(path, options);
        Assert.Equal(1, w.AddTopic(new BagTopic("/camera/image_raw", "sensor_msgs/msg/Image", "cdr", SensorQos, "RIHS01_abc"),
            new MessageDefinition("sensor_msgs/msg/Image", "ros2msg", "std_msgs/Header header\nuint32 height\n")));
        Assert.Equal(2, w.AddTopic(new BagTopic("/chatter", "std_msgs/msg/String", "cdr", "", ""), null));
        foreach (var m in messages)
        {
            w.Write(m.Topic, m.Log, m.Pub, m.Data);
        }
        w.Complete();
    }

    public static TheoryData<BagStorageKind, bool> Layouts() => new()
    {
        { BagStorageKind.Mcap, false }, { BagStorageKind.Mcap, true }, { BagStorageKind.Sqlite3, false }, { BagStorageKind.Sqlite3, true },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_written_bag_reads_back_identically(BagStorageKind storage, bool jazzy)
    {
        using var dir = new TempDir();
        string bagPath = dir.File("out");
        var options = new BagWriterOptions { Storage = storage, Mcap = new McapWriterOptions { ChunkSize = 256 * 1024 } };
        if (jazzy)
        {
            options = options.AsJazzy();
        }
        var messages = Sample(3);
        WriteBag(bagPath, options, messages);

        Assert.Equal(["metadata.yaml", storage == BagStorageKind.Mcap ? "out_0.mcap" : "out_0.db3"],
            Directory.GetFiles(bagPath).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Directory.GetDirectories(dir.Path), d => Path.GetFileName(d).StartsWith('.'));

        using var bag = BagReader.Open(bagPath);
        var meta = bag.Metadata!;
        Assert.Equal(jazzy ? 9 : 5, meta.Version);
        Assert.Equal(40UL, meta.MessageCount);
        Assert.Equal(messages[0].Log, meta.StartingTime);
        Assert.Equal(messages[^1].Log - messages[0].Log, meta.Duration);
        Assert.Equal(40UL, bag.Info.MessageCount);
        var image = bag.Info.Topics.Single(t => t.Topic.Name == "/camera/image_raw");
        Assert.Equal(20UL, image.MessageCount);
        Assert.Equal("sensor_msgs/msg/Image", image.Topic.Type);
        Assert.Equal("best_effort", QosProfile.ParseList(image.Topic.OfferedQosProfiles)[0].ReliabilityName);
        Assert.Equal(5, QosProfile.ParseList(meta.Topics[0].Topic.OfferedQosProfiles)[0].Depth);
        // Humble's rosbag2 reads policies as integers, Jazzy's (metadata version 9) as names: both in the YAML and in storage.
        string yaml = File.ReadAllText(Path.Combine(bagPath, "metadata.yaml"));
        Assert.Contains(jazzy ? "reliability: best_effort" : "reliability: 2", yaml, StringComparison.Ordinal);
        Assert.Contains(jazzy ? "reliability: best_effort" : "reliability: 2", image.Topic.OfferedQosProfiles, StringComparison.Ordinal);
        Assert.Contains(jazzy ? "liveliness: automatic" : "liveliness: 1", image.Topic.OfferedQosProfiles, StringComparison.Ordinal);
        if (jazzy || storage == BagStorageKind.Mcap)
        {
            Assert.Contains("uint32 height", bag.FindDefinition("sensor_msgs/msg/Image")!.Text, StringComparison.Ordinal);
        }

        int i = 0;
        foreach (var m in bag.ReadMessages())
        {
            var expected = messages[i];
            Assert.Equal(expected.Topic == 1 ? "/camera/image_raw" : "/chatter", m.Topic.Name);
            Assert.Equal(expected.Log, m.LogTime);
            // sqlite3 stores one timestamp; MCAP keeps publish time too.
            Assert.Equal(storage == BagStorageKind.Mcap ? expected.Pub : expected.Log, m.PublishTime);
            Assert.True(expected.Data.AsSpan().SequenceEqual(m.Data.Span), $"message {i} differs");
            i++;
        }
        Assert.Equal(40, i);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Sqlite3_schema_tables_match_the_requested_version(int schema)
    {
        using var dir = new TempDir();
        string bagPath = dir.File("s");
        WriteBag(bagPath, new BagWriterOptions { Storage = BagStorageKind.Sqlite3, SqliteSchemaVersion = schema }, Sample(1));
        using var c = new SqliteConnection($"Data Source={Path.Combine(bagPath, "s_0.db3")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT schema_version FROM schema";
        Assert.Equal((long)schema, (long)cmd.ExecuteScalar()!);
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name='message_definitions'";
        Assert.Equal(schema >= 4 ? 1L : 0L, (long)cmd.ExecuteScalar()!);
        cmd.CommandText = "SELECT COUNT(*) FROM metadata";
        Assert.Equal(1L, (long)cmd.ExecuteScalar()!);
        cmd.CommandText = "SELECT metadata FROM metadata";
        var embedded = (string)cmd.ExecuteScalar()!;
        Assert.StartsWith("version: ", embedded, StringComparison.Ordinal);
        Assert.Equal(40UL, BagMetadata.Parse(embedded).MessageCount);
    }

    [Fact]
    public void An_mcap_bag_carries_rosbag2_metadata_and_qos_in_channels()
    {
        using var dir = new TempDir();
        string bagPath = dir.File("m");
        WriteBag(bagPath, BagWriterOptions.Default, Sample(2));
        using var reader = McapStreamReader.Open(Path.Combine(bagPath, "m_0.mcap"));
        var records = reader.ReadRecords().ToList();
        var meta = records.OfType<McapMetadata>().Single();
        Assert.Equal("rosbag2", meta.Name);
        // Embedded as rosbag2 does: the fields without metadata.yaml's wrapper key (Jazzy's player refuses the wrapper).
        var embedded = meta.Metadata["serialized_metadata"];
        Assert.StartsWith("version: ", embedded, StringComparison.Ordinal);
        Assert.DoesNotContain("rosbag2_bagfile_information", embedded, StringComparison.Ordinal);
        var fromFile = BagMetadata.Parse(File.ReadAllText(Path.Combine(bagPath, BagMetadata.FileName)));
        var fromMcap = BagMetadata.Parse(embedded);
        Assert.Equal(fromFile.ToYaml(), fromMcap.ToYaml());
        Assert.Equal(40UL, fromMcap.MessageCount);
        var channel = records.OfType<McapChannel>().First(c => c.Topic == "/camera/image_raw");
        Assert.Equal("cdr", channel.MessageEncoding);
        Assert.Equal(SensorQos, channel.Metadata["offered_qos_profiles"]);
        var schema = records.OfType<McapSchema>().First(s => s.Name == "sensor_msgs/msg/Image");
        Assert.Equal("ros2msg", schema.Encoding);
        Assert.Equal("ros2", records.OfType<McapHeader>().Single().Profile);
    }

    [Fact]
    public void A_bag_not_completed_leaves_nothing_under_the_final_name()
    {
        using var dir = new TempDir();
        string bagPath = dir.File("half");
        using (var w = BagWriter.Create(bagPath))
        {
            int t = w.AddTopic(new BagTopic("/x", "std_msgs/msg/String"), null);
            w.Write(t, 1, 1, [0, 1, 0, 0, 1, 0, 0, 0, 0]);
            // No Complete(): as if the run failed here.
        }
        Assert.False(Directory.Exists(bagPath));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void An_existing_output_is_refused_unless_overwrite()
    {
        using var dir = new TempDir();
        string bagPath = dir.File("exists");
        Directory.CreateDirectory(bagPath);
        Assert.Throws<BagException>(() => BagWriter.Create(bagPath));
        WriteBag(bagPath, BagWriterOptions.Default with { Overwrite = true }, Sample(4));
        using var bag = BagReader.Open(bagPath);
        Assert.Equal(40UL, bag.Info.MessageCount);
    }

    [Fact]
    public void Qos_text_converts_between_humble_integers_and_jazzy_names()
    {
        string humble = QosProfile.FormatList([QosProfile.SensorData, QosProfile.TransientLocal]);
        string jazzy = QosProfile.Normalize(humble, 9);
        Assert.Contains("history: keep_last", jazzy, StringComparison.Ordinal);
        Assert.Contains("durability: transient_local", jazzy, StringComparison.Ordinal);
        Assert.Equal(humble, QosProfile.Normalize(jazzy, 5));
        Assert.Equal([QosProfile.SensorData, QosProfile.TransientLocal], QosProfile.ParseList(jazzy));
        Assert.Equal("not: [valid", QosProfile.Normalize("not: [valid", 9));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    public void Metadata_yaml_round_trips(int version)
    {
        var m = new BagMetadata
        {
            Version = version, StorageIdentifier = "mcap", RelativeFilePaths = ["a_0.mcap"], Duration = 5, StartingTime = 7,
            MessageCount = 3,
            Topics = [new BagTopicInfo(new BagTopic("/a", "std_msgs/msg/String", "cdr", QosProfile.FormatList([QosProfile.TransientLocal]), "RIHS01_x"), 3)],
            Files = [new BagFileInfo("a_0.mcap", 7, 5, 3)], RosDistro = "jazzy",
        };
        string yaml = m.ToYaml();
        Assert.Equal(version >= 9, yaml.Contains("offered_qos_profiles:\n", StringComparison.Ordinal));
        var back = BagMetadata.Parse(yaml);
        Assert.Equal(version, back.Version);
        Assert.Equal(m.RelativeFilePaths, back.RelativeFilePaths);
        Assert.Equal(m.Files, back.Files);
        Assert.Equal(m.Topics[0].Topic with { TypeDescriptionHash = version >= 7 ? "RIHS01_x" : "" }, back.Topics[0].Topic);
        Assert.Equal(QosProfile.TransientLocal, QosProfile.ParseList(back.Topics[0].Topic.OfferedQosProfiles)[0]);
    }
}

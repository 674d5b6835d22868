using System.Buffers.Binary;
using System.Text;

namespace RosPartSeg.Bags.Tests;

/// <summary>The upstream rosbag2 test bags open, list and read.</summary>
public class FixtureBagTests
{
    private static string Fixture(string relative) => Path.Combine(TestPaths.Rosbag2, relative);

    /// <summary>Reads a CDR std_msgs/String by hand (4-byte header, u32 length with NUL, bytes).</summary>
    internal static string CdrString(ReadOnlySpan<byte> cdr)
    {
        Assert.Equal(0x00, cdr[0]);
        Assert.Equal(0x01, cdr[1]);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(cdr[4..]);
        Assert.True(length >= 1 && 8 + length <= cdr.Length);
        Assert.Equal(0, cdr[8 + (int)length - 1]);
        return Encoding.UTF8.GetString(cdr.Slice(8, (int)length - 1));
    }

    [SharedTheory]
    [InlineData("sqlite3_talker", "sqlite3")]
    [InlineData("sqlite3_talker/talker.db3", "sqlite3")]
    [InlineData("mcap_talker", "mcap")]
    [InlineData("mcap_talker/talker.mcap", "mcap")]
    public void Talker_bags_list_their_topics_and_counts(string relative, string storage)
    {
        using var bag = BagReader.Open(Fixture(relative));
        var info = bag.Info;
        Assert.Equal(storage, info.StorageIdentifier);
        Assert.Equal(20UL, info.MessageCount);
        var topics = info.Topics.ToDictionary(t => t.Topic.Name);
        Assert.Equal(10UL, topics["/topic"].MessageCount);
        Assert.Equal("std_msgs/msg/String", topics["/topic"].Topic.Type);
        Assert.Equal(10UL, topics["/rosout"].MessageCount);
        Assert.Equal("rcl_interfaces/msg/Log", topics["/rosout"].Topic.Type);
        Assert.Equal(0UL, topics["/parameter_events"].MessageCount);
        Assert.All(info.Topics, t => Assert.Equal("cdr", t.Topic.SerializationFormat));
        var qos = QosProfile.ParseList(topics["/topic"].Topic.OfferedQosProfiles);
        Assert.Single(qos);
        Assert.Equal("reliable", qos[0].ReliabilityName);
        Assert.True(info.EndTime > info.StartTime);
        Assert.Equal(1585866235, info.StartTime / 1_000_000_000);
    }

    [SharedFact]
    public void The_sqlite3_talker_is_schema_4_with_message_definitions()
    {
        using var bag = BagReader.Open(Fixture("sqlite3_talker/talker.db3"));
        Assert.Contains("schema 4", bag.Info.Details, StringComparison.Ordinal);
        var def = bag.FindDefinition("std_msgs/msg/String");
        Assert.NotNull(def);
        Assert.Contains("string data", def.Text, StringComparison.Ordinal);
    }

    [SharedTheory]
    [InlineData("sqlite3_talker/talker.db3")]
    [InlineData("mcap_talker/talker.mcap")]
    public void Talker_strings_read_back_in_order(string relative)
    {
        using var bag = BagReader.Open(Fixture(relative));
        var strings = bag.ReadMessages(t => t.Name == "/topic").Select(m => CdrString(m.Data.Span)).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"Hello, world! {i}"), strings);
    }

    [SharedFact]
    public void Mcap_and_sqlite3_talkers_hold_the_same_messages()
    {
        using var a = BagReader.Open(Fixture("sqlite3_talker/talker.db3"));
        using var b = BagReader.Open(Fixture("mcap_talker/talker.mcap"));
        var left = a.ReadMessages().Select(m => (m.Topic.Name, m.LogTime, m.Data.ToArray())).ToList();
        var right = b.ReadMessages().Select(m => (m.Topic.Name, m.LogTime, m.Data.ToArray())).ToList();
        Assert.Equal(20, left.Count);
        Assert.Equal(left.Count, right.Count);
        for (int i = 0; i < left.Count; i++)
        {
            Assert.Equal(left[i].Name, right[i].Name);
            Assert.Equal(left[i].Item3, right[i].Item3);
        }
    }

    [SharedFact]
    public void The_old_layout_bag_without_schema_table_opens_as_a_file()
    {
        using var bag = BagReader.Open(Fixture("sqlite3_wbag_0/wbag_0.db3"));
        Assert.Contains("without schema table", bag.Info.Details, StringComparison.Ordinal);
        Assert.Equal(8, bag.Info.Topics.Count);
        Assert.Equal(["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH"], bag.Info.Topics.Select(t => t.Topic.Name).Order());
        Assert.All(bag.Info.Topics, t => Assert.Equal("std_msgs/msg/String", t.Topic.Type));
        Assert.Equal(1246UL, bag.Info.MessageCount);
        Assert.Equal(bag.Info.MessageCount, (ulong)bag.Info.Topics.Sum(t => (long)t.MessageCount));
        int n = 0;
        foreach (var m in bag.ReadMessages())
        {
            _ = CdrString(m.Data.Span);
            n++;
        }
        Assert.Equal(1246, n);
    }

    [SharedFact]
    public void A_folder_whose_metadata_lists_missing_files_is_a_clear_error()
    {
        var e = Assert.Throws<BagException>(() => BagReader.Open(Fixture("sqlite3_wbag_0")));
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        Assert.Contains("wbag_1.db3", e.Message, StringComparison.Ordinal);
    }

    [SharedFact]
    public void Metadata_yaml_of_the_fixtures_parses()
    {
        var m = BagMetadata.Load(Fixture("sqlite3_talker/metadata.yaml"));
        Assert.Equal(4, m.Version);
        Assert.Equal("sqlite3", m.StorageIdentifier);
        Assert.Equal(20UL, m.MessageCount);
        Assert.Equal(4531096768L, m.Duration);
        Assert.Equal(["talker.db3"], m.RelativeFilePaths);
        Assert.Equal(3, m.Topics.Count);
        Assert.Equal("volatile", QosProfile.ParseList(m.Topics[0].Topic.OfferedQosProfiles)[0].DurabilityName);
        var w = BagMetadata.Load(Fixture("sqlite3_wbag_0/metadata.yaml"));
        Assert.Equal(6074UL, w.MessageCount);
        Assert.Equal(5, w.RelativeFilePaths.Count);
    }
}

/// <summary>Every message of the fixture bags decodes with the project's own message types.</summary>
public class FixtureDecodeTests
{
    [SharedTheory]
    [InlineData("sqlite3_talker/talker.db3")]
    [InlineData("mcap_talker/talker.mcap")]
    [InlineData("sqlite3_wbag_0/wbag_0.db3")]
    public void Every_message_decodes(string relative)
    {
        using var bag = BagReader.Open(Path.Combine(TestPaths.Rosbag2, relative));
        int strings = 0, logs = 0;
        foreach (var m in bag.ReadMessages())
        {
            switch (m.Topic.Type)
            {
                case "std_msgs/msg/String":
                    var s = RosPartSeg.Messages.RosMessage.Decode<RosPartSeg.Messages.Std.StdString>(m.Data.Span);
                    Assert.Equal(FixtureBagTests.CdrString(m.Data.Span), s.Data);
                    strings++;
                    break;
                case "rcl_interfaces/msg/Log":
                    var log = RosPartSeg.Messages.RosMessage.Decode<RosPartSeg.Messages.Rcl.Log>(m.Data.Span);
                    Assert.Equal(RosPartSeg.Messages.Rcl.Log.Info, log.Level);
                    Assert.Contains("Publishing: 'Hello, world!", log.Msg, StringComparison.Ordinal);
                    logs++;
                    break;
                default:
                    Assert.Fail($"unexpected type {m.Topic.Type} with messages");
                    break;
            }
        }
        Assert.Equal(bag.Info.MessageCount, (ulong)(strings + logs));
        Assert.Equal(relative.Contains("talker", StringComparison.Ordinal) ? 10 : 0, logs);
    }
}

using Microsoft.Data.Sqlite;
using RosPartSeg.Messages.Rcl;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Messages.Tests;

/// <summary>Messages recorded by a real ROS 2 talker (ros2/rosbag2 test resources) decode with this codec.</summary>
public sealed class FixtureBagTests
{
    private static string TalkerDb3 => Path.Combine(SharedData.Fixtures, "rosbag2", "sqlite3_talker", "talker.db3");

    private static List<(string Type, byte[] Data)> ReadTalkerMessages() => ReadTalkerMessages(TalkerDb3);

    private static List<(string Type, byte[] Data)> ReadTalkerMessages(string path)
    {
        using var db = new SqliteConnection(SharedData.SqliteReadOnly(path));
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT t.type, m.data FROM messages m JOIN topics t ON t.id = m.topic_id ORDER BY m.timestamp";
        using var r = cmd.ExecuteReader();
        var result = new List<(string, byte[])>();
        while (r.Read())
        {
            result.Add((r.GetString(0), (byte[])r.GetValue(1)));
        }
        return result;
    }

    // The talker is a WAL-mode database: opened read-only but not immutable, sqlite leaves talker.db3-wal and -shm
    // beside it wherever it may write, as it did in a writable copy of shared/ (and fails where it may not).
    [SharedFact]
    public void ReadingTheTalkerWritesNothingBesideIt()
    {
        var dir = Directory.CreateTempSubdirectory("rospartseg-talker-");
        try
        {
            var copy = Path.Combine(dir.FullName, "talker.db3");
            File.Copy(TalkerDb3, copy);
            Assert.Equal(20, ReadTalkerMessages(copy).Count);
            Assert.Equal(["talker.db3"], dir.GetFiles().Select(f => f.Name));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SharedFact]
    public void TalkerStringsAndLogsDecode()
    {
        var messages = ReadTalkerMessages();
        var strings = messages.Where(m => m.Type == "std_msgs/msg/String").Select(m => RosMessage.Decode<StdString>(m.Data.AsMemory()).Data).ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"Hello, world! {i}"), strings);
        var logs = messages.Where(m => m.Type == "rcl_interfaces/msg/Log").Select(m => RosMessage.Decode<Log>(m.Data.AsMemory())).ToArray();
        Assert.Equal(10, logs.Length);
        Assert.All(logs, l =>
        {
            Assert.Equal(Log.Info, l.Level);
            Assert.Equal("minimal_publisher", l.Name);
            Assert.StartsWith("Publishing: 'Hello, world! ", l.Msg, StringComparison.Ordinal);
            Assert.EndsWith("lambda.cpp", l.File, StringComparison.Ordinal);
            Assert.Equal("operator()", l.Function);
            Assert.True(l.Line > 0);
        });
        // Re-encoding gives the recorded length and the same fields. (The recorder left non-zero garbage in alignment
        // padding, so the bytes themselves differ there: a reader must never look at padding.)
        foreach (var (type, data) in messages.Where(m => m.Type == "rcl_interfaces/msg/Log"))
        {
            var decoded = RosMessage.Decode<Log>(data.AsMemory());
            var again = RosMessage.EncodeToArray(decoded);
            Assert.Equal(data.Length, again.Length);
            Assert.Equal(TestSupport.Deep(decoded), TestSupport.Deep(RosMessage.Decode<Log>(again.AsMemory())));
        }
        foreach (var (type, data) in messages.Where(m => m.Type == "std_msgs/msg/String"))
        {
            Assert.Equal(data, RosMessage.EncodeToArray(RosMessage.Decode<StdString>(data.AsMemory())));
        }
    }

    [SharedFact]
    public void RecordedSchemaTextsMatchTheEmbeddedHumbleTexts()
    {
        // The MCAP talker bag stores the Log schema with builtin_interfaces/Time appended (an older rosbag2 that wrote no
        // blank line before the separator); each block's text must equal ours byte for byte.
        var mcap = File.ReadAllBytes(Path.Combine(SharedData.Fixtures, "rosbag2", "mcap_talker", "talker.mcap"));
        var text = System.Text.Encoding.UTF8.GetString(mcap);
        var log = MessageRegistry.Get("rcl_interfaces/msg/Log");
        var time = MessageRegistry.Get("builtin_interfaces/msg/Time");
        var recorded = log.Text + new string('=', 80) + "\nMSG: builtin_interfaces/Time\n" + time.Text;
        Assert.Contains(recorded, text, StringComparison.Ordinal);
        Assert.Contains(MessageRegistry.Get("std_msgs/msg/String").Text, text, StringComparison.Ordinal);
        // /parameter_events' schema, recorded by a real rosbag2, holds the three rcl_interfaces texts the node sends.
        foreach (var type in new[] { "rcl_interfaces/msg/ParameterEvent", "rcl_interfaces/msg/Parameter", "rcl_interfaces/msg/ParameterValue" })
        {
            Assert.Contains(MessageRegistry.Get(type).Text, text, StringComparison.Ordinal);
        }
    }
}

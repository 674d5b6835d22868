using System.Buffers;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RosPartSeg.Bags.Storage;

/// <summary>
/// A rosbag2 sqlite3 file: schema 4 (Jazzy: type hashes, message_definitions), 3 (Humble) or the older layout
/// without a schema table. Counts and time range come from aggregate queries over the messages table's
/// (topic_id, timestamp) columns, never from the blobs.
/// </summary>
internal sealed class SqliteStorageReader : IStorageReader
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<long, BagTopic> _topicsById = [];
    private readonly List<BagTopicInfo> _topicInfos = [];
    private readonly Dictionary<string, MessageDefinition> _definitions = new(StringComparer.Ordinal);

    public SqliteStorageReader(string path)
    {
        if (!File.Exists(path))
        {
            throw new BagException($"no such sqlite3 file '{path}'");
        }
        // immutable=1: fixtures and recorded bags are read-only and may be in WAL mode; do not create -wal/-shm files.
        string uri = "file:" + Uri.EscapeDataString(Path.GetFullPath(path)).Replace("%2F", "/", StringComparison.Ordinal) + "?immutable=1";
        _connection = new SqliteConnection($"Data Source={uri};Mode=ReadOnly;Pooling=False");
        try
        {
            _connection.Open();
            var tables = Strings("SELECT name FROM sqlite_master WHERE type='table'").ToHashSet(StringComparer.Ordinal);
            if (!tables.Contains("topics") || !tables.Contains("messages"))
            {
                throw new BagException($"'{path}' is an sqlite3 database but not a rosbag2 bag (no topics/messages tables)");
            }
            SchemaVersion = tables.Contains("schema") ? (int)Scalar("SELECT MAX(schema_version) FROM schema") : 0;
            RosDistro = tables.Contains("schema") ? Strings("SELECT ros_distro FROM schema").FirstOrDefault() ?? "" : "";
            LoadTopics();
            if (tables.Contains("message_definitions"))
            {
                LoadDefinitions();
            }
            LoadCounts();
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new BagException($"'{path}' is not a readable rosbag2 sqlite3 file: {e.Message}", e);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>3 (Humble), 4 (Jazzy) or 0 when the file has no schema table (older rosbag2).</summary>
    public int SchemaVersion { get; }

    public string RosDistro { get; }

    public string StorageIdentifier => "sqlite3";

    public IReadOnlyList<BagTopicInfo> Topics => _topicInfos;

    public long StartTime { get; private set; }

    public long EndTime { get; private set; }

    public ulong MessageCount { get; private set; }

    public string Details => SchemaVersion == 0
        ? "sqlite3 without schema table (pre-Humble layout)"
        : $"sqlite3 schema {SchemaVersion}, ros_distro '{RosDistro}'";

    public IEnumerable<BagMessage> ReadMessages(Func<BagTopic, bool>? topicFilter)
    {
        var wanted = _topicsById.Where(p => topicFilter is null || topicFilter(p.Value)).ToDictionary(p => p.Key, p => p.Value);
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT topic_id, timestamp, data FROM messages ORDER BY timestamp, id";
        using var reader = cmd.ExecuteReader();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (reader.Read())
            {
                long topicId = reader.GetInt64(0);
                if (!wanted.TryGetValue(topicId, out var topic))
                {
                    if (!_topicsById.ContainsKey(topicId))
                    {
                        throw new BagException($"a message refers to topic id {topicId}, which the topics table does not have");
                    }
                    continue;
                }
                long timestamp = reader.GetInt64(1);
                long length = reader.GetBytes(2, 0, null, 0, 0);
                if (length > Array.MaxLength)
                {
                    throw new BagException($"a message of {length} bytes is too large");
                }
                if (buffer.Length < length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent((int)length);
                }
                long got = reader.GetBytes(2, 0, buffer, 0, (int)length);
                yield return new BagMessage(topic, timestamp, timestamp, buffer.AsMemory(0, (int)got));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public MessageDefinition? FindDefinition(string topicType) => _definitions.GetValueOrDefault(topicType);

    public void Dispose() => _connection.Dispose();

    private void LoadTopics()
    {
        bool hasHash = Strings("SELECT name FROM pragma_table_info('topics')").Contains("type_description_hash");
        bool hasQos = Strings("SELECT name FROM pragma_table_info('topics')").Contains("offered_qos_profiles");
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT id, name, type, serialization_format"
            + (hasQos ? ", offered_qos_profiles" : ", ''") + (hasHash ? ", type_description_hash" : ", ''") + " FROM topics ORDER BY id";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var topic = new BagTopic(r.GetString(1), r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? "" : r.GetString(4), r.IsDBNull(5) ? "" : r.GetString(5));
            _topicsById[r.GetInt64(0)] = topic;
        }
    }

    private void LoadDefinitions()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT topic_type, encoding, encoded_message_definition, type_description_hash FROM message_definitions";
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var d = new MessageDefinition(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3));
            _definitions[d.TopicType] = d;
        }
    }

    private void LoadCounts()
    {
        var counts = new Dictionary<long, ulong>();
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT topic_id, COUNT(*) FROM messages GROUP BY topic_id";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                counts[r.GetInt64(0)] = (ulong)r.GetInt64(1);
            }
        }
        foreach (var (id, topic) in _topicsById.OrderBy(p => p.Key))
        {
            _topicInfos.Add(new BagTopicInfo(topic, counts.GetValueOrDefault(id)));
        }
        MessageCount = (ulong)counts.Values.Sum(c => (long)c);
        if (MessageCount > 0)
        {
            StartTime = Scalar("SELECT MIN(timestamp) FROM messages");
            EndTime = Scalar("SELECT MAX(timestamp) FROM messages");
        }
    }

    private long Scalar(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    private List<string> Strings(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }
        return list;
    }
}

using Microsoft.Data.Sqlite;

namespace RosPartSeg.Bags.Storage;

/// <summary>Writes a rosbag2 sqlite3 file in schema 3 (Humble) or 4 (Jazzy); inserts are batched in transactions.</summary>
internal sealed class SqliteStorageWriter : IStorageWriter
{
    private const int MessagesPerTransaction = 500;
    private readonly SqliteConnection _connection;
    private readonly int _schema;
    private readonly HashSet<string> _definedTypes = new(StringComparer.Ordinal);
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _topicParam;
    private readonly SqliteParameter _timeParam;
    private readonly SqliteParameter _dataParam;
    private SqliteTransaction _transaction;
    private int _pending;
    private byte[] _blob = new byte[64 * 1024];

    public SqliteStorageWriter(string path, BagWriterOptions options)
    {
        if (options.SqliteSchemaVersion is not (3 or 4))
        {
            throw new ArgumentException($"sqlite3 schema {options.SqliteSchemaVersion} is not written (use 3 or 4)", nameof(options));
        }
        _schema = options.SqliteSchemaVersion;
        _connection = new SqliteConnection($"Data Source={path};Mode=ReadWriteCreate;Pooling=False");
        _connection.Open();
        Execute("PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA page_size=4096;");
        Execute("CREATE TABLE schema(schema_version INTEGER PRIMARY KEY,ros_distro TEXT NOT NULL);");
        Execute("CREATE TABLE metadata(id INTEGER PRIMARY KEY,metadata_version INTEGER NOT NULL,metadata TEXT NOT NULL);");
        Execute(_schema >= 4
            ? "CREATE TABLE topics(id INTEGER PRIMARY KEY,name TEXT NOT NULL,type TEXT NOT NULL,serialization_format TEXT NOT NULL,offered_qos_profiles TEXT NOT NULL,type_description_hash TEXT NOT NULL);"
            : "CREATE TABLE topics(id INTEGER PRIMARY KEY,name TEXT NOT NULL,type TEXT NOT NULL,serialization_format TEXT NOT NULL,offered_qos_profiles TEXT NOT NULL);");
        if (_schema >= 4)
        {
            Execute("CREATE TABLE message_definitions(id INTEGER PRIMARY KEY,topic_type TEXT NOT NULL,encoding TEXT NOT NULL,encoded_message_definition TEXT NOT NULL,type_description_hash TEXT NOT NULL);");
        }
        Execute("CREATE TABLE messages(id INTEGER PRIMARY KEY,topic_id INTEGER NOT NULL,timestamp INTEGER NOT NULL, data BLOB NOT NULL);");
        Execute("CREATE INDEX timestamp_idx ON messages (timestamp ASC);");
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO schema(schema_version, ros_distro) VALUES ($v, $d)";
            cmd.Parameters.AddWithValue("$v", _schema);
            cmd.Parameters.AddWithValue("$d", options.RosDistro);
            cmd.ExecuteNonQuery();
        }
        _transaction = _connection.BeginTransaction();
        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO messages(topic_id, timestamp, data) VALUES ($t, $ts, $d)";
        _topicParam = _insert.Parameters.Add("$t", SqliteType.Integer);
        _timeParam = _insert.Parameters.Add("$ts", SqliteType.Integer);
        _dataParam = _insert.Parameters.Add("$d", SqliteType.Blob);
        _dataParam.Value = _blob;
        _insert.Transaction = _transaction;
    }

    public void AddTopic(int id, BagTopic topic, MessageDefinition? definition)
    {
        using var cmd = _connection.CreateCommand();
        cmd.Transaction = _transaction;
        cmd.CommandText = _schema >= 4
            ? "INSERT INTO topics(id, name, type, serialization_format, offered_qos_profiles, type_description_hash) VALUES ($id, $n, $t, $f, $q, $h)"
            : "INSERT INTO topics(id, name, type, serialization_format, offered_qos_profiles) VALUES ($id, $n, $t, $f, $q)";
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$n", topic.Name);
        cmd.Parameters.AddWithValue("$t", topic.Type);
        cmd.Parameters.AddWithValue("$f", topic.SerializationFormat);
        cmd.Parameters.AddWithValue("$q", topic.OfferedQosProfiles);
        if (_schema >= 4)
        {
            cmd.Parameters.AddWithValue("$h", topic.TypeDescriptionHash);
        }
        cmd.ExecuteNonQuery();
        if (_schema >= 4 && _definedTypes.Add(topic.Type))
        {
            using var def = _connection.CreateCommand();
            def.Transaction = _transaction;
            def.CommandText = "INSERT INTO message_definitions(topic_type, encoding, encoded_message_definition, type_description_hash) VALUES ($t, $e, $d, $h)";
            def.Parameters.AddWithValue("$t", topic.Type);
            def.Parameters.AddWithValue("$e", definition?.Encoding ?? "unknown");
            def.Parameters.AddWithValue("$d", definition?.Text ?? "");
            def.Parameters.AddWithValue("$h", topic.TypeDescriptionHash);
            def.ExecuteNonQuery();
        }
    }

    public void Write(int id, long logTime, long publishTime, ReadOnlySpan<byte> data)
    {
        _topicParam.Value = id;
        _timeParam.Value = logTime;
        // Microsoft.Data.Sqlite binds byte[] only: copy into a reused buffer and bind just its first Size bytes.
        if (_blob.Length < data.Length)
        {
            _blob = new byte[Math.Max(data.Length, _blob.Length * 2)];
            _dataParam.Value = _blob;
        }
        data.CopyTo(_blob);
        _dataParam.Size = data.Length;
        _insert.ExecuteNonQuery();
        if (++_pending >= MessagesPerTransaction)
        {
            _transaction.Commit();
            _transaction.Dispose();
            _transaction = _connection.BeginTransaction();
            _insert.Transaction = _transaction;
            _pending = 0;
        }
    }

    public void Finish(string metadataYaml, int metadataVersion)
    {
        using (var cmd = _connection.CreateCommand())
        {
            cmd.Transaction = _transaction;
            cmd.CommandText = "INSERT INTO metadata(metadata_version, metadata) VALUES ($v, $m)";
            cmd.Parameters.AddWithValue("$v", metadataVersion);
            cmd.Parameters.AddWithValue("$m", metadataYaml);
            cmd.ExecuteNonQuery();
        }
        _transaction.Commit();
    }

    public void Dispose()
    {
        _insert.Dispose();
        _transaction.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}

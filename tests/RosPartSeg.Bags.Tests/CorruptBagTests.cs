namespace RosPartSeg.Bags.Tests;

public class CorruptBagTests
{
    [Fact]
    public void A_db3_that_is_not_a_bag_is_a_clear_error()
    {
        using var dir = new TempDir();
        string path = dir.File("other.db3");
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE people(name TEXT)";
            cmd.ExecuteNonQuery();
        }
        var e = Assert.Throws<BagException>(() => BagReader.Open(path));
        Assert.Contains("not a rosbag2 bag", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_db3_that_is_not_sqlite_is_a_clear_error()
    {
        using var dir = new TempDir();
        string path = dir.File("junk.db3");
        File.WriteAllBytes(path, new byte[4096]);
        File.WriteAllText(path, "this is plain text, not a database at all, and it is long enough to fill a header........");
        Assert.Throws<BagException>(() => BagReader.Open(path));
    }

    [SharedFact]
    public void A_truncated_mcap_bag_is_a_clear_error()
    {
        using var dir = new TempDir();
        byte[] full = File.ReadAllBytes(Path.Combine(TestPaths.Rosbag2, "mcap_talker", "talker.mcap"));
        string path = dir.File("cut.mcap");
        File.WriteAllBytes(path, full[..(full.Length / 2)]);
        var e = Assert.Throws<BagException>(() => BagReader.Open(path));
        Assert.Contains("MCAP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_unknown_kind_is_refused()
    {
        using var dir = new TempDir();
        string path = dir.File("x.bin");
        File.WriteAllText(path, "hello");
        Assert.Throws<BagException>(() => BagReader.Open(path));
        Assert.Throws<BagException>(() => BagReader.Open(dir.File("nope")));
    }

    [Fact]
    public void A_rosbag2_compressed_bag_is_refused_with_the_reason()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("metadata.yaml"),
            "rosbag2_bagfile_information:\n  version: 5\n  storage_identifier: sqlite3\n  relative_file_paths: [b_0.db3.zstd]\n" +
            "  compression_format: zstd\n  compression_mode: FILE\n");
        File.WriteAllBytes(dir.File("b_0.db3.zstd"), [0x28, 0xB5, 0x2F, 0xFD]);
        var e = Assert.Throws<BagException>(() => BagReader.Open(dir.Path));
        Assert.Contains("rosbag2-compressed", e.Message, StringComparison.Ordinal);
    }
}

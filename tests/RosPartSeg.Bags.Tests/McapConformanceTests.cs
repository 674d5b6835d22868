using System.Text.Json;
using System.Text.Json.Nodes;
using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Bags.Tests;

/// <summary>Every file of the MCAP authors' conformance corpus must stream to exactly its expected records.</summary>
public class McapConformanceTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(TestPaths.Conformance, "*.mcap", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(TestPaths.Conformance, f));
        }
        return data;
    }

    [SharedFact]
    public void The_corpus_has_all_208_files()
    {
        Assert.Equal(208, Files().Count);
    }

    [SharedTheory]
    [MemberData(nameof(Files))]
    public void Streaming_reader_prints_the_expected_records(string relative)
    {
        string mcap = Path.Combine(TestPaths.Conformance, relative);
        var expected = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(mcap, ".json")))!["records"];

        using var output = new MemoryStream();
        using (var stream = File.OpenRead(mcap))
        using (var json = new Utf8JsonWriter(output))
        {
            McapJson.WriteRecords(stream, json);
        }
        var actual = JsonNode.Parse(output.ToArray())!["records"];

        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"records differ for {relative}\nexpected: {expected!.ToJsonString()}\nactual:   {actual!.ToJsonString()}");
    }
}

/// <summary>Every TenMessages variant opens as a bag: from the summary's Statistics when present, otherwise by scanning.</summary>
public class McapConformanceBagTests
{
    public static TheoryData<string> TenMessageFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(TestPaths.Conformance, "TenMessages"), "*.mcap").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    [SharedTheory]
    [MemberData(nameof(TenMessageFiles))]
    public void Ten_messages_are_listed_and_read(string name)
    {
        using var bag = BagReader.Open(Path.Combine(TestPaths.Conformance, "TenMessages", name));
        Assert.Equal(10UL, bag.Info.MessageCount);
        var topic = Assert.Single(bag.Info.Topics);
        Assert.Equal("example", topic.Topic.Name);
        Assert.Equal(10UL, topic.MessageCount);
        if (name == "TenMessages.mcap")
        {
            Assert.Contains("scanned", bag.Info.Details, StringComparison.Ordinal);
        }
        Assert.Equal(10, bag.ReadMessages().Count());
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using RosPartSeg.Bags.Mcap;

namespace RosPartSeg.Cli.Commands;

/// <summary><c>rospartseg mcap records FILE</c>: every record as a streaming reader meets it, as conformance-corpus JSON.</summary>
internal sealed class McapRecordsCommand : ICliCommand
{
    public string Name => "mcap";

    public string Summary => "MCAP tools: 'mcap records FILE' prints every record as JSON";

    public int Execute(string[] args)
    {
        if (args.Length != 2 || args[0] != "records")
        {
            Console.Error.WriteLine("usage: rospartseg mcap records FILE");
            Console.Error.WriteLine("  Streams FILE and prints its records in file order as JSON (chunks expanded,");
            Console.Error.WriteLine("  MessageIndex records left out, Footer last); CRCs present in the file are checked.");
            return args.Length == 1 && args[0] is "-h" or "--help" ? 0 : 2;
        }
        string path = args[1];
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"rospartseg mcap records: no such file '{path}'");
            return 1;
        }
        using var stdout = Console.OpenStandardOutput();
        using var buffered = new BufferedStream(stdout, 1 << 16);
        using var json = new Utf8JsonWriter(buffered, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            McapJson.WriteRecords(file, json);
        }
        catch (IOException) when (!File.Exists(path) || Console.IsOutputRedirected)
        {
            // The reader of our output went away (e.g. `| head`): nothing more to say.
            return 141;
        }
        catch (McapFormatException e)
        {
            json.Flush();
            buffered.Flush();
            Console.Error.WriteLine();
            Console.Error.WriteLine($"rospartseg mcap records: {e.Message}");
            return 1;
        }
        buffered.WriteByte((byte)'\n');
        return 0;
    }
}

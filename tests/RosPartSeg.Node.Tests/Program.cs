using RosPartSeg.Dds;

namespace RosPartSeg.Node.Tests;

/// <summary>
/// Entry point used only when a test starts this assembly as a separate DDS process
/// (<c>dotnet exec RosPartSeg.Node.Tests.dll peer-echo ...</c>), or a script runs the live peer against another
/// build of the node (<c>outputs-check</c>, see <see cref="Live.OutputsCheck"/>); xunit never calls it.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 4 && args[0] == "peer-echo")
        {
            return Echo(args[1], args[2], args[3]);
        }

        if (args.Length > 0 && args[0] == "outputs-check")
        {
            return Live.OutputsCheck.Run(args[1..]);
        }

        Console.Error.WriteLine("usage: peer-echo IN_TOPIC OUT_TOPIC TYPE | outputs-check [options] -- NODE COMMAND...");
        return 2;
    }

    // Republishes every sample from IN on OUT with its payload bytes reversed (header kept), until stdin closes.
    private static int Echo(string inTopic, string outTopic, string type)
    {
        using var p = DdsParticipant.Create(DdsParticipant.DomainIdFromEnvironment());
        var qos = new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile);
        var writer = p.CreateWriter(outTopic, type, qos);
        using var reader = p.CreateReader(inTopic, type, qos, cdr =>
        {
            var copy = cdr.ToArray();
            Array.Reverse(copy, 4, copy.Length - 4);
            writer.Write(copy);
        });
        Console.WriteLine("ready");
        Console.Out.Flush();
        Console.In.ReadToEnd();
        return 0;
    }
}

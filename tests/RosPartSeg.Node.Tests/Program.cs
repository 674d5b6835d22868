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

        if (args.Length == 2 && args[0] == "peer-outsider")
        {
            return Outsider(args[1]);
        }

        if (args.Length == 4 && args[0] == "peer-listen")
        {
            return Listen(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
        }

        if (args.Length > 0 && args[0] == "outputs-check")
        {
            return Live.OutputsCheck.Run(args[1..]);
        }

        Console.Error.WriteLine("usage: peer-echo IN_TOPIC OUT_TOPIC TYPE | peer-outsider ENCLAVE | peer-listen TOPIC TYPE DEPTH | outputs-check [options] -- NODE COMMAND...");
        return 2;
    }

    // A peer with the SROS2 settings of its environment for ENCLAVE, in a process of its own: Cyclone 0.10.2 mixes
    // up (or crashes on) secured participants with different credentials in one process. Sends small frames with
    // frame id "outsider" on rt/image every 200 ms (if its permissions let it create the writer) and counts what it
    // hears of the node until stdin closes, then prints the counts.
    private static int Outsider(string enclave)
    {
        using var p = DdsParticipant.Create(DdsParticipant.DomainIdFromEnvironment(), "enclave=" + enclave + ";",
            DdsSecurity.FromEnvironment(enclave).Properties);
        DdsWriter? camera = null;
        try
        {
            camera = p.CreateWriter("rt/image", "sensor_msgs::msg::dds_::Image_", Live.TestPeer.Camera);
        }
        catch (DdsException e) when (e.Code == DdsReturnCode.NotAllowedBySecurity)
        {
        }

        var labels = 0;
        var labelInfo = 0;
        using var r1 = p.CreateReader("rt/part_segmenter/labels", "sensor_msgs::msg::dds_::Image_", Live.TestPeer.ReliableReader, _ => Interlocked.Increment(ref labels));
        using var r2 = p.CreateReader("rt/part_segmenter/label_info", "vision_msgs::msg::dds_::LabelInfo_",
            new DdsQos(DdsReliability.Reliable, 1, DdsDurability.TransientLocal), _ => Interlocked.Increment(ref labelInfo));
        var stdinClosed = Task.Run(() => Console.In.ReadToEnd());
        Console.WriteLine(camera is null ? "ready camera_refused" : "ready");
        Console.Out.Flush();
        var image = Live.OutputsCheck.Pattern(160, 120);
        var w = new Messages.Cdr.CdrWriter();
        for (uint k = 0; !stdinClosed.Wait(200); k++)
        {
            w.Reset();
            Messages.Sensor.Image.Write(w, new Core.Frames.Timestamp(666, k), "outsider", 120, 160, "bgr8", 160 * 3, image.Pixels);
            camera?.Write(w.WrittenSpan);
        }

        Console.WriteLine($"labels {labels} label_info {labelInfo} camera_matched {camera?.MatchedReaders ?? -1}");
        return 0;
    }

    // A reliable reader of TOPIC that prints "ready" and then one line per sample, until stdin closes: a test stops
    // the process (SIGSTOP) to make a subscriber that no longer acknowledges, as RViz behind a dead link.
    private static int Listen(string topic, string type, int depth)
    {
        using var p = DdsParticipant.Create(DdsParticipant.DomainIdFromEnvironment());
        using var reader = p.CreateReader(topic, type, new DdsQos(DdsReliability.Reliable, depth, DdsDurability.Volatile), _ => Console.WriteLine("sample"));
        Console.WriteLine("ready");
        Console.Out.Flush();
        Console.In.ReadToEnd();
        return 0;
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

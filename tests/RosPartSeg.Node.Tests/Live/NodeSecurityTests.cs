using System.Diagnostics;
using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// SROS2: the node process with a keystore made here by openssl (see <see cref="TestKeystore"/>), on real Cyclone
/// DDS with its security plugins, over loopback; peers in this process with their own (or no, or bad) credentials.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class NodeSecurityTests
{
    private const string Enclave = "/part_segmenter";
    private const string ImageType = "sensor_msgs::msg::dds_::Image_";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(40);

    [Fact]
    public void SecuredNodeAndSecuredPeerExchangeImagesAndEveryOutput()
    {
        using var keystore = new TestKeystore();
        keystore.AddEnclave(Enclave);
        keystore.AddEnclave("/peer");
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.StartWith(keystore.Environment(), domain, "humble", "--ros-args", "--enclave", Enclave);
        Assert.Contains(node.Log, l => l.Contains($"security on (Enforce): enclave {Enclave}, keystore {keystore.Root}", StringComparison.Ordinal));
        using var peer = new TestPeer(domain, keystore.SecurityFor("/peer"));

        var (ok, report) = Captured(() => OutputsCheck.Exchange(node, peer, OutputsCheck.Pattern(320, 240), Limit, TimeSpan.FromSeconds(3)));
        Assert.True(ok, report + "\nnode log:\n" + string.Join('\n', node.Log));
    }

    [Fact]
    public void PeersWithoutCredentialsForeignCredentialsOrNoPermissionForTheInputCannotFeedOrHearTheNode()
    {
        using var keystore = new TestKeystore();
        using var foreign = new TestKeystore("another CA");
        keystore.AddEnclave(Enclave);
        keystore.AddEnclave("/peer");
        keystore.AddEnclave("/listener", publish: "rt/other"); // may subscribe to everything, publish only rt/other
        foreign.AddEnclave("/peer"); // the same name, but identity and permissions from a CA the node does not trust
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.StartWith(keystore.Environment(), domain, "humble", "--ros-args", "--enclave", Enclave);

        // Peers in processes of their own (see Program.Outsider): one without credentials and one whose identity and
        // permissions come from a CA the node does not trust send frames with frame id "outsider" all along; the
        // listener may subscribe to everything but publish only rt/other, so its own access control refuses its
        // rt/image writer (permissions name DDS topics).
        var open = TestEnvironment.StartPeerWith(new Dictionary<string, string>(), domain, "peer-outsider", "/peer");
        var stranger = TestEnvironment.StartPeerWith(foreign.Environment(), domain, "peer-outsider", "/peer");
        var listener = TestEnvironment.StartPeerWith(keystore.Environment(), domain, "peer-outsider", "/listener");
        Process[] peers = [open, stranger, listener];
        try
        {
            Assert.Equal(["ready", "ready", "ready camera_refused"], peers.Select(ReadLine));
            using (var peer = new TestPeer(domain, keystore.SecurityFor("/peer")))
            {
                Exchange(node, peer);
            }

            Array.ForEach(peers, p => p.StandardInput.Close());
            var said = peers.Select(ReadLine).ToArray();
            Assert.Equal("labels 0 label_info 0 camera_matched 0", said[0]);
            Assert.Equal("labels 0 label_info 0 camera_matched 0", said[1]);
            Assert.Matches("^labels [1-9][0-9]* label_info [1-9][0-9]* camera_matched -1$", said[2]);
        }
        finally
        {
            Array.ForEach(peers, TestEnvironment.Kill);
        }
    }

    [Fact]
    public void TheNodeRefusesAnExpiredCertificateAndOneSignedByAnotherCa()
    {
        using var keystore = new TestKeystore();
        using var foreign = new TestKeystore("another CA");
        keystore.AddEnclave("/expired", notBefore: DateTimeOffset.UtcNow.AddDays(-60), notAfter: DateTimeOffset.UtcNow.AddDays(-30));
        keystore.AddEnclave("/foreign", signer: foreign);
        foreach (var (enclave, cyclone) in new[] { ("/expired", "expired"), ("/foreign", "") })
        {
            var (code, output) = NodeProcess.RunToExit(keystore.Environment(), TestEnvironment.NewDomain(), ExitLimit, "--ros-args", "--enclave", enclave);
            Assert.True(code == 1, $"{enclave}: exit code {code}\n{output}");
            Assert.Contains($"cannot start the ROS transport: dds_create_participant failed", output, StringComparison.Ordinal);
            Assert.Contains($"the security plugins refused enclave {enclave}", output, StringComparison.Ordinal);
            Assert.Contains(cyclone, output, StringComparison.Ordinal); // Cyclone's own reason, on stderr
        }
    }

    [Fact]
    public void EnforceWithAMissingFileRefusesNamingItAndPermissionsWithoutTheInputTopicStopTheNode()
    {
        using var keystore = new TestKeystore();
        var dir = keystore.AddEnclave(Enclave);
        File.Delete(Path.Combine(dir, "governance.p7s"));
        var (code, output) = NodeProcess.RunToExit(keystore.Environment(), TestEnvironment.NewDomain(), ExitLimit, "--ros-args", "--enclave", Enclave);
        Assert.True(code == 1, $"exit code {code}\n{output}");
        Assert.Contains("[FATAL]", output, StringComparison.Ordinal);
        Assert.Contains($"missing {Path.Combine(dir, "governance.p7s")}", output, StringComparison.Ordinal);

        keystore.AddEnclave("/deaf", subscribe: "rt/other");
        (code, output) = NodeProcess.RunToExit(keystore.Environment(), TestEnvironment.NewDomain(), ExitLimit, "--ros-args", "--enclave", "/deaf");
        Assert.True(code == 1, $"exit code {code}\n{output}");
        Assert.Contains("the permissions of enclave /deaf do not allow it to subscribe to /image (DDS topic rt/image)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void PermissiveWithMissingFilesRunsUnsecuredWithAWarning()
    {
        using var keystore = new TestKeystore(); // no enclave made
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.StartWith(keystore.Environment("Permissive"), domain, "humble", "--ros-args", "--enclave", Enclave);
        Assert.Contains(node.Log, l => l.Contains("[WARN]", StringComparison.Ordinal) && l.Contains("security NOT active (Permissive", StringComparison.Ordinal)
            && l.Contains(DdsSecurity.EnclavePath(keystore.Root, Enclave), StringComparison.Ordinal) && l.Contains("running unsecured", StringComparison.Ordinal));
        using var peer = new TestPeer(domain);
        Assert.True(TestPeer.WaitMatched(peer.Camera640("rt/image"), 1, Limit), "an unsecured camera did not match the unsecured node");
    }

    // The trusted peer sends frames until one comes back as labels, then a few more for the listener; nothing the
    // outsiders send may come back.
    private static void Exchange(NodeProcess node, TestPeer peer)
    {
        var labels = peer.Subscribe("rt/part_segmenter/labels", ImageType);
        var camera = peer.Camera640("rt/image");
        Assert.True(TestPeer.WaitMatched(camera, 1, Limit), "the secured peer's camera never matched the node");

        var image = OutputsCheck.Pattern(160, 120);
        var seen = new List<Received>();
        var sw = TestPeer.Timer();
        var back = 0;
        for (var k = 0; sw.Elapsed < Limit && back < 4; k++)
        {
            peer.PublishImage(camera, new Timestamp(7, (uint)k), "peer", image.Width, image.Height, "bgr8", image.Pixels, image.Width * 3);
            var until = sw.Elapsed + TimeSpan.FromSeconds(back == 0 ? 2 : 0.3);
            while (sw.Elapsed < until && labels.TryTake(out var r, TimeSpan.FromMilliseconds(100)))
            {
                seen.Add(r);
                back += LiveNode.HeaderOf(r.Cdr).Item2 == "peer" ? 1 : 0;
            }
        }

        Assert.True(back > 0, "no labels came back to the secured peer\n" + string.Join('\n', node.Log));

        // Give frames still in flight time to arrive, then check nothing crossed the security boundary.
        Thread.Sleep(1500);
        while (labels.TryTake(out var r))
        {
            seen.Add(r);
        }

        Assert.DoesNotContain(seen, r => LiveNode.HeaderOf(r.Cdr).Item2 == "outsider");
    }

    private static string? ReadLine(Process p)
    {
        var line = p.StandardOutput.ReadLineAsync();
        return line.Wait(Limit) ? line.Result : throw new TimeoutException("the peer process said nothing within " + Limit.TotalSeconds + " s");
    }

    // OutputsCheck reports on the console; keep its lines for the assertion message.
    private static (bool Ok, string Output) Captured(Func<bool> run)
    {
        var old = Console.Out;
        using var w = new StringWriter();
        Console.SetOut(w);
        try
        {
            return (run(), w.ToString());
        }
        finally
        {
            Console.SetOut(old);
        }
    }
}

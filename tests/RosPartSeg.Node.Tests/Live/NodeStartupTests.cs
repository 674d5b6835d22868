using System.Diagnostics;
using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>Start-up behaviour of the node process: parameters, QoS diagnosis, compressed input.</summary>
[Collection(LiveCollection.Name)]
public sealed class NodeStartupTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task InvalidParameterStopsTheNodeNamingIt()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { NodeProcess.CliPath, "node", "--ros-args", "-p", "input_depth:=0" })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var err = await p.StandardError.ReadToEndAsync(cts.Token);
        await p.WaitForExitAsync(cts.Token);
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("[FATAL]", err, StringComparison.Ordinal);
        Assert.Contains("'input_depth'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void ReliableInputNeverMatchesABestEffortCameraAndTheWarningSaysWhy()
    {
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.Start(domain, "humble", "--ros-args", "-p", "input_reliability:=reliable",
            "-p", "no_image_warning:=1.5", "-p", "bogus_parameter:=1");
        Assert.Contains(node.Log, l => l.Contains("[WARN]", StringComparison.Ordinal) && l.Contains("bogus_parameter", StringComparison.Ordinal));
        Assert.Contains(node.Log, l => l.Contains("subscribed to /image (sensor_msgs/msg/Image) with QoS reliable, keep_last(1), volatile", StringComparison.Ordinal));
        using var peer = new TestPeer(domain);
        var camera = peer.Camera640("rt/image");
        Assert.True(node.WaitForLog("set input_reliability:=best_effort", TimeSpan.FromSeconds(10)), string.Join('\n', node.Log));
        Assert.Equal(0, camera.MatchedReaders);
    }

    [SharedFact]
    public void CompressedInputIsDecodedAndKeepsItsHeader()
    {
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.Start(domain, "humble", "--ros-args", "-p", "input_transport:=compressed", "-r", "image/compressed:=/cam/jpeg");
        using var peer = new TestPeer(domain);
        var labels = peer.Subscribe("rt/part_segmenter/labels", "sensor_msgs::msg::dds_::Image_");
        var camera = peer.Participant.CreateWriter("rt/cam/jpeg", "sensor_msgs::msg::dds_::CompressedImage_", TestPeer.Camera);
        Assert.True(TestPeer.WaitMatched(camera, 1, Limit));
        var jpeg = File.ReadAllBytes(SharedData.People("humans_0.jpg"));
        var w = new CdrWriter();
        var sw = Stopwatch.StartNew();
        Image? got = null;
        while (got is null && sw.Elapsed < Limit)
        {
            w.Reset();
            CompressedImage.Write(w, new Timestamp(42, 9), "jpeg_cam", "jpeg", jpeg);
            camera.Write(w.WrittenSpan);
            if (labels.TryTake(out var r, TimeSpan.FromSeconds(1)))
            {
                got = RosMessage.Decode<Image>(r.Cdr);
            }
        }

        Assert.NotNull(got);
        Assert.Equal((new Timestamp(42, 9), "jpeg_cam"), (got.Header.Stamp, got.Header.FrameId));
        Assert.Equal((413u, 300u, "mono8"), (got.Width, got.Height, got.Encoding));
    }
}

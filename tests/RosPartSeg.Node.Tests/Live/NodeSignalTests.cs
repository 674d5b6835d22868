namespace RosPartSeg.Node.Tests.Live;

/// <summary>Signals while the node starts (the model loading): the first stops it before it runs, a second ends it at once.</summary>
[Collection(LiveCollection.Name)]
public sealed class NodeSignalTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private const int SigInt = 2, SigTerm = 15;

    [Fact]
    public void A_signal_during_the_model_load_stops_the_node_before_it_runs()
    {
        using var node = NodeProcess.Launch(TestEnvironment.NewDomain(), "--ros-args");
        Assert.True(node.WaitForLog("ONNX Runtime native library", Limit), string.Join('\n', node.Log));
        node.Send(SigTerm);
        Assert.True(node.WaitForExit(Limit), "the node did not exit");
        var log = string.Join('\n', node.Log);
        Assert.Equal(0, node.ExitCode);
        Assert.Contains("stop requested during start-up", log, StringComparison.Ordinal);
        Assert.DoesNotContain("running;", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_signal_ends_the_process_at_once()
    {
        // The first signal may stop a quick start-up cleanly before the second one is sent: then that try shows
        // nothing and another is made. A try counts once the second signal reached a node that was still starting.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var node = NodeProcess.Launch(TestEnvironment.NewDomain(), "--ros-args");
            Assert.True(node.WaitForLog("ONNX Runtime native library", Limit), string.Join('\n', node.Log));
            node.Send(SigInt);
            Thread.Sleep(50); // two signals sent at once may arrive as one
            if (node.HasExited)
            {
                continue;
            }

            node.Send(SigInt);
            Assert.True(node.WaitForExit(Limit), "the node did not exit");
            var log = string.Join('\n', node.Log);
            if (node.ExitCode == 0 && !log.Contains("second SIGINT", StringComparison.Ordinal))
            {
                continue; // the first signal's clean stop won the race after all
            }

            Assert.NotEqual(0, node.ExitCode);
            Assert.Contains("second SIGINT: exiting at once", log, StringComparison.Ordinal);
            Assert.DoesNotContain("running;", log, StringComparison.Ordinal);
            return;
        }

        Assert.Fail("in 5 tries the first signal always stopped the node before a second one could be sent");
    }
}

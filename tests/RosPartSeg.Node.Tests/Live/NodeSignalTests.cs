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
        using var node = NodeProcess.Launch(TestEnvironment.NewDomain(), "--ros-args");
        Assert.True(node.WaitForLog("ONNX Runtime native library", Limit), string.Join('\n', node.Log));
        node.Send(SigInt);
        Thread.Sleep(200); // two signals sent at once may arrive as one
        node.Send(SigInt);
        Assert.True(node.WaitForExit(Limit), "the node did not exit");
        var log = string.Join('\n', node.Log);
        Assert.NotEqual(0, node.ExitCode);
        Assert.Contains("second SIGINT: exiting at once", log, StringComparison.Ordinal);
        Assert.DoesNotContain("running;", log, StringComparison.Ordinal);
    }
}

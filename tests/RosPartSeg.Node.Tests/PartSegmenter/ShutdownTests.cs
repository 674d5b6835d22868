using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Inference;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>Stopping during start-up and on a hung frame (the host with the in-memory transport, the real model).</summary>
[Collection(LiveCollection.Name)]
public sealed class ShutdownTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_stop_requested_during_start_up_is_honoured_between_steps()
    {
        // Already requested: nothing is loaded or created.
        using (var log = new StringWriter())
        using (var stopped = new CancellationTokenSource())
        {
            stopped.Cancel();
            var created = false;
            Assert.Equal(0, NodeHost.Run([], (_, _) => { created = true; return new InMemoryTransport(); }, stopped.Token, log));
            Assert.False(created, "the transport was created after the stop request");
            Assert.Contains("stop requested during start-up; stopping before loading the model", log.ToString(), StringComparison.Ordinal);
        }

        // Requested while a step runs (here: while the transport is created, as a signal during a model load would be):
        // the next step is not taken, the node never runs.
        using (var log = new StringWriter())
        using (var stop = new CancellationTokenSource())
        {
            Assert.Equal(0, NodeHost.Run([], (_, _) => { stop.Cancel(); return new InMemoryTransport(); }, stop.Token, log));
            Assert.Contains("stopping before creating the node's topics", log.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("running;", log.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dispose_gives_up_on_a_hung_frame_after_a_bound_and_says_so()
    {
        using var pipeline = SegmenterFactory.Create(SegmenterConfig.Default);
        var transport = new InMemoryTransport();
        using var log = new StringWriter();
        using var release = new ManualResetEventSlim();
        var node = new PartSegmenterNode(NodeSettings.Create(["--ros-args", "-p", "diagnostics_period:=60"]), pipeline, transport,
            new RosLogger("part_segmenter", TextWriter.Synchronized(log))) { ShutdownFrameWait = TimeSpan.FromSeconds(1) };
        node.Start();
        using var publishing = new ManualResetEventSlim();
        var labels = transport.Publishers["/part_segmenter/labels"];
        labels.SubscriberCount = 1;
        labels.BeforePublish = () =>
        {
            publishing.Set();
            release.Wait(Limit); // a write that never returns
        };
        var w = new CdrWriter();
        Image.Write(w, new Timestamp(1, 0), "cam", 8, 8, "mono8", 8, new byte[64]);
        transport.Input!(w.WrittenSpan.ToArray());
        Assert.True(publishing.Wait(Limit), "the frame was not processed");

        var sw = System.Diagnostics.Stopwatch.StartNew();
        node.Dispose();
        Assert.True(sw.Elapsed < Limit, $"Dispose took {sw.Elapsed}");
        Assert.False(node.WorkerStopped);
        Assert.False(transport.IsShutdown, "the transport was shut down under the hung worker");
        Assert.Contains("the frame in flight did not finish within 3 s", log.ToString(), StringComparison.Ordinal);
        release.Set(); // let the worker out, so that the pipeline is freed after it
        Assert.True(TestEnvironment.WaitUntil(() => labels.Count == 1, Limit));
    }

    [Fact]
    public void Dispose_waits_for_a_diagnostics_publish_in_flight_before_shutting_the_transport_down()
    {
        using var rig = new FastDiagnosticsRig();
        var (transport, log, publishing, release) = (rig.Transport, rig.Log, rig.Publishing, rig.Release);
        var node = new PartSegmenterNode(rig.Settings, rig.Pipeline, transport, rig.Logger);
        node.Start();
        var diagnostics = transport.Publishers["/diagnostics"];
        var first = 0;
        diagnostics.BeforePublish = () =>
        {
            if (Interlocked.Exchange(ref first, 1) == 0)
            {
                publishing.Set();
                release.Wait(Limit); // the first diagnostics publish is slow (a reliable write waiting for room)
            }
        };
        Assert.True(publishing.Wait(Limit), "no diagnostics were published");

        var disposing = new Thread(node.Dispose) { IsBackground = true }; // as the host's main thread on SIGTERM
        disposing.Start();
        var returnedDuringPublish = disposing.Join(TimeSpan.FromSeconds(1));
        var shutDownDuringPublish = transport.IsShutdown;
        release.Set();
        Assert.True(disposing.Join(Limit), "Dispose did not return after the publish did");
        Assert.False(returnedDuringPublish, "Dispose returned while a diagnostics publish was in flight");
        Assert.False(shutDownDuringPublish, "the transport was shut down under a diagnostics publish");
        Assert.True(transport.IsShutdown);
        Assert.True(node.WorkerStopped);
    }

    [Fact]
    public void Dispose_waits_for_a_stuck_diagnostics_publish_only_up_to_the_bound_and_says_so()
    {
        using var rig = new FastDiagnosticsRig();
        var (transport, log, publishing, release) = (rig.Transport, rig.Log, rig.Publishing, rig.Release);
        var node = new PartSegmenterNode(rig.Settings, rig.Pipeline, transport, rig.Logger) { ShutdownFrameWait = TimeSpan.FromSeconds(1) };
        node.Start();
        transport.Publishers["/diagnostics"].BeforePublish = () =>
        {
            publishing.Set();
            release.Wait(Limit); // a write that does not return
        };
        Assert.True(publishing.Wait(Limit), "no diagnostics were published");

        var sw = System.Diagnostics.Stopwatch.StartNew();
        node.Dispose();
        Assert.True(sw.Elapsed < Limit, $"Dispose took {sw.Elapsed}");
        Assert.Contains("a diagnostics callback did not finish within 1 s", log.ToString(), StringComparison.Ordinal);
        Assert.True(transport.IsShutdown, "the node did not shut down after the bound");
        Assert.True(node.WorkerStopped);
        release.Set();
    }

    /// <summary>
    /// What the diagnostics tests build a node from: the real pipeline, diagnostics every 0.1 s, a log to read, and
    /// the events a blocked publish signals and waits on. The node itself is made by each test (its init-only bounds).
    /// </summary>
    private sealed class FastDiagnosticsRig : IDisposable
    {
        public SegmentationPipeline Pipeline { get; } = SegmenterFactory.Create(SegmenterConfig.Default);
        public InMemoryTransport Transport { get; } = new();
        public StringWriter Log { get; } = new();
        public ManualResetEventSlim Publishing { get; } = new();
        public ManualResetEventSlim Release { get; } = new();
        public NodeSettings Settings { get; } = NodeSettings.Create(["--ros-args", "-p", "diagnostics_period:=0.1"]);
        public RosLogger Logger => new("part_segmenter", TextWriter.Synchronized(Log));

        public void Dispose()
        {
            Release.Dispose();
            Publishing.Dispose();
            Log.Dispose();
            Pipeline.Dispose();
        }
    }
}

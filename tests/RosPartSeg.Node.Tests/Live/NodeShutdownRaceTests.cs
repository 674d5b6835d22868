using System.Diagnostics;
using RosPartSeg.Dds;
using RosPartSeg.Inference;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// What SIGTERM does (the node disposed, its DDS participant deleted), a few hundred times in one process over real
/// Cyclone DDS with /diagnostics every 0.1 s, timed so that a diagnostics publish is often under way when it
/// comes. Each diagnostics write is made a few milliseconds slow (as a reliable write waiting for room is), so that
/// the overlap happens in many cycles rather than by luck: before the timer was waited for, such a publish ran into
/// the deleted participant and failed ("diagnostics failed: ...").
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class NodeShutdownRaceTests
{
    private const int Cycles = 200;

    [Fact]
    public void Stopping_the_node_while_diagnostics_publish_every_100_ms_is_clean_every_time()
    {
        using var pipeline = SegmenterFactory.Create(SegmenterConfig.Default);
        var domain = TestEnvironment.NewDomain();
        using var observer = DdsParticipant.Create(domain);
        var heard = 0;
        using var reader = observer.CreateReader("rt/diagnostics", LiveNode.DiagnosticsType,
            new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile), _ => Interlocked.Increment(ref heard));
        var settings = NodeSettings.Create(["--ros-args", "-p", "diagnostics_period:=0.1", "-p", "no_image_warning:=0"]);
        using var log = new StringWriter();
        var logger = new RosLogger("part_segmenter", TextWriter.Synchronized(log));
        var random = new Random(27);
        var took = Stopwatch.StartNew();
        for (var i = 0; i < Cycles; i++)
        {
            var transport = new SlowDiagnostics(new DdsTransport("part_segmenter", "/", (_, _) => { }, domain, "jazzy"));
            var node = new PartSegmenterNode(settings, pipeline, transport, logger);
            node.Start();
            // Mostly around the first tick (100 ms after Start), where the callback is publishing; now and then anywhere.
            Thread.Sleep(random.Next(4) == 0 ? random.Next(250) : 95 + random.Next(15));
            node.Dispose();
            Assert.True(node.WorkerStopped, $"cycle {i}: the worker did not stop");
        }

        Thread.Sleep(300); // a callback that outlived Dispose (before the fix) would log now
        var text = log.ToString();
        Assert.DoesNotContain("diagnostics failed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("did not finish", text, StringComparison.Ordinal);
        Assert.True(Volatile.Read(ref heard) > 0, $"no /diagnostics heard in {Cycles} cycles ({took.Elapsed.TotalSeconds:0} s)");
    }

    /// <summary>The DDS transport, with every /diagnostics write starting a few milliseconds late.</summary>
    private sealed class SlowDiagnostics(IRosTransport inner) : IRosTransport
    {
        public string NodeName => inner.NodeName;

        public string NodeNamespace => inner.NodeNamespace;

        public IRosSubscription Subscribe(string topic, string rosType, RosQos qos, RosMessageHandler handler) =>
            inner.Subscribe(topic, rosType, qos, handler);

        public IRosPublisher Advertise(string topic, string rosType, RosQos qos)
        {
            var publisher = inner.Advertise(topic, rosType, qos);
            return topic == "/diagnostics" ? new Slow(publisher) : publisher;
        }

        public void Shutdown() => inner.Shutdown();

        public void Dispose() => inner.Dispose();

        private sealed class Slow(IRosPublisher inner) : IRosPublisher
        {
            public string Topic => inner.Topic;

            public int SubscriberCount => inner.SubscriberCount;

            public void Publish(ReadOnlySpan<byte> cdr)
            {
                Thread.Sleep(5);
                inner.Publish(cdr);
            }
        }
    }
}

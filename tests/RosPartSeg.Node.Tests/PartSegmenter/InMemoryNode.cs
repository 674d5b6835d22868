using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>
/// The node started over the in-memory transport with the real pipeline, as the in-memory node tests use it: its
/// parameters as "name:=value", its log kept (written from the worker and the timer, so through a synchronized
/// writer), everything disposed together.
/// </summary>
internal sealed class InMemoryNode : IDisposable
{
    /// <summary>The per-frame outputs of a node without depth_topic (the shared table's names but the 3D ones).</summary>
    public static readonly string[] Outputs = [.. Messages.Parts.FrameOutputs.All.Where(o => !o.NeedsDepth).Select(o => o.Name)];

    private readonly StringWriter _log = new();

    public InMemoryNode(params string[] parameters)
        : this(null, parameters)
    {
    }

    /// <summary>The node with a given image codec for its compressed input (null: the platform's choice).</summary>
    public InMemoryNode(ImageCodecBackend? codec, params string[] parameters)
    {
        var args = new List<string> { "--ros-args" };
        foreach (var p in parameters)
        {
            args.Add("-p");
            args.Add(p);
        }

        Node = new PartSegmenterNode(NodeSettings.Create([.. args]), Pipeline, Transport,
            new RosLogger("part_segmenter", TextWriter.Synchronized(_log)), codec);
        Node.Start();
    }

    public SegmentationPipeline Pipeline { get; } = SegmenterFactory.Create(SegmenterConfig.Default);

    public InMemoryTransport Transport { get; } = new();

    public PartSegmenterNode Node { get; }

    public string Log => _log.ToString();

    public InMemoryTransport.Publisher Publisher(string name) => Transport.Publishers["/part_segmenter/" + name];

    /// <summary>One subscriber on every image and region output, so the node computes them all.</summary>
    public void SubscribeAllOutputs()
    {
        foreach (var name in Outputs)
        {
            Publisher(name).SubscriberCount = 1;
        }
    }

    /// <summary>
    /// Managed bytes the worker thread allocates over <paramref name="frames"/> copies of <paramref name="message"/>
    /// after <paramref name="warmUp"/> first ones, each waited for (counted on the worker thread only, so tests
    /// running beside it do not count): the least of up to three such windows, since the thread's count now and then
    /// moves by a few KB while other threads allocate (see <see cref="ThreadAllocations"/>); an allocation per frame
    /// shows in every window.
    /// </summary>
    public long WarmAllocatedBytes(byte[] message, TimeSpan limit, int warmUp = 5, int frames = 10)
    {
        var start = Node.Processed;
        for (var i = 1; i <= warmUp; i++)
        {
            Transport.Input!(message);
            Assert.True(TestEnvironment.WaitUntil(() => Node.Processed == start + i, limit), $"warm-up frame {i} not processed");
        }

        var least = long.MaxValue;
        for (var window = 0; window < 3 && least != 0; window++)
        {
            var from = Node.Processed;
            var before = Node.WorkerAllocatedBytes;
            for (var i = 1; i <= frames; i++)
            {
                Transport.Input!(message);
                Assert.True(TestEnvironment.WaitUntil(() => Node.Processed == from + i, limit), $"frame {i} not processed");
            }

            least = Math.Min(least, Node.WorkerAllocatedBytes - before);
        }

        return least;
    }

    public void Dispose()
    {
        Node.Dispose();
        Pipeline.Dispose();
        _log.Dispose();
    }
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>The node's logic over an in-memory transport with the real pipeline.</summary>
[Collection(LiveCollection.Name)]
public sealed class PartSegmenterNodeTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly InMemoryNode _host = new("diagnostics_period:=60");
    private readonly byte[] _frame;

    public PartSegmenterNodeTests()
    {
        // A generated bgr8 frame: these tests are about which outputs are computed, not what they show.
        const int width = 320, height = 240;
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i / 3 % width) + (i / (width * 3)) + (i % 3 * 60));
        }

        _frame = ImageMessage(width, height, pixels);
    }

    private static byte[] ImageMessage(int width, int height, byte[] bgr)
    {
        var w = new CdrWriter();
        Image.Write(w, new Timestamp(5, 6), "cam", (uint)height, (uint)width, "bgr8", (uint)width * 3, bgr);
        return w.WrittenSpan.ToArray();
    }

    public void Dispose() => _host.Dispose();

    private InMemoryTransport.Publisher Pub(string name) => _host.Publisher(name);

    [Fact]
    public void OnlySubscribedOutputsArePublished()
    {
        Assert.Equal(1, Pub("label_info").Count); // at start, transient local
        Pub("labels").SubscriberCount = 1;
        _host.Transport.Input!(_frame);
        Assert.True(TestEnvironment.WaitUntil(() => Pub("labels").Count == 1, Limit));
        Assert.Equal(0, Pub("overlay").Count);
        Assert.Equal(0, Pub("color_mask").Count);
        Assert.Equal(0, Pub("detections").Count);
        Assert.Equal(0, Pub("parts").Count);
        Assert.Equal(2, Pub("label_info").Count); // again with the input's frame id
        var labels = RosMessage.Decode<Image>(Pub("labels").Last!);
        Assert.Equal((new Timestamp(5, 6), "cam", "mono8"), (labels.Header.Stamp, labels.Header.FrameId, labels.Encoding));

        Pub("parts").SubscriberCount = 1;
        _host.Transport.Input!(_frame);
        Assert.True(TestEnvironment.WaitUntil(() => Pub("parts").Count == 1 && Pub("labels").Count == 2, Limit));
        Assert.Equal(0, Pub("overlay").Count);
        Assert.Equal(2, Pub("label_info").Count); // same frame id: not republished
    }

    [Fact]
    public void EveryOutputOfTheSharedTableIsAdvertisedAndPublishedAloneWhenItAloneIsSubscribed()
    {
        // Without depth_topic: every output of the table but the 3D ones (DepthInputTests covers those).
        var names = FrameOutputs.All.Where(o => !o.NeedsDepth).Select(o => o.Name).ToArray();
        Assert.Equal(names.Order(), InMemoryNode.Outputs.Order());
        Assert.Subset(_host.Transport.Publishers.Keys.ToHashSet(), names.Select(n => "/part_segmenter/" + n).ToHashSet());
        foreach (var name in names)
        {
            var before = names.ToDictionary(n => n, n => Pub(n).Count);
            Pub(name).SubscriberCount = 1;
            _host.Transport.Input!(_frame);
            Assert.True(TestEnvironment.WaitUntil(() => Pub(name).Count == before[name] + 1, Limit), $"{name} not published");
            Assert.All(names.Where(n => n != name), n => Assert.Equal(before[n], Pub(n).Count));
            Pub(name).SubscriberCount = 0;
        }
    }

    [Fact]
    public void DisposeWaitsForASlowFrameInFlight()
    {
        // A frame that takes longer than the first wait (a CPU-only board, an emulator): Dispose must not return, and
        // the host must not free the pipeline, while the worker is still inside it.
        using var publishing = new ManualResetEventSlim();
        var labels = Pub("labels");
        labels.SubscriberCount = 1;
        labels.BeforePublish = () =>
        {
            publishing.Set();
            Thread.Sleep(3000);
        };
        _host.Transport.Input!(_frame);
        Assert.True(publishing.Wait(Limit), "the frame was not processed");
        _host.Node.Dispose();
        Assert.Equal(1, labels.Count);
        Assert.Contains("waiting for the frame in flight", _host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailingOutputCostsThatOutputOnly()
    {
        // A reliable writer that times out (a subscriber stopped acknowledging): the other outputs are still
        // published, the frame counts as processed, and the failure as publish_failed, not as a bad frame.
        _host.SubscribeAllOutputs();
        Pub("overlay").BeforePublish = () => throw new TimeoutException("dds_writecdr(rt/part_segmenter/overlay): timeout");
        for (var i = 1; i <= 2; i++)
        {
            _host.Transport.Input!(_frame);
            Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == i, Limit), $"frame {i} not processed");
        }

        Assert.All(new[] { "labels", "color_mask", "detections", "parts" }, n => Assert.Equal(2, Pub(n).Count));
        Assert.Equal(0, Pub("overlay").Count);
        Assert.Equal((2L, 0L), (_host.Node.PublishFailed, _host.Node.BadFrames));
        Assert.Contains("publishing /part_segmenter/overlay failed", _host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutSubscribersNothingIsComputed()
    {
        _host.Transport.Input!(_frame);
        Assert.True(TestEnvironment.WaitUntil(() => Pub("label_info").Count == 2, Limit)); // decoded: frame id seen
        Thread.Sleep(200);
        Assert.Equal(0, _host.Node.Processed);
        Assert.All(InMemoryNode.Outputs, n => Assert.Equal(0, Pub(n).Count));
    }

    [SharedFact]
    public void WarmNodeAllocatesNothingPerFrame()
    {
        // A photo of people, so that regions and people are found and their code runs warm too.
        var photo = TestPeer.Photo("humans_0.jpg");
        var frame = ImageMessage(photo.Width, photo.Height, photo.Pixels);
        _host.SubscribeAllOutputs();
        const int frames = 10;
        var allocated = _host.WarmAllocatedBytes(frame, Limit, frames: frames);
        Assert.True(allocated == 0, $"{allocated} managed bytes allocated over {frames} warm frames with every output subscribed");
    }
}

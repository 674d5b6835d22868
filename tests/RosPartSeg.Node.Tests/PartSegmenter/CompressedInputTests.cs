using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>The node's compressed input over an in-memory transport with the real pipeline and codec.</summary>
[Collection(LiveCollection.Name)]
public sealed class CompressedInputTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly SegmentationPipeline _pipeline = SegmenterFactory.Create(SegmenterConfig.Default);
    private readonly InMemoryTransport _transport = new();
    private readonly StringWriter _log = new();
    private readonly PartSegmenterNode _node;

    public CompressedInputTests()
    {
        var settings = NodeSettings.Create(["--ros-args", "-p", "input_transport:=compressed", "-p", "diagnostics_period:=60"]);
        _node = new PartSegmenterNode(settings, _pipeline, _transport, new RosLogger("part_segmenter", _log));
        _node.Start();
        foreach (var n in new[] { "labels", "color_mask", "overlay", "detections", "parts" })
        {
            _transport.Publishers["/part_segmenter/" + n].SubscriberCount = 1;
        }
    }

    public void Dispose()
    {
        _node.Dispose();
        _pipeline.Dispose();
        _log.Dispose();
    }

    internal static byte[] Compressed(byte[] encoded, string format, int stamp = 1)
    {
        var w = new CdrWriter();
        CompressedImage.Write(w, new Timestamp(stamp, 0), "cam", format, encoded);
        return w.WrittenSpan.ToArray();
    }

    [Fact]
    public void Warm_compressed_input_allocates_nothing_per_frame()
    {
        var jpeg = Compressed(ImageCodec.EncodeJpeg(OutputsCheck.Pattern(320, 240).Pixels, 320, 240, 3), "jpeg");
        for (var i = 1; i <= 5; i++)
        {
            _transport.Input!(jpeg);
            Assert.True(TestEnvironment.WaitUntil(() => _node.Processed == i, Limit));
        }

        // Counted on the worker thread only, so tests running beside this one do not count.
        const int frames = 10;
        var before = _node.WorkerAllocatedBytes;
        for (var i = 1; i <= frames; i++)
        {
            _transport.Input!(jpeg);
            Assert.True(TestEnvironment.WaitUntil(() => _node.Processed == 5 + i, Limit));
        }

        var allocated = _node.WorkerAllocatedBytes - before;
        Assert.True(allocated == 0, $"{allocated} managed bytes allocated over {frames} warm compressed frames");
    }

    [Fact]
    public void Decode_bombs_and_other_formats_are_counted_by_cause_and_the_next_frame_is_segmented()
    {
        var small = ImageCodec.EncodeJpeg(OutputsCheck.Pattern(160, 120).Pixels, 160, 120, 3);
        var sent = new[]
        {
            Compressed(DecodeBombs.ZeroPng(16384), "png"),                        // 2 MB, 4.3 GB decoded: size_too_large
            Compressed(DecodeBombs.HugeJpeg(small, 16384, 16384), "jpeg"),       // size_too_large
            Compressed([(byte)'B', (byte)'M', 0, 0, 0, 0, 0, 0, 0, 0], "bmp"), // undecodable_image
        };
        for (var i = 0; i < sent.Length; i++)
        {
            _transport.Input!(sent[i]);
            Assert.True(TestEnvironment.WaitUntil(() => _node.BadFrames == i + 1, Limit), $"frame {i} not counted");
        }

        Assert.Equal(2, _node.BadByCause[BadFrameCause.SizeTooLarge]);
        Assert.Equal(1, _node.BadByCause[BadFrameCause.Undecodable]);
        _transport.Input!(Compressed(small, "jpeg"));
        Assert.True(TestEnvironment.WaitUntil(() => _node.Processed == 1, Limit), "the next valid frame was not segmented");
        Assert.Contains("16384x16384 (from its Png header) is larger than 4096", _log.ToString(), StringComparison.Ordinal);
    }
}

using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Tests.Live;
using Xunit.Abstractions;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>
/// The node's compressed input on the managed codec, the one linux-arm64 (Jetson) uses, run here on x64: frames
/// are segmented, bombs refused from the header, and what it allocates per warm frame is measured and bounded.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class ManagedCompressedInputTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly SegmentationPipeline _pipeline = SegmenterFactory.Create(SegmenterConfig.Default);
    private readonly InMemoryTransport _transport = new();
    private readonly StringWriter _log = new();
    private readonly PartSegmenterNode _node;
    private readonly ITestOutputHelper _output;

    public ManagedCompressedInputTests(ITestOutputHelper output)
    {
        _output = output;
        var settings = NodeSettings.Create(["--ros-args", "-p", "input_transport:=compressed", "-p", "diagnostics_period:=60"]);
        _node = new PartSegmenterNode(settings, _pipeline, _transport, new RosLogger("part_segmenter", _log), ImageCodec.Managed);
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

    [Fact]
    public void Jpeg_and_png_frames_are_segmented_and_a_warm_frame_allocates_only_the_decoders_own_arrays()
    {
        var pattern = OutputsCheck.Pattern(320, 240).Pixels;
        var jpeg = ImageCodec.Managed.EncodeJpeg(pattern, 320, 240, 3);
        var frames = new[] { CompressedInputTests.Compressed(jpeg, "jpeg"), CompressedInputTests.Compressed(ImageCodec.Managed.EncodePng(pattern, 320, 240, 3), "png") };
        for (var i = 1; i <= 6; i++)
        {
            _transport.Input!(frames[i % 2]);
            Assert.True(TestEnvironment.WaitUntil(() => _node.Processed == i, Limit), $"frame {i} not segmented: {_log}");
        }

        const int count = 10;
        var before = _node.WorkerAllocatedBytes;
        for (var i = 1; i <= count; i++)
        {
            _transport.Input!(frames[0]);
            Assert.True(TestEnvironment.WaitUntil(() => _node.Processed == 6 + i, Limit));
        }

        // stb_image returns a new pixel array and takes the encoded bytes as an array: both are per frame, the
        // node's own buffers stay reused. Bounded by those two plus 64 KiB of the decoder's small objects.
        long perFrame = (_node.WorkerAllocatedBytes - before) / count;
        long bound = (320 * 240 * 3) + jpeg.Length + (64 * 1024);
        _output.WriteLine($"managed codec: {perFrame} managed bytes per warm 320x240 JPEG frame ({jpeg.Length} bytes encoded); bound {bound}");
        Assert.InRange(perFrame, 320 * 240 * 3, bound);
        Assert.Equal(0, _node.BadFrames);
    }

    [Fact]
    public void Decode_bombs_and_other_formats_are_refused_before_the_managed_decoder_sees_them()
    {
        var small = ImageCodec.Managed.EncodeJpeg(OutputsCheck.Pattern(160, 120).Pixels, 160, 120, 3);
        var sent = new[]
        {
            CompressedInputTests.Compressed(DecodeBombs.ZeroPng(16384), "png"),
            CompressedInputTests.Compressed(DecodeBombs.HugeJpeg(small, 16384, 16384), "jpeg"),
            CompressedInputTests.Compressed([(byte)'B', (byte)'M', 0, 0, 0, 0, 0, 0, 0, 0], "bmp"),
            CompressedInputTests.Compressed(small[..200], "jpeg"), // cut in its tables
        };
        for (var i = 0; i < sent.Length; i++)
        {
            _transport.Input!(sent[i]);
            Assert.True(TestEnvironment.WaitUntil(() => _node.BadFrames == i + 1, Limit), $"frame {i} not counted");
        }

        Assert.Equal(2, _node.BadByCause[BadFrameCause.SizeTooLarge]);
        Assert.Equal(2, _node.BadByCause[BadFrameCause.Undecodable]);
        _transport.Input!(CompressedInputTests.Compressed(small, "jpeg"));
        Assert.True(TestEnvironment.WaitUntil(() => _node.Processed == 1, Limit), "the next valid frame was not segmented");
        Assert.Contains("16384x16384 (from its Png header) is larger than 4096", _log.ToString(), StringComparison.Ordinal);
    }
}

using RosPartSeg.Imaging;
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
    private readonly InMemoryNode _host = new(ImageCodec.Managed, "input_transport:=compressed", "diagnostics_period:=60");
    private readonly ITestOutputHelper _output;

    public ManagedCompressedInputTests(ITestOutputHelper output)
    {
        _output = output;
        _host.SubscribeAllOutputs();
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Jpeg_and_png_frames_are_segmented_and_a_warm_frame_allocates_only_the_decoders_own_arrays()
    {
        var pattern = OutputsCheck.Pattern(320, 240).Pixels;
        var jpeg = ImageCodec.Managed.EncodeJpeg(pattern, 320, 240, 3);
        var frames = new[] { CompressedInputTests.Compressed(jpeg, "jpeg"), CompressedInputTests.Compressed(ImageCodec.Managed.EncodePng(pattern, 320, 240, 3), "png") };
        for (var i = 1; i <= 6; i++)
        {
            _host.Transport.Input!(frames[i % 2]);
            Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == i, Limit), $"frame {i} not segmented: {_host.Log}");
        }

        const int count = 10;
        var before = _host.Node.WorkerAllocatedBytes;
        for (var i = 1; i <= count; i++)
        {
            _host.Transport.Input!(frames[0]);
            Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == 6 + i, Limit));
        }

        // stb_image returns a new pixel array and takes the encoded bytes as an array: both are per frame, the
        // node's own buffers stay reused. Bounded by those two plus 64 KiB of the decoder's small objects.
        long perFrame = (_host.Node.WorkerAllocatedBytes - before) / count;
        long bound = (320 * 240 * 3) + jpeg.Length + (64 * 1024);
        _output.WriteLine($"managed codec: {perFrame} managed bytes per warm 320x240 JPEG frame ({jpeg.Length} bytes encoded); bound {bound}");
        Assert.InRange(perFrame, 320 * 240 * 3, bound);
        Assert.Equal(0, _host.Node.BadFrames);
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
            _host.Transport.Input!(sent[i]);
            Assert.True(TestEnvironment.WaitUntil(() => _host.Node.BadFrames == i + 1, Limit), $"frame {i} not counted");
        }

        Assert.Equal(2, _host.Node.BadByCause[BadFrameCause.SizeTooLarge]);
        Assert.Equal(2, _host.Node.BadByCause[BadFrameCause.Undecodable]);
        _host.Transport.Input!(CompressedInputTests.Compressed(small, "jpeg"));
        Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == 1, Limit), "the next valid frame was not segmented");
        Assert.Contains("16384x16384 (from its Png header) is larger than 4096", _host.Log, StringComparison.Ordinal);
    }
}

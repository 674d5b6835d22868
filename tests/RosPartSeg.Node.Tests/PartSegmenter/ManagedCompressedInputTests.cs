using RosPartSeg.Imaging;
using RosPartSeg.Node.Tests.Live;
using Xunit.Abstractions;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>
/// The node's compressed input on the managed codec, the one linux-arm64 (Jetson) uses, run here on x64: the
/// shared checks (<see cref="CompressedInputTestBase"/>), frames segmented, and what it allocates per warm frame
/// measured and bounded.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class ManagedCompressedInputTests(ITestOutputHelper output)
    : CompressedInputTestBase(ImageCodec.Managed, encoder: ImageCodec.Managed)
{
    [Fact]
    public void Jpeg_and_png_frames_are_segmented_and_a_warm_frame_allocates_only_the_decoders_own_arrays()
    {
        var pattern = OutputsCheck.Pattern(320, 240).Pixels;
        var jpeg = Encoder.EncodeJpeg(pattern, 320, 240, 3);
        var frames = new[] { Compressed(jpeg, "jpeg"), Frame("png", 320, 240) };
        for (var i = 1; i <= 6; i++)
        {
            Host.Transport.Input!(frames[i % 2]);
            Assert.True(TestEnvironment.WaitUntil(() => Host.Node.Processed == i, Limit), $"frame {i} not segmented: {Host.Log}");
        }

        const int count = 10;
        var before = Host.Node.WorkerAllocatedBytes;
        for (var i = 1; i <= count; i++)
        {
            Host.Transport.Input!(frames[0]);
            Assert.True(TestEnvironment.WaitUntil(() => Host.Node.Processed == 6 + i, Limit));
        }

        // stb_image returns a new pixel array and takes the encoded bytes as an array: both are per frame, the
        // node's own buffers stay reused. Bounded by those two plus 64 KiB of the decoder's small objects.
        long perFrame = (Host.Node.WorkerAllocatedBytes - before) / count;
        long bound = (320 * 240 * 3) + jpeg.Length + (64 * 1024);
        output.WriteLine($"managed codec: {perFrame} managed bytes per warm 320x240 JPEG frame ({jpeg.Length} bytes encoded); bound {bound}");
        Assert.InRange(perFrame, 320 * 240 * 3, bound);
        Assert.Equal(0, Host.Node.BadFrames);
    }
}

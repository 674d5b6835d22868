using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
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
    private readonly InMemoryNode _host = new("input_transport:=compressed", "diagnostics_period:=60");

    public CompressedInputTests()
    {
        _host.SubscribeAllOutputs();
    }

    public void Dispose() => _host.Dispose();

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
        const int frames = 10;
        var allocated = _host.WarmAllocatedBytes(jpeg, Limit, frames: frames);
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
            _host.Transport.Input!(sent[i]);
            Assert.True(TestEnvironment.WaitUntil(() => _host.Node.BadFrames == i + 1, Limit), $"frame {i} not counted");
        }

        Assert.Equal(2, _host.Node.BadByCause[BadFrameCause.SizeTooLarge]);
        Assert.Equal(1, _host.Node.BadByCause[BadFrameCause.Undecodable]);
        _host.Transport.Input!(Compressed(small, "jpeg"));
        Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == 1, Limit), "the next valid frame was not segmented");
        Assert.Contains("16384x16384 (from its Png header) is larger than 4096", _host.Log, StringComparison.Ordinal);
    }
}

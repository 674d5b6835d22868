using RosPartSeg.Imaging;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>
/// The node's compressed input on the system's libjpeg-turbo and libpng (what linux-arm64 takes where they are
/// installed), run here on x64 with the real pipeline: warm JPEG and PNG frames allocate nothing on the worker
/// thread, and bombs are refused from the header before the libraries see them.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class SystemCompressedInputTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly InMemoryNode _host = new(ImageCodec.SystemLibraries, "input_transport:=compressed", "diagnostics_period:=60");

    public SystemCompressedInputTests()
    {
        Assert.True(ImageCodec.SystemLibraries.IsAvailable, ImageCodec.SystemLibraries.UnavailableReason);
        _host.SubscribeAllOutputs();
    }

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    public void Warm_frames_allocate_nothing_per_frame(string format)
    {
        var pattern = OutputsCheck.Pattern(320, 240).Pixels;
        var encoded = format == "jpeg" ? ImageCodec.OpenCv.EncodeJpeg(pattern, 320, 240, 3) : ImageCodec.OpenCv.EncodePng(pattern, 320, 240, 3);
        const int frames = 10;
        var allocated = _host.WarmAllocatedBytes(CompressedInputTests.Compressed(encoded, format), Limit, frames: frames);
        Assert.True(allocated == 0, $"{allocated} managed bytes allocated over {frames} warm {format} frames");
        Assert.Equal(0, _host.Node.BadFrames);
    }

    [Fact]
    public void Decode_bombs_and_broken_frames_are_refused_and_the_next_frame_is_segmented()
    {
        var small = ImageCodec.OpenCv.EncodeJpeg(OutputsCheck.Pattern(160, 120).Pixels, 160, 120, 3);
        var sent = new[]
        {
            CompressedInputTests.Compressed(DecodeBombs.ZeroPng(16384, colourType: 2, bitDepth: 8), "png"),
            CompressedInputTests.Compressed(DecodeBombs.HugeJpeg(small, 16384, 16384), "jpeg"),
            CompressedInputTests.Compressed(small[..200], "jpeg"), // cut in its tables
            CompressedInputTests.Compressed(ImageCodec.OpenCv.EncodePng(OutputsCheck.Pattern(160, 120).Pixels, 160, 120, 3)[..300], "png"),
        };
        for (var i = 0; i < sent.Length; i++)
        {
            _host.Transport.Input!(sent[i]);
            Assert.True(TestEnvironment.WaitUntil(() => _host.Node.BadFrames == i + 1, Limit), $"frame {i} not counted");
        }

        Assert.Equal(2, _host.Node.BadByCause[BadFrameCause.SizeTooLarge]);
        Assert.Equal(2, _host.Node.BadByCause[BadFrameCause.Undecodable]);
        // After an error the worker's TurboJPEG handle is replaced: the next JPEG decodes.
        _host.Transport.Input!(CompressedInputTests.Compressed(small, "jpeg"));
        Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == 1, Limit), $"the next valid frame was not segmented: {_host.Log}");
        Assert.Contains("is not a decodable JPEG (", _host.Log, StringComparison.Ordinal);
    }
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>
/// The node's compressed input over an in-memory transport with the real pipeline, on one codec: what every codec
/// must do (bombs, other formats and broken frames counted by cause, the node going on), and the host the codec's
/// own tests use. One small subclass per codec.
/// </summary>
/// <param name="codec">The codec the node decodes with; null for the one the chooser picks.</param>
/// <param name="encoder">The codec that encodes the frames sent.</param>
public abstract class CompressedInputTestBase(ImageCodecBackend? codec, ImageCodecBackend encoder) : IDisposable
{
    private protected static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private protected InMemoryNode Host { get; } = Subscribed(new InMemoryNode(codec, "input_transport:=compressed", "diagnostics_period:=60"));

    private protected ImageCodecBackend Encoder { get; } = encoder;

    public void Dispose()
    {
        Host.Dispose();
        GC.SuppressFinalize(this);
    }

    private static InMemoryNode Subscribed(InMemoryNode host)
    {
        host.SubscribeAllOutputs();
        return host;
    }

    internal static byte[] Compressed(byte[] encoded, string format, int stamp = 1)
    {
        var w = new CdrWriter();
        CompressedImage.Write(w, new Timestamp(stamp, 0), "cam", format, encoded);
        return w.WrittenSpan.ToArray();
    }

    /// <summary>The test pattern encoded by <see cref="Encoder"/> as a CompressedImage message.</summary>
    private protected byte[] Frame(string format, int width, int height)
    {
        var pattern = OutputsCheck.Pattern(width, height).Pixels;
        var encoded = format == "jpeg" ? Encoder.EncodeJpeg(pattern, width, height, 3) : Encoder.EncodePng(pattern, width, height, 3);
        return Compressed(encoded, format);
    }

    /// <summary>For a codec whose warm frames allocate nothing on the worker thread (the managed one does).</summary>
    private protected void AssertWarmFramesAllocateNothing(string format)
    {
        const int frames = 10;
        var allocated = Host.WarmAllocatedBytes(Frame(format, 320, 240), Limit, frames: frames);
        Assert.True(allocated == 0, $"{allocated} managed bytes allocated over {frames} warm {format} frames");
        Assert.Equal(0, Host.Node.BadFrames);
    }

    /// <summary>The codec's own words for a broken frame, where it has them; checked in the node's log.</summary>
    private protected virtual void AssertLogExplainsBrokenFrames(string log)
    {
    }

    [Fact]
    public void Decode_bombs_other_formats_and_broken_frames_are_counted_by_cause_and_the_next_frame_is_segmented()
    {
        var small = Encoder.EncodeJpeg(OutputsCheck.Pattern(160, 120).Pixels, 160, 120, 3);
        var sent = new[]
        {
            Compressed(DecodeBombs.ZeroPng(16384), "png"),                                  // 16-bit RGBA, 2 MB, 4.3 GB decoded
            Compressed(DecodeBombs.ZeroPng(16384, colourType: 2, bitDepth: 8), "png"),     // 8-bit RGB (what libpng takes)
            Compressed(DecodeBombs.HugeJpeg(small, 16384, 16384), "jpeg"),
            Compressed(small[..200], "jpeg"), // cut in its tables
            Compressed(Encoder.EncodePng(OutputsCheck.Pattern(160, 120).Pixels, 160, 120, 3)[..300], "png"),
            Compressed([(byte)'B', (byte)'M', 0, 0, 0, 0, 0, 0, 0, 0], "bmp"),
        };
        // (The log is throttled per cause: the first of each cause, the PNG bomb and the cut JPEG, is the one logged.)
        for (var i = 0; i < sent.Length; i++)
        {
            Host.Transport.Input!(sent[i]);
            Assert.True(TestEnvironment.WaitUntil(() => Host.Node.BadFrames == i + 1, Limit), $"frame {i} not counted");
        }

        Assert.Equal(3, Host.Node.BadByCause[BadFrameCause.SizeTooLarge]);
        Assert.Equal(3, Host.Node.BadByCause[BadFrameCause.Undecodable]);
        // After a broken frame the next valid one decodes (the system codec replaces its TurboJPEG handle).
        Host.Transport.Input!(Compressed(small, "jpeg"));
        Assert.True(TestEnvironment.WaitUntil(() => Host.Node.Processed == 1, Limit), $"the next valid frame was not segmented: {Host.Log}");
        Assert.Contains("16384x16384 (from its Png header) is larger than 4096", Host.Log, StringComparison.Ordinal);
        AssertLogExplainsBrokenFrames(Host.Log);
    }
}

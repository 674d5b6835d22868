using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>What one huge frame may cost: max_input_side refuses larger ones, and buffers grown for a large frame are let go after a run of smaller ones.</summary>
[Collection(LiveCollection.Name)]
public sealed class FrameBufferTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly InMemoryNode _host = new("max_input_side:=2048", "diagnostics_period:=60");

    public FrameBufferTests()
    {
        _host.SubscribeAllOutputs();
    }

    public void Dispose() => _host.Dispose();

    private static byte[] Frame(int width, int height, int k)
    {
        var w = new CdrWriter();
        Image.Write(w, new Timestamp(k, 0), "cam", (uint)height, (uint)width, "rgb8", (uint)width * 3, new byte[width * height * 3]);
        return w.WrittenSpan.ToArray();
    }

    [Fact]
    public void Frames_beyond_max_input_side_are_refused_as_too_large()
    {
        _host.Transport.Input!(Frame(2049, 8, 1));
        Assert.True(TestEnvironment.WaitUntil(() => _host.Node.BadFrames == 1, Limit));
        Assert.Equal(1, _host.Node.BadByCause[BadFrameCause.SizeTooLarge]);
        Assert.True(TestEnvironment.WaitUntil(() => _host.Log.Contains("more than max_input_side 2048", StringComparison.Ordinal), Limit), _host.Log);
        _host.Transport.Input!(Frame(2048, 8, 2));
        Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == 1, Limit), "a frame of max_input_side was not processed");
    }

    [Fact]
    public void Buffers_of_a_large_frame_are_let_go_after_a_run_of_smaller_frames()
    {
        _host.Transport.Input!(Frame(2000, 1500, 1));
        Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == 1, Limit));
        var large = _host.Node.FrameBufferBytes;
        Assert.True(large > 4 * 2000 * 1500 * 3L, $"{large} bytes buffered after a 2000x1500 rgb8 frame");

        var small = Frame(320, 240, 2);
        for (var i = 2; i <= 102; i++)
        {
            _host.Transport.Input!(small);
            Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == i, Limit), $"frame {i} not processed");
        }

        var after = _host.Node.FrameBufferBytes;
        Assert.True(after < 4L << 20, $"{after} bytes still buffered after 100 frames of 320x240 ({large} after the large one)");
        Assert.Contains("MiB of frame buffers after 100 frames", _host.Log, StringComparison.Ordinal);
    }
}

using RosPartSeg.Imaging;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>
/// The node's compressed input on the system's libjpeg-turbo and libpng (what linux-arm64 takes where they are
/// installed), run here on x64 with the real pipeline: the shared checks (<see cref="CompressedInputTestBase"/>)
/// and warm JPEG and PNG frames allocating nothing on the worker thread.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class SystemCompressedInputTests : CompressedInputTestBase
{
    public SystemCompressedInputTests()
        : base(ImageCodec.SystemLibraries, encoder: ImageCodec.OpenCv)
    {
        Assert.True(ImageCodec.SystemLibraries.IsAvailable, ImageCodec.SystemLibraries.UnavailableReason);
    }

    private protected override void AssertLogExplainsBrokenFrames(string log)
        => Assert.Contains("is not a decodable JPEG (", log, StringComparison.Ordinal);

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    public void Warm_frames_allocate_nothing_per_frame(string format) => AssertWarmFramesAllocateNothing(format);
}

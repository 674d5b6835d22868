using RosPartSeg.Imaging;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>The node's compressed input on the codec the chooser picks (OpenCV on x64): <see cref="CompressedInputTestBase"/>.</summary>
[Collection(LiveCollection.Name)]
public sealed class CompressedInputTests() : CompressedInputTestBase(codec: null, encoder: ImageCodec.Backend)
{
    [Fact]
    public void Warm_compressed_input_allocates_nothing_per_frame() => AssertWarmFramesAllocateNothing("jpeg");
}

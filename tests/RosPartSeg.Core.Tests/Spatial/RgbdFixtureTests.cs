using System.Runtime.InteropServices;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;

namespace RosPartSeg.Core.Tests.Spatial;

/// <summary>
/// The bundled model and the depth projection on the one real registered RGB-D pair of <c>shared/fixtures/rgbd</c>
/// (TUM RGB-D benchmark, Computer Vision Group, TUM, CC BY 4.0; Sturm et al., IROS 2012): a man seated at a desk
/// about 1.8-2 m away and a second man standing about 1.3 m away (its README's reference points).
/// </summary>
public sealed class RgbdFixtureTests
{
    // freiburg3 colour camera, from the fixture's README; depth units 1/5000 m.
    private static readonly CameraIntrinsics K = new(535.4, 539.2, 320.1, 247.6);

    [SharedFact]
    public void HeadsLieAtTheDepthsThePeopleAreAt()
    {
        string dir = Path.Combine(SharedData.Fixtures, "rgbd", "tum_fr3_walking_xyz");
        var colour = ImageCodec.Read(Path.Combine(dir, "rgb", "1341846313.592026.png")).ToFrame(frameId: "tum");
        var (w, h, raw) = GreyPng16.Read(Path.Combine(dir, "depth", "1341846313.592088.png"));
        Assert.Equal((colour.Width, colour.Height), (w, h));
        var depth = new DepthInput(new DepthImage(w, h, DepthFormat.UInt16, w * 2, MemoryMarshal.AsBytes(raw.AsSpan()).ToArray(), 1.0 / 5000), K);

        using var pipeline = SegmenterFactory.Create(new SegmenterConfig { ModelPath = OnnxFile.BundledModel(), Inference = new InferenceOptions { Providers = ["cpu"] } });
        var result = pipeline.Process(colour, PipelineOutputs.Regions, depth);
        int head = pipeline.Model.ClassNames.ToList().IndexOf("head");
        var heads = result.Regions.ToArray().Zip(result.Regions3D.ToArray()).Where(p => p.First.ClassId == head && p.Second.Valid).ToList();

        Assert.NotEmpty(heads);
        foreach (var (region, place) in heads)
        {
            // Everything in the room is 1.0-9.9 m away; the people are at 1.3-2.0 m, so a head outside 1.0-2.6 m is
            // the wall behind or the desk in front of it.
            Assert.InRange(place.Z, 1.0f, 2.6f);
            // Back-projection agrees with the pixels: the centre's column at its depth.
            double u = (place.X * K.Fx / place.Z) + K.Cx;
            Assert.InRange(u, region.Box.X - 1, region.Box.X + region.Box.Width + 1);
            // A head is 0.1-0.5 m across.
            Assert.InRange(place.SizeX, 0.05f, 0.6f);
        }
        // The seated man's face (README: pixel (128, 165), 1.96 m) is in a head region near there.
        Assert.Contains(heads, p => p.First.Box.X <= 128 && p.First.Box.X + p.First.Box.Width >= 128 && Math.Abs(p.Second.Z - 1.96) < 0.25);
    }
}

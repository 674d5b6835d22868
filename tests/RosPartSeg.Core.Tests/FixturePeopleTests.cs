using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;

namespace RosPartSeg.Core.Tests;

/// <summary>The bundled model and the person splitting on real photos: one person per human, where people touch.</summary>
public sealed class FixturePeopleTests
{
    [SharedTheory]
    [InlineData("humans_0.jpg", 2)] // two children side by side
    [InlineData("humans_1.jpg", 5)] // five adults standing shoulder to shoulder
    [InlineData("humans_5.jpg", 6)] // six adults in a row
    public void EachHumanIsOnePerson(string photo, int people)
    {
        using var pipeline = SegmenterFactory.Create(new SegmenterConfig { ModelPath = OnnxFile.BundledModel(), Inference = new InferenceOptions { Providers = ["cpu"] } });
        var frame = ImageCodec.Read(SharedData.People(photo)).ToFrame(frameId: photo);
        var result = pipeline.Process(frame, PipelineOutputs.Regions);
        Assert.Equal(people, result.People.Length);
        // Every region names one of those people.
        foreach (var r in result.Regions)
        {
            Assert.InRange(r.PersonId, 0, people - 1);
        }
    }
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Rcl;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>
/// Parameters set while the node runs (through its parameter server, as the services do) over the in-memory
/// transport with the real pipeline: the next frame uses them, warm frames still allocate nothing, and the changes
/// reach /parameter_events and /rosout.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class RuntimeReconfigurationTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private const int Width = 160, Height = 120;
    private readonly InMemoryNode _host = new("diagnostics_period:=60");
    private readonly byte[] _bgr = LiveNode.GeneratedFrame(Width, Height).Pixels;
    private readonly byte[] _frame;

    public RuntimeReconfigurationTests()
    {
        var w = new CdrWriter();
        Image.Write(w, new Timestamp(5, 6), "cam", Height, Width, "bgr8", Width * 3, _bgr);
        _frame = w.WrittenSpan.ToArray();
    }

    public void Dispose() => _host.Dispose();

    private byte[] NextOverlay(byte[] frame)
    {
        var pub = _host.Publisher("overlay");
        var before = pub.Count;
        _host.Transport.Input!(frame);
        Assert.True(TestEnvironment.WaitUntil(() => pub.Count == before + 1, Limit), "no overlay");
        return RosMessage.Decode<Image>(pub.Last!).Data.ToArray();
    }

    [SharedFact]
    public void ASetChangesTheNextOverlay()
    {
        var photo = TestPeer.Photo("humans_1.jpg"); // people, so the overlay has class colours to lose
        var w = new CdrWriter();
        Image.Write(w, new Timestamp(5, 6), "cam", (uint)photo.Height, (uint)photo.Width, "bgr8", (uint)photo.Width * 3, photo.Pixels);
        var frame = w.WrittenSpan.ToArray();
        var rgb = new byte[photo.Pixels.Length];
        for (var i = 0; i < rgb.Length; i += 3)
        {
            (rgb[i], rgb[i + 1], rgb[i + 2]) = (photo.Pixels[i + 2], photo.Pixels[i + 1], photo.Pixels[i]);
        }

        _host.Publisher("overlay").SubscriberCount = 1;
        Assert.NotEqual(rgb, NextOverlay(frame));
        var result = _host.Node.Parameters!.SetAtomically(
            [new Parameter("overlay_alpha", ParameterValue.Of(0.0)), new Parameter("overlay_annotations", ParameterValue.Of("none"))]);
        Assert.True(result.Successful, result.Reason);
        Assert.Equal(rgb, NextOverlay(frame)); // no class colour, no boxes: the input itself

        var refused = _host.Node.Parameters.SetAtomically([new Parameter("overlay_alpha", ParameterValue.Of(0.5)), new Parameter("resize_mode", ParameterValue.Of("letterbox"))]);
        Assert.False(refused.Successful);
        Assert.Equal(rgb, NextOverlay(frame)); // all or none: alpha still 0
    }

    [SharedFact]
    public void DetectionsIncludePeopleSetAtRunTimeChangesTheNextDetections()
    {
        var photo = TestPeer.Photo("humans_1.jpg");
        var w = new CdrWriter();
        Image.Write(w, new Timestamp(5, 6), "cam", (uint)photo.Height, (uint)photo.Width, "bgr8", (uint)photo.Width * 3, photo.Pixels);
        var frame = w.WrittenSpan.ToArray();
        var detections = _host.Publisher("detections");
        var parts = _host.Publisher("parts");
        detections.SubscriberCount = 1;
        parts.SubscriberCount = 1;
        (int Detections, int People, int Regions) Next()
        {
            var before = detections.Count;
            _host.Transport.Input!(frame);
            Assert.True(TestEnvironment.WaitUntil(() => detections.Count == before + 1 && parts.Count == before + 1, Limit), "no detections");
            var p = RosMessage.Decode<PartRegionArrayMessage>(parts.Last!);
            return (RosMessage.Decode<Detection2DArray>(detections.Last!).Detections.Count, p.People.Count, p.Regions.Count);
        }

        var with = Next();
        Assert.True(with.People > 0, "no people in the photo");
        Assert.Equal(with.People + with.Regions, with.Detections);
        Assert.True(_host.Node.Parameters!.Set([new Parameter("detections_include_people", ParameterValue.Of(false))])[0].Successful);
        var without = Next();
        Assert.Equal(without.Regions, without.Detections);
    }

    [Fact]
    public void WarmFramesAllocateNothingAfterASet()
    {
        _host.SubscribeAllOutputs();
        _host.Transport.Input!(_frame);
        Assert.True(TestEnvironment.WaitUntil(() => _host.Node.Processed == 1, Limit));
        Assert.True(_host.Node.Parameters!.SetAtomically([new Parameter("min_person_score", ParameterValue.Of(0.2)), new Parameter("label_upsampling", ParameterValue.Of("nearest"))]).Successful);
        var allocated = _host.WarmAllocatedBytes(_frame, Limit, frames: 10);
        Assert.True(allocated == 0, $"{allocated} managed bytes allocated over 10 warm frames after a set");
        Assert.Equal(0.2f, _host.Pipeline.Options.MinPersonScore);
    }

    [Fact]
    public void ANewDiagnosticsPeriodRearmsTheTimerAtOnce()
    {
        var diagnostics = _host.Transport.Publishers["/diagnostics"];
        var before = diagnostics.Count; // the node started with a 60 s period
        Assert.True(_host.Node.Parameters!.Set([new Parameter("diagnostics_period", ParameterValue.Of(0.1))])[0].Successful);
        Assert.True(TestEnvironment.WaitUntil(() => diagnostics.Count >= before + 3, TimeSpan.FromSeconds(10)), "the new period did not take effect");
    }

    [Fact]
    public void ChangesReachParameterEventsAndRosout()
    {
        var events = _host.Transport.Publishers["/parameter_events"];
        var declared = RosMessage.Decode<ParameterEvent>(events.Last!);
        Assert.Equal(("/part_segmenter", 0), (declared.Node, declared.ChangedParameters.Count));
        Assert.Contains(declared.NewParameters, p => p.Name == "overlay_alpha" && p.Value == ParameterValue.Of(0.5));

        Assert.True(_host.Node.Parameters!.Set([new Parameter("no_image_warning", ParameterValue.Of(0.0))])[0].Successful);
        var changed = RosMessage.Decode<ParameterEvent>(events.Last!);
        Assert.Equal(("no_image_warning", ParameterValue.Of(0.0)), (changed.ChangedParameters[0].Name, changed.ChangedParameters[0].Value));
        Assert.Equal(TimeSpan.Zero, _host.Node.Runtime.NoImageWarning);

        var line = RosMessage.Decode<Log>(_host.Transport.Publishers["/rosout"].Last!);
        Assert.Equal((Log.Info, "part_segmenter", "parameters set: no_image_warning = 0"), (line.Level, line.Name, line.Msg));
    }
}

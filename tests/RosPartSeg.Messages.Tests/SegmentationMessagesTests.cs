using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Messages.Tests;

/// <summary>The per-topic writers on a real pipeline result (with a scripted backend standing in for ONNX Runtime).</summary>
public sealed class SegmentationMessagesTests
{
    private static readonly ModelInfo Model = ScriptedPipeline.Model;

    [Fact]
    public void EveryOutputCarriesTheInputHeaderAndTheResultsContent()
    {
        using var pipeline = new SegmentationPipeline(new ScriptedPipeline.Backend(), Model, new PipelineOptions { MinRegionArea = 1, MinPersonArea = 1 });
        var pixels = new byte[64 * 48 * 3];
        var stamp = new Timestamp(1_700_000_123, 456);
        var result = pipeline.Process(ImageFrame.Packed(64, 48, PixelEncoding.Rgb8, pixels, stamp, "camera_optical"));
        var header = new Std.Header(stamp, "camera_optical");
        var w = new CdrWriter();

        SegmentationMessages.WriteLabels(w, result);
        var labels = RosMessage.Decode<Image>(w.WrittenMemory);
        Assert.Equal(header, labels.Header);
        Assert.Equal("mono8", labels.Encoding);
        Assert.Equal(result.Labels.ToArray(), labels.Data.ToArray());
        Assert.Contains((byte)1, labels.Data.ToArray());
        Assert.Contains((byte)2, labels.Data.ToArray());

        SegmentationMessages.WriteColorMask(w, result);
        var mask = RosMessage.Decode<Image>(w.WrittenMemory);
        Assert.Equal(("rgb8", (uint)result.LabelWidth * 3), (mask.Encoding, mask.Step));
        Assert.Equal(result.ColorMask.ToArray(), mask.Data.ToArray());

        SegmentationMessages.WriteOverlay(w, result);
        var overlay = RosMessage.Decode<Image>(w.WrittenMemory);
        Assert.Equal((64u, 48u, header), (overlay.Width, overlay.Height, overlay.Header));

        SegmentationMessages.WriteDetections(w, result);
        var detections = RosMessage.Decode<Detection2DArray>(w.WrittenMemory);
        Assert.Equal(header, detections.Header);
        Assert.Equal(result.People.Length + result.Regions.Length, detections.Detections.Count);
        // Ids carry the person's track id (the first person a pipeline sees is track 1), not the index.
        Assert.Equal(1, result.TrackIds[0]);
        Assert.Contains(detections.Detections, d => d.Id == "person1/left_hand/0" && d.Results[0].Hypothesis.ClassId == "left_hand");
        Assert.Contains(detections.Detections, d => d.Id == "person1/right_hand/0");

        SegmentationMessages.WriteParts(w, result);
        var parts = RosMessage.Decode<PartRegionArrayMessage>(w.WrittenMemory);
        Assert.Equal(header, parts.Header);
        Assert.Equal((64u, 48u), (parts.ImageWidth, parts.ImageHeight));
        Assert.Equal(result.Regions.Length, parts.Regions.Count);
        for (int i = 0; i < parts.Regions.Count; i++)
        {
            Assert.Equal(Model.ClassNames[result.Regions[i].ClassId], parts.Regions[i].ClassName);
            Assert.Equal((uint)result.Regions[i].PixelCount, parts.Regions[i].PixelCount);
        }

        SegmentationMessages.WriteLabelInfo(w, stamp, "camera_optical", result.ClassNames);
        var info = RosMessage.Decode<LabelInfo>(w.WrittenMemory);
        Assert.Equal(["background", "left_hand", "right_hand"], info.ClassMap.Select(c => c.ClassName).ToArray());
    }

    [Fact]
    public void OutputTopicsNameEveryOutputOnce()
    {
        Assert.Equal(OutputTopics.All.Count, OutputTopics.All.Select(t => t.Name).Distinct().Count());
        Assert.Equal([.. FrameOutputs.All.Select(o => o.Name), OutputTopics.LabelInfo], OutputTopics.All.Select(t => t.Name));
        Assert.Equal([OutputTopics.Detections, OutputTopics.Parts, OutputTopics.Labels, OutputTopics.ColorMask, OutputTopics.Overlay],
            FrameOutputs.All.Where(o => !o.NeedsDepth).Select(o => o.Name)); // small outputs first
        Assert.Equal([OutputTopics.Detections3D, OutputTopics.Markers], FrameOutputs.All.Where(o => o.NeedsDepth).Select(o => o.Name));
        Assert.Equal("sensor_msgs/msg/Image", OutputTopics.All.Single(t => t.Name == OutputTopics.Labels).Type.RosName);
        Assert.Equal("rospartseg/msg/PartRegionArray", OutputTopics.All.Single(t => t.Name == OutputTopics.Parts).Type.RosName);
    }
}

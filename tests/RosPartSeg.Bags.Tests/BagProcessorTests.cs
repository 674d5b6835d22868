using RosPartSeg.Bags.Mcap;
using RosPartSeg.Cli.Offline;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
using RosPartSeg.Inference;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Bags.Tests;

/// <summary>One real pipeline (the bundled ONNX model on CPU) and one generated sample bag shared by the processor tests.</summary>
public sealed class PipelineFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public PipelineFixture()
    {
        var config = SegmenterConfig.Load(Path.Combine(TestPaths.RepoRoot, "config", "default.yaml"));
        Pipeline = SegmenterFactory.Create(config with { Inference = config.Inference with { Providers = ["cpu"] } });
        SampleBagPath = _dir.File("sample_bag");
        SampleBag.Write(Frames(3), SampleBagPath, SampleBag.PhotoPeriodNanoseconds);
    }

    public SegmentationPipeline Pipeline { get; }

    /// <summary>A bag as the demo writes it (raw and JPEG topics), of three generated 400x300 frames.</summary>
    public string SampleBagPath { get; }

    /// <summary>Generated bgr8 frames: a gradient with a bright block that moves from frame to frame.</summary>
    public static IEnumerable<DecodedImage> Frames(int count)
    {
        for (int n = 0; n < count; n++)
        {
            var px = new byte[400 * 300 * 3];
            for (int y = 0; y < 300; y++)
            {
                for (int x = 0; x < 400; x++)
                {
                    bool block = x >= 100 + (40 * n) && x < 160 + (40 * n) && y >= 60 && y < 260;
                    int i = ((y * 400) + x) * 3;
                    (px[i], px[i + 1], px[i + 2]) = block ? ((byte)200, (byte)180, (byte)230) : ((byte)(x / 2), (byte)(y / 2), (byte)90);
                }
            }
            yield return new DecodedImage(400, 300, 3, px);
        }
    }

    public void Dispose()
    {
        Pipeline.Dispose();
        _dir.Dispose();
    }
}

/// <summary>The offline processor on real bags: copies inputs, adds stamped outputs, never leaves a half bag.</summary>
public class BagProcessorTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private static void AssertNoLeftovers(TempDir dir, string finalName)
    {
        Assert.False(Directory.Exists(dir.File(finalName)), "no output under the final name");
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.Path), e => Path.GetFileName(e).Contains(".partial-", StringComparison.Ordinal));
    }

    [Fact]
    public void The_sample_bag_is_processed_into_stamped_outputs_with_inputs_unchanged()
    {
        using var dir = new TempDir();
        string output = dir.File("out");
        var summary = BagProcessor.Process(fixture.SampleBagPath, output, new BagProcessOptions(), fixture.Pipeline);

        Assert.Equal(SampleBag.RawTopic, summary.ImageTopic);
        Assert.Equal(3, summary.Frames);
        Assert.Equal(0, summary.SkippedFrames);
        Assert.Equal(["/part_segmenter/detections", "/part_segmenter/parts", "/part_segmenter/labels", "/part_segmenter/color_mask",
            "/part_segmenter/overlay", "/part_segmenter/label_info"], summary.OutputTopics);

        using var input = BagReader.Open(fixture.SampleBagPath);
        var inputs = input.ReadMessages().Select(m => (m.Topic.Name, m.LogTime, m.PublishTime, Data: m.Data.ToArray())).ToList();
        using var bag = BagReader.Open(output);
        Assert.Equal(24UL, bag.Info.MessageCount);
        var outputs = bag.ReadMessages().Select(m => (m.Topic.Name, m.Topic.Type, m.LogTime, m.PublishTime, Data: m.Data.ToArray())).ToList();

        // Inputs are copied byte for byte, in order.
        var copied = outputs.Where(o => !o.Name.StartsWith("/part_segmenter/", StringComparison.Ordinal)).ToList();
        Assert.Equal(inputs.Count, copied.Count);
        for (int i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(inputs[i].Name, copied[i].Name);
            Assert.Equal(inputs[i].LogTime, copied[i].LogTime);
            Assert.Equal(inputs[i].Data, copied[i].Data);
        }

        // Every output carries its input frame's header and times.
        foreach (var raw in inputs.Where(m => m.Name == SampleBag.RawTopic))
        {
            var frame = ImageMessages.DecodeFrame(raw.Data);
            var mine = outputs.Where(o => o.Name.StartsWith("/part_segmenter/", StringComparison.Ordinal) && o.LogTime == raw.LogTime).ToList();
            Assert.Equal(6, mine.Count);
            Assert.All(mine, o => Assert.Equal(raw.PublishTime, o.PublishTime));
            var overlay = ImageMessages.DecodeFrame(mine.Single(o => o.Name.EndsWith("/overlay", StringComparison.Ordinal)).Data);
            Assert.Equal((frame.Width, frame.Height, frame.Stamp, frame.FrameId), (overlay.Width, overlay.Height, overlay.Stamp, overlay.FrameId));
            var labels = RosMessage.Decode<Image>(mine.Single(o => o.Name.EndsWith("/labels", StringComparison.Ordinal)).Data.AsMemory());
            Assert.Equal("mono8", labels.Encoding);
            Assert.Equal(frame.Stamp, labels.Header.Stamp);
            Assert.All(labels.Data.ToArray(), b => Assert.True(b < fixture.Pipeline.Model.ClassNames.Count));
            var detections = RosMessage.Decode<Detection2DArray>(mine.Single(o => o.Type == "vision_msgs/msg/Detection2DArray").Data.AsMemory());
            Assert.Equal(frame.Stamp, detections.Header.Stamp);
            Assert.Equal(SampleBag.FrameId, detections.Header.FrameId);
            var parts = RosMessage.Decode<PartRegionArrayMessage>(mine.Single(o => o.Type == "rospartseg/msg/PartRegionArray").Data.AsMemory());
            Assert.Equal((uint)frame.Width, parts.ImageWidth);
            Assert.Equal(detections.Detections.Count, parts.Regions.Count + parts.People.Count);
            var labelInfo = RosMessage.Decode<LabelInfo>(mine.Single(o => o.Type == "vision_msgs/msg/LabelInfo").Data.AsMemory());
            Assert.Equal(fixture.Pipeline.Model.ClassNames, labelInfo.ClassMap.Select(c => c.ClassName));
        }

        // Output topics carry full definitions for ROS tools and Foxglove.
        Assert.Contains("MSG: vision_msgs/Detection2D", bag.FindDefinition("vision_msgs/msg/Detection2DArray")!.Text, StringComparison.Ordinal);
        AssertNoLeftovers(dir, "unused");
    }

    [Fact]
    public void Compressed_input_is_decoded_and_processed_into_an_sqlite3_jazzy_bag()
    {
        using var dir = new TempDir();
        string output = dir.File("jpeg");
        var options = new BagProcessOptions
        {
            ImageTopic = SampleBag.CompressedTopic,
            NodeName = "segmenter",
            Namespace = "/robot",
            Output = new BagWriterOptions { Storage = BagStorageKind.Sqlite3 }.AsJazzy(),
        };
        var summary = BagProcessor.Process(fixture.SampleBagPath, output, options, fixture.Pipeline);
        Assert.Equal(3, summary.Frames);
        using var bag = BagReader.Open(output);
        Assert.Equal("sqlite3", bag.Info.StorageIdentifier);
        Assert.Equal(9, bag.Metadata!.Version);
        var overlay = bag.Info.Topics.Single(t => t.Topic.Name == "/robot/segmenter/overlay");
        Assert.Equal(3UL, overlay.MessageCount);
        Assert.StartsWith("RIHS01_", overlay.Topic.TypeDescriptionHash, StringComparison.Ordinal);
        Assert.Equal(Image.Type.TypeHash, bag.Info.Topics.Single(t => t.Topic.Name == SampleBag.RawTopic).Topic.TypeDescriptionHash);
        var frame = ImageMessages.DecodeFrame(bag.ReadMessages(t => t.Name == "/robot/segmenter/overlay").Select(m => m.Data.ToArray()).First());
        Assert.Equal((SampleBag.Width, SampleBag.Height), (frame.Width, frame.Height));
    }

    [Fact]
    public void Unknown_types_are_copied_through_untouched()
    {
        using var dir = new TempDir();
        string input = dir.File("in");
        byte[] odd = [0, 1, 0, 0, 0xde, 0xad, 0xbe, 0xef, 7];
        using (var w = BagWriter.Create(input))
        {
            int cam = w.AddTopic(new BagTopic(SampleBag.RawTopic, BagProcessor.ImageType), BagProcessor.KnownDefinition(BagProcessor.ImageType));
            int other = w.AddTopic(new BagTopic("/weird", "my_pkg/msg/Unknown"), new MessageDefinition("my_pkg/msg/Unknown", "ros2msg", "uint8[] blob\n"));
            using var sample = BagReader.Open(fixture.SampleBagPath);
            var first = sample.ReadMessages(t => t.Name == SampleBag.RawTopic).First();
            w.Write(other, 5, 4, odd);
            w.Write(cam, first.LogTime, first.PublishTime, first.Data.Span);
            w.Complete();
        }
        string output = dir.File("out");
        var summary = BagProcessor.Process(input, output, new BagProcessOptions(), fixture.Pipeline);
        Assert.Equal(1, summary.Frames);
        using var bag = BagReader.Open(output);
        var weird = bag.ReadMessages(t => t.Name == "/weird").Select(m => (m.LogTime, m.PublishTime, m.Data.ToArray())).Single();
        Assert.Equal((5L, 4L), (weird.LogTime, weird.PublishTime));
        Assert.Equal(odd, weird.Item3);
        Assert.Equal("uint8[] blob\n", bag.FindDefinition("my_pkg/msg/Unknown")!.Text);
    }

    [SharedFact]
    public void A_bag_of_photos_of_people_gives_parts_and_people()
    {
        using var dir = new TempDir();
        int frames = SampleBag.FromPhotos(Path.Combine(TestPaths.Fixtures, "people"), dir.File("people"));
        var summary = BagProcessor.Process(dir.File("people"), dir.File("out"), new BagProcessOptions(), fixture.Pipeline);
        Assert.Equal((6, 6), (frames, summary.Frames));
        Assert.True(summary.RegionsPerClass.Values.Sum() > 0, "photos of people, so some parts are found");
    }

    [Fact]
    public void A_bag_without_an_image_topic_is_a_clear_error_and_writes_nothing()
    {
        using var dir = new TempDir();
        using (var w = BagWriter.Create(dir.File("talker")))
        {
            int chatter = w.AddTopic(new BagTopic("/topic", "std_msgs/msg/String"), null);
            int rosout = w.AddTopic(new BagTopic("/rosout", "rcl_interfaces/msg/Log"), null);
            w.Write(chatter, 1, 1, [0, 1, 0, 0, 3, 0, 0, 0, (byte)'h', (byte)'i', 0]);
            w.Write(rosout, 2, 2, [0, 1, 0, 0]);
            w.Complete();
        }
        var e = Assert.Throws<BagProcessException>(() =>
            BagProcessor.Process(dir.File("talker"), dir.File("out"), new BagProcessOptions(), fixture.Pipeline));
        Assert.Contains("no sensor_msgs/Image", e.Message, StringComparison.Ordinal);
        Assert.Contains("/rosout", e.Message, StringComparison.Ordinal);
        AssertNoLeftovers(dir, "out");
        Assert.Throws<BagProcessException>(() => BagProcessor.Process(fixture.SampleBagPath, dir.File("out"),
            new BagProcessOptions { ImageTopic = "/nope" }, fixture.Pipeline));
        AssertNoLeftovers(dir, "out");
    }

    [Fact]
    public void A_chunk_corrupted_midway_fails_the_run_and_leaves_no_output()
    {
        using var dir = new TempDir();
        string input = dir.File("in");
        // Several chunks: the damage is met after outputs have started being written.
        using (var w = BagWriter.Create(input, new BagWriterOptions { Mcap = new McapWriterOptions { ChunkSize = 64 * 1024, Compression = McapCompression.None } }))
        {
            int cam = w.AddTopic(new BagTopic(SampleBag.RawTopic, BagProcessor.ImageType), null);
            using var sample = BagReader.Open(fixture.SampleBagPath);
            foreach (var m in sample.ReadMessages(t => t.Name == SampleBag.RawTopic))
            {
                w.Write(cam, m.LogTime, m.PublishTime, m.Data.Span);
            }
            w.Complete();
        }
        string file = Path.Combine(input, "in_0.mcap");
        byte[] bytes = File.ReadAllBytes(file);
        var last = McapSummary.TryRead(new MemoryStream(bytes))!.ChunkIndexes[^1];
        bytes[last.ChunkStartOffset + last.ChunkLength - 100] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var e = Assert.Throws<McapFormatException>(() => BagProcessor.Process(input, dir.File("out"), new BagProcessOptions(), fixture.Pipeline));
        Assert.Contains("CRC", e.Message, StringComparison.Ordinal);
        AssertNoLeftovers(dir, "out");
    }

    [Fact]
    public void A_cancelled_run_leaves_no_output()
    {
        using var dir = new TempDir();
        using var cancel = new CancellationTokenSource();
        var progress = new Canceller(cancel);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            BagProcessor.Process(fixture.SampleBagPath, dir.File("out"), new BagProcessOptions(), fixture.Pipeline, progress, cancel.Token));
        AssertNoLeftovers(dir, "out");
    }

    [Fact]
    public void An_undecodable_frame_is_skipped_with_its_reason()
    {
        using var dir = new TempDir();
        string input = dir.File("in");
        using (var w = BagWriter.Create(input))
        {
            int cam = w.AddTopic(new BagTopic("/cam/compressed", BagProcessor.CompressedImageType), null);
            var cdr = new CdrWriter();
            cdr.Reset();
            CompressedImage.Write(cdr, default, "cam", "jpeg", [1, 2, 3, 4]);
            w.Write(cam, 1, 1, cdr.WrittenSpan);
            w.Write(cam, 2, 2, [0, 1, 0, 0, 9]); // truncated CDR
            w.Complete();
        }
        var summary = BagProcessor.Process(input, dir.File("out"), new BagProcessOptions(), fixture.Pipeline);
        Assert.Equal(0, summary.Frames);
        Assert.Equal(2, summary.SkippedFrames);
        Assert.Contains("not a decodable JPEG or PNG", summary.FirstSkipReason, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, int> { ["undecodable_image"] = 1, ["cdr_malformed"] = 1 }, summary.SkippedByCause);
        using var bag = BagReader.Open(dir.File("out"));
        Assert.Equal(2UL, bag.Info.MessageCount);
    }

    [Fact]
    public void Compressed_decode_bombs_are_skipped_as_size_too_large_and_the_next_frame_is_processed()
    {
        using var dir = new TempDir();
        string input = dir.File("in");
        var small = ImageCodec.EncodeJpeg(new byte[64 * 48 * 3], 64, 48, 3);
        using (var w = BagWriter.Create(input))
        {
            int cam = w.AddTopic(new BagTopic("/cam/compressed", BagProcessor.CompressedImageType), null);
            var cdr = new CdrWriter();
            long t = 0;
            foreach (var (format, bytes) in new[] { ("png", DecodeBombs.ZeroPng(16384)), ("jpeg", DecodeBombs.HugeJpeg(small, 16384, 16384)), ("jpeg", small) })
            {
                cdr.Reset();
                CompressedImage.Write(cdr, default, "cam", format, bytes);
                w.Write(cam, ++t, t, cdr.WrittenSpan);
            }
            w.Complete();
        }
        var summary = BagProcessor.Process(input, dir.File("out"), new BagProcessOptions(), fixture.Pipeline);
        Assert.Equal(1, summary.Frames);
        Assert.Equal(new Dictionary<string, int> { ["size_too_large"] = 2 }, summary.SkippedByCause);
        Assert.Contains("16384x16384 (from its Png header)", summary.FirstSkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Skipped_raw_frames_are_counted_per_cause_and_printed_largest_first()
    {
        using var dir = new TempDir();
        string input = dir.File("in");
        using (var w = BagWriter.Create(input))
        {
            int cam = w.AddTopic(new BagTopic("/cam", BagProcessor.ImageType), null);
            var cdr = new CdrWriter();
            long t = 0;
            void Put(uint width, uint height, string encoding, uint step, int length, int times)
            {
                for (int i = 0; i < times; i++)
                {
                    cdr.Reset();
                    Image.Write(cdr, default, "cam", height, width, encoding, step, new byte[length]);
                    w.Write(cam, ++t, t, cdr.WrittenSpan);
                }
            }
            Put(10, 10, "rgb8", 20, 300, 3);    // step_too_short
            Put(4, 4, "16UC1", 8, 32, 1);       // bad_encoding
            Put(64, 64, "rgb8", 192, 100, 2);   // data_truncated
            Put(0, 4, "rgb8", 0, 0, 1);         // zero_size
            w.Write(cam, ++t, t, [0, 1, 0, 0, 9]); // cdr_malformed
            w.Complete();
        }
        var summary = BagProcessor.Process(input, dir.File("out"), new BagProcessOptions(), fixture.Pipeline);
        Assert.Equal(0, summary.Frames);
        Assert.Equal(8, summary.SkippedFrames);
        Assert.Equal(new Dictionary<string, int> { ["step_too_short"] = 3, ["data_truncated"] = 2, ["bad_encoding"] = 1, ["zero_size"] = 1, ["cdr_malformed"] = 1 },
            summary.SkippedByCause);
        Assert.Equal("step_too_short 3, data_truncated 2, bad_encoding 1, zero_size 1, cdr_malformed 1", summary.SkippedByCauseText);
        Assert.StartsWith("message at 1: image step 20", summary.FirstSkipReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "part_segmenter", "/part_segmenter/")]
    [InlineData("/", "n", "/n/")]
    [InlineData("/robot/", "n", "/robot/n/")]
    public void Output_topics_follow_the_private_namespace(string ns, string node, string expected)
    {
        Assert.Equal(expected, BagProcessor.OutputPrefix(ns, node));
    }

    private sealed class Canceller(CancellationTokenSource cancel) : IProgress<BagProcessProgress>
    {
        public void Report(BagProcessProgress value) => cancel.Cancel();
    }
}

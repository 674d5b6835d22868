using RosPartSeg.Cli.Offline;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Imaging;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Bags.Tests;

/// <summary><c>process --depth-topic --camera-info-topic</c>: colour paired with depth by stamp over a bag, in time order.</summary>
public sealed class BagDepthTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Colour = "/camera/color/image_raw";
    private const string Depth = "/camera/aligned_depth_to_color/image_raw";
    private const string Info = "/camera/color/camera_info";

    // Compressed colour is paired by the stamp of its message header, before its pixels are decoded.
    [SharedTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void FramesArePairedWithTheirDepthWhicheverComesFirstAndTrackedThroughTheBag(bool compressed)
    {
        using var dir = new TempDir();
        var photo = ImageCodec.Read(SharedData.People("humans_1.jpg"));
        var jpeg = ImageCodec.EncodeJpeg(photo.Pixels, photo.Width, photo.Height, 3);
        string colourTopic = compressed ? Colour + "/compressed" : Colour;
        string colourType = compressed ? BagProcessor.CompressedImageType : BagProcessor.ImageType;
        var mm = Enumerable.Repeat((ushort)2500, photo.Width * photo.Height).ToArray();
        string input = dir.File("in");
        using (var w = BagWriter.Create(input))
        {
            int colour = w.AddTopic(new BagTopic(colourTopic, colourType), BagProcessor.KnownDefinition(colourType));
            int depth = w.AddTopic(new BagTopic(Depth, BagProcessor.ImageType), BagProcessor.KnownDefinition(BagProcessor.ImageType));
            int info = w.AddTopic(new BagTopic(Info, "sensor_msgs/msg/CameraInfo"), BagProcessor.KnownDefinition("sensor_msgs/msg/CameraInfo"));
            var cdr = new CdrWriter(1 << 20);
            void Write(int topic, long t) => w.Write(topic, t, t, cdr.WrittenSpan);
            void WriteColour(long t, long stamp)
            {
                cdr.Reset();
                if (compressed)
                {
                    CompressedImage.Write(cdr, Timestamp.FromNanoseconds(stamp), "camera_optical", "jpeg", jpeg);
                }
                else
                {
                    Image.Write(cdr, Timestamp.FromNanoseconds(stamp), "camera_optical", (uint)photo.Height, (uint)photo.Width, "bgr8", (uint)photo.Width * 3, photo.Pixels);
                }
                Write(colour, t);
            }
            void WriteDepth(long t, long stamp)
            {
                DepthMessages.WriteDepth(cdr, Timestamp.FromNanoseconds(stamp), "camera_optical", photo.Width, photo.Height, mm);
                Write(depth, t);
            }
            const long second = 1_000_000_000L;
            DepthMessages.WriteCameraInfo(cdr, Timestamp.FromNanoseconds(second), "camera_optical", photo.Width, photo.Height, new CameraIntrinsics(525, 525, photo.Width / 2.0, photo.Height / 2.0));
            Write(info, second);
            WriteDepth(second + 1, second); // frame 1: depth first
            WriteColour(second + 2, second);
            WriteColour((2 * second) - 2, 2 * second); // frame 2: colour first, its depth 3 ms off and later in the bag
            WriteDepth(2 * second, (2 * second) + 3_000_000);
            WriteColour(3 * second, 3 * second); // frame 3: no depth
            w.Complete();
        }

        string output = dir.File("out");
        var summary = BagProcessor.Process(input, output, new BagProcessOptions { ImageTopic = colourTopic, DepthTopic = Depth, CameraInfoTopic = Info }, fixture.Pipeline);

        Assert.Equal(3, summary.Frames);
        Assert.Equal((1, 0), (summary.FramesWithoutDepth, summary.DepthRefused));
        Assert.Contains("/part_segmenter/detections_3d", summary.OutputTopics);
        Assert.Contains("/part_segmenter/markers", summary.OutputTopics);
        using var bag = BagReader.Open(output);
        var d3 = bag.ReadMessages(t => t.Name == "/part_segmenter/detections_3d").Select(m => RosMessage.Decode<Detection3DArray>(m.Data)).ToList();
        Assert.Equal(2, d3.Count); // frame 3 had no depth: no 3D message
        Assert.All(d3, a => Assert.Equal(2.5, a.Detections[0].BBox.Center.Position.Z, 3));
        Assert.Equal(2, bag.ReadMessages(t => t.Name == "/part_segmenter/markers").Count());

        var parts = bag.ReadMessages(t => t.Name == "/part_segmenter/parts").Select(m => RosMessage.Decode<PartRegionArrayMessage>(m.Data)).ToList();
        Assert.Equal([1L, 2L, 3L], parts.Select(p => (long)p.Header.Stamp.Seconds));
        Assert.Equal([true, true, false], parts.Select(p => p.People[0].Place.HasPosition));
        // The same photo three times: each person keeps their track id through the bag.
        Assert.All(parts, p => Assert.Equal(parts[0].People.Select(q => q.TrackId), p.People.Select(q => q.TrackId)));
        Assert.All(parts[0].People, q => Assert.True(q.TrackId > 0));
    }

    [Fact]
    public void DepthWithoutCameraInfoIsRefusedBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<BagProcessException>(() => BagProcessor.Process(fixture.SampleBagPath, dir.File("out"),
            new BagProcessOptions { DepthTopic = SampleBag.RawTopic }, fixture.Pipeline));
        Assert.Contains("--camera-info-topic", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}

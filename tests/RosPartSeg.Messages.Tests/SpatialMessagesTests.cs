using System.Runtime.InteropServices;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Messages.Tests;

/// <summary>The 3D outputs, the tracked ids and the depth/CameraInfo readers, on a real pipeline result with depth.</summary>
public sealed class SpatialMessagesTests
{
    private static readonly ModelInfo Model = ScriptedPipeline.Model;

    private static readonly CameraIntrinsics K = new(50, 50, 31.5, 23.5);
    private static readonly Timestamp Stamp = new(1_700_000_123, 456);

    private static SegmentationResult Process(SegmentationPipeline pipeline, bool withDepth = true)
    {
        var pixels = new byte[64 * 48 * 3];
        var metres = Enumerable.Repeat(2f, 64 * 48).ToArray();
        var depth = new DepthInput(new DepthImage(64, 48, DepthFormat.Float32, 64 * 4, MemoryMarshal.AsBytes(metres.AsSpan()).ToArray()), K);
        return pipeline.Process(ImageFrame.Packed(64, 48, PixelEncoding.Rgb8, pixels, Stamp, "camera_optical"), PipelineOutputs.All, withDepth ? depth : default);
    }

    private static SegmentationPipeline Pipeline() => new(new ScriptedPipeline.Backend(), Model, new PipelineOptions { MinRegionArea = 1, MinPersonArea = 1 });

    [Fact]
    public void Detections3DHoldEveryPlacedPersonThenRegionWithTrackedIds()
    {
        using var pipeline = Pipeline();
        var result = Process(pipeline);
        Assert.True(result.Has3D);
        var w = new CdrWriter();
        SpatialMessages.WriteDetections3D(w, result);
        var array = RosMessage.Decode<Detection3DArray>(w.WrittenMemory);

        Assert.Equal((Stamp, "camera_optical"), (array.Header.Stamp, array.Header.FrameId));
        Assert.Equal(1 + result.Regions.Length, array.Detections.Count);
        var track = result.TrackIds[0];
        Assert.Equal(["person", "left_hand", "right_hand"], array.Detections.Select(d => d.Results.Single().Hypothesis.ClassId));
        Assert.Equal([$"person{track}", $"person{track}/left_hand/0", $"person{track}/right_hand/0"], array.Detections.Select(d => d.Id));
        for (int i = 0; i < result.Regions.Length; i++)
        {
            var p = result.Regions3D[i];
            var d = array.Detections[i + 1];
            Assert.Equal((p.X, p.Y, 2.0), (d.BBox.Center.Position.X, d.BBox.Center.Position.Y, d.BBox.Center.Position.Z));
            Assert.Equal(d.BBox.Center, d.Results[0].Pose.Pose);
            Assert.Equal((p.SizeX, p.SizeY, p.SizeZ), (d.BBox.Size.X, d.BBox.Size.Y, d.BBox.Size.Z));
            Assert.True(d.BBox.Size.X > 0 && d.BBox.Size.Y > 0);
        }
        // The left hand lies left of the optical axis (x < 0), the right one right of it.
        Assert.True(array.Detections[1].BBox.Center.Position.X < 0 && array.Detections[2].BBox.Center.Position.X > 0);

        // Hand-derived layout of the first detection, offsets from the end of the 4-byte encapsulation header:
        // array header stamp 0..8, frame id 8..12 + "camera_optical\0" 12..27; count at 28; detection header 32..59;
        // results count at 60; class id length at 64 ("person\0": 7) and text 68..75; score float64 at 80; pose
        // 88..144; covariance 144..432; bbox center 432..488 (x at 432, z at 448, orientation w at 480); size 488..512
        // (y at 496); id length at 512.
        var body = w.WrittenSpan[4..];
        Assert.Equal(3u, MemoryMarshal.Read<uint>(body[28..]));
        Assert.Equal(1u, MemoryMarshal.Read<uint>(body[60..]));
        Assert.Equal(7u, MemoryMarshal.Read<uint>(body[64..]));
        Assert.Equal(result.People[0].Score, MemoryMarshal.Read<double>(body[80..]), 6);
        Assert.Equal(result.People3D[0].X, MemoryMarshal.Read<double>(body[432..]));
        Assert.Equal(2.0, MemoryMarshal.Read<double>(body[448..]));
        Assert.Equal(1.0, MemoryMarshal.Read<double>(body[480..])); // orientation w
        Assert.Equal(result.People3D[0].SizeY, MemoryMarshal.Read<double>(body[496..]));
        Assert.Equal((uint)$"person{track}".Length + 1, MemoryMarshal.Read<uint>(body[512..]));
    }

    [Fact]
    public void MarkersAreADeleteAllThenASpherePerPartInItsColourThenATextPerPerson()
    {
        using var pipeline = Pipeline();
        var result = Process(pipeline);
        var w = new CdrWriter();
        SpatialMessages.WriteMarkers(w, result, Model.Palette);

        // Walk the visualization_msgs/MarkerArray field by field, as Humble's and Jazzy's Marker lay it out.
        var r = new CdrReader(w.WrittenMemory);
        int n = r.ReadSequenceCount(1, "markers");
        Assert.Equal(1 + result.Regions.Length + 1, n);
        var markers = new List<(string Ns, int Id, int Type, int Action, double X, double Z, double Scale, float R, float G, float A, string Text)>();
        for (int i = 0; i < n; i++)
        {
            var header = Std.Header.Read(ref r);
            Assert.Equal((Stamp, "camera_optical"), (header.Stamp, header.FrameId));
            string ns = r.ReadString();
            int id = r.ReadInt32(), type = r.ReadInt32(), action = r.ReadInt32();
            double x = r.ReadFloat64();
            _ = r.ReadFloat64();
            double z = r.ReadFloat64();
            Assert.Equal((0.0, 0.0, 0.0, 1.0), (r.ReadFloat64(), r.ReadFloat64(), r.ReadFloat64(), r.ReadFloat64()));
            double scale = r.ReadFloat64();
            _ = r.ReadFloat64();
            _ = r.ReadFloat64();
            float cr = r.ReadFloat32(), cg = r.ReadFloat32();
            _ = r.ReadFloat32();
            float ca = r.ReadFloat32();
            Assert.Equal((0, 0u), (r.ReadInt32(), r.ReadUInt32())); // lifetime
            Assert.False(r.ReadBool()); // frame_locked
            Assert.Equal(0, r.ReadSequenceCount(24, "points"));
            Assert.Equal(0, r.ReadSequenceCount(16, "colors"));
            Assert.Equal("", r.ReadString()); // texture_resource
            Assert.Equal("", Std.Header.Read(ref r).FrameId); // texture (CompressedImage)
            Assert.Equal("", r.ReadString());
            Assert.Empty(r.ReadByteSequence().ToArray());
            Assert.Equal(0, r.ReadSequenceCount(8, "uv_coordinates"));
            string text = r.ReadString();
            Assert.Equal("", r.ReadString()); // mesh_resource
            Assert.Equal("", r.ReadString()); // mesh_file.filename
            Assert.Empty(r.ReadByteSequence().ToArray());
            Assert.False(r.ReadBool()); // mesh_use_embedded_materials
            markers.Add((ns, id, type, action, x, z, scale, cr, cg, ca, text));
        }
        Assert.Equal(0, r.Remaining);

        Assert.Equal(3, markers[0].Action); // DELETEALL
        Assert.All(markers.Skip(1), m => Assert.Equal(0, m.Action));
        var spheres = markers.Where(m => m.Ns == SpatialMessages.PartsNamespace).ToList();
        Assert.Equal(result.Regions.Length, spheres.Count);
        Assert.All(spheres, m => Assert.Equal((2, 2.0, 1f), (m.Type, m.Z, m.A)));
        Assert.Equal((1f, 0f), (spheres[0].R, spheres[0].G)); // left_hand: red
        Assert.Equal((0f, 1f), (spheres[1].R, spheres[1].G)); // right_hand: green
        var label = Assert.Single(markers, m => m.Ns == SpatialMessages.PeopleNamespace);
        Assert.Equal((9, $"P{result.TrackIds[0]}"), (label.Type, label.Text));
    }

    [Fact]
    public void PartsCarryTrackIdsAndThe3DFields()
    {
        using var pipeline = Pipeline();
        var result = Process(pipeline);
        var w = new CdrWriter();
        SegmentationMessages.WriteParts(w, result);
        var parts = RosMessage.Decode<PartRegionArrayMessage>(w.WrittenMemory);
        var person = Assert.Single(parts.People);
        Assert.Equal((uint)result.TrackIds[0], person.TrackId);
        Assert.True(person.TrackId > 0);
        Assert.True(person.Place.HasPosition);
        Assert.Equal(2.0, person.Place.Position.Z);
        Assert.Equal((uint)result.People3D[0].PixelsUsed, person.Place.DepthPixels);
        Assert.All(parts.Regions, r => Assert.True(r.Place.HasPosition));

        // Without depth: the same person keeps the track id, and no 3D.
        var again = Process(pipeline, withDepth: false);
        SegmentationMessages.WriteParts(w, again);
        parts = RosMessage.Decode<PartRegionArrayMessage>(w.WrittenMemory);
        Assert.Equal(person.TrackId, parts.People[0].TrackId);
        Assert.Equal(default, parts.People[0].Place);
        Assert.All(parts.Regions, r => Assert.Equal(default, r.Place));
    }

    [Fact]
    public void TheStampOfAnyHeaderedMessageIsReadWithoutDecodingTheRest()
    {
        var w = new CdrWriter();
        DepthMessages.WriteDepth(w, Stamp, "cam", 3, 2, [0, 1000, 2000, 3000, 4000, 65535]);
        Assert.Equal(Stamp, Messages.Std.Header.ReadStamp(w.WrittenSpan));
        CompressedImage.Write(w = new CdrWriter(), Stamp, "cam", "jpeg", [1, 2, 3]);
        Assert.Equal(Stamp, Messages.Std.Header.ReadStamp(w.WrittenSpan));
        Assert.Throws<CdrException>(() => Messages.Std.Header.ReadStamp(w.WrittenSpan[..6]));
    }

    [Fact]
    public void DepthImagesOfBothEncodingsAndCameraInfoAreRead()
    {
        var w = new CdrWriter();
        DepthMessages.WriteDepth(w, Stamp, "cam", 3, 2, [0, 1000, 2000, 3000, 4000, 65535]);
        Assert.True(DepthMessages.TryDecodeDepth(w.WrittenMemory, null, out var header, out var mm, out var error), error);
        Assert.Equal((Stamp, DepthFormat.UInt16, 3, 2, 6, 0.001), (header.Stamp, mm.Format, mm.Width, mm.Height, mm.Step, mm.MetresPerUnit));

        DepthMessages.WriteDepth(w, Stamp, "cam", 2, 1, [1.5f, float.NaN]);
        Assert.True(DepthMessages.TryDecodeDepth(w.WrittenMemory, null, out _, out var m, out _));
        Assert.Equal((DepthFormat.Float32, 8), (m.Format, m.Step));

        Image.Write(w = new CdrWriter(), Stamp, "cam", 1, 1, "rgb8", 3, [1, 2, 3]);
        Assert.False(DepthMessages.TryDecodeDepth(w.WrittenMemory, null, out _, out _, out error));
        Assert.Contains("16UC1", error, StringComparison.Ordinal);
        Image.Write(w = new CdrWriter(), Stamp, "cam", 2, 2, "16UC1", 4, [1, 2, 3, 4]);
        Assert.False(DepthMessages.TryDecodeDepth(w.WrittenMemory, null, out _, out _, out error));
        Assert.Contains("shorter than step x height", error, StringComparison.Ordinal);

        DepthMessages.WriteCameraInfo(w, Stamp, "cam", 640, 480, new CameraIntrinsics(525, 530, 319.5, 239.5));
        var (infoHeader, width, height, k) = DepthMessages.ReadIntrinsics(w.WrittenSpan);
        Assert.Equal((Stamp, 640, 480, new CameraIntrinsics(525, 530, 319.5, 239.5)), (infoHeader.Stamp, width, height, k));
        // The CameraInfo CDR after the encapsulation header: header 0..16 ("cam\0"), height 16, width 20, "plumb_bob\0"
        // 24..38, d count at 40, its 5 float64 48..88, then K row-major: fx at 88, cx at 104, fy at 120, cy at 128.
        var body = w.WrittenSpan[4..];
        Assert.Equal(5u, MemoryMarshal.Read<uint>(body[40..]));
        Assert.Equal(525.0, MemoryMarshal.Read<double>(body[88..]));
        Assert.Equal(319.5, MemoryMarshal.Read<double>(body[104..]));
        Assert.Equal(530.0, MemoryMarshal.Read<double>(body[120..]));
        Assert.Equal(239.5, MemoryMarshal.Read<double>(body[128..]));
    }
}

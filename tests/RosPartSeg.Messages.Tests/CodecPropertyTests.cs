using FsCheck;
using FsCheck.Xunit;
using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Diagnostic;
using RosPartSeg.Messages.Geometry;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Rcl;
using RosPartSeg.Messages.Rmw;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;
using RosPartSeg.Messages.Vision;
using static RosPartSeg.Messages.Tests.TestSupport;

namespace RosPartSeg.Messages.Tests;

/// <summary>Random messages built from FsCheck-generated values round-trip; damaged bytes only ever give CdrException.</summary>
public sealed class CodecPropertyTests
{
    private static Header MakeHeader(string? frame, int sec, uint nsec) => new(new Timestamp(sec, nsec), Utf8Clean(frame));

    private static Image MakeImage(byte[]? data, string? frame, string? encoding, uint h, uint w, byte be, uint step, int sec, uint nsec) => new()
    {
        Header = MakeHeader(frame, sec, nsec), Height = h, Width = w, Encoding = Utf8Clean(encoding), IsBigEndian = be, Step = step, Data = data ?? [],
    };

    private static Detection2DArray MakeDetections(string? frame, int sec, uint nsec, (string?, double)[]? hyps, double[]? values, string?[]? ids)
    {
        values ??= [];
        double V(int i) => values.Length == 0 ? 0 : values[i % values.Length];
        var results = (hyps ?? []).Select((h, i) => new ObjectHypothesisWithPose
        {
            Hypothesis = new ObjectHypothesis(Utf8Clean(h.Item1), h.Item2),
            Pose = new PoseWithCovariance
            {
                Pose = new Pose(new Point(V(i), V(i + 1), V(i + 2)), new Quaternion(V(i + 3), V(i + 4), V(i + 5), V(i + 6))),
                Covariance = Enumerable.Range(0, 36).Select(k => V(i + k)).ToArray(),
            },
        }).ToArray();
        var detections = (ids ?? []).Select((id, i) => new Detection2D
        {
            Header = MakeHeader(id, sec + i, nsec),
            Results = results.Skip(i % (results.Length + 1)).ToArray(),
            BBox = new BoundingBox2D(new Pose2D(new Point2D(V(i), V(i + 1)), V(i + 2)), V(i + 3), V(i + 4)),
            Id = Utf8Clean(id),
        }).ToArray();
        return new Detection2DArray { Header = MakeHeader(frame, sec, nsec), Detections = detections };
    }

    private static DiagnosticArray MakeDiagnostics(string? frame, (string?, string?)[]? pairs, string?[]? names, byte level) => new()
    {
        Header = MakeHeader(frame, 0, 0),
        Status = (names ?? []).Select((n, i) => new DiagnosticStatus
        {
            Level = (DiagnosticLevel)(level % 4), Name = Utf8Clean(n), Message = Utf8Clean(frame), HardwareId = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Values = (pairs ?? []).Skip(i).Select(p => new KeyValue(Utf8Clean(p.Item1), Utf8Clean(p.Item2))).ToArray(),
        }).ToArray(),
    };

    private static PartRegionArrayMessage MakeParts(string? frame, (ushort, uint, float)[]? people, (ushort, string?, float)[]? regions) => new()
    {
        Header = MakeHeader(frame, 1, 2),
        ImageWidth = 640,
        ImageHeight = 480,
        People = (people ?? []).Select(p => new PersonMessage
        {
            PersonId = p.Item1, Box = new RegionOfInterest(p.Item2, p.Item2 / 2, 3, 4), PixelCount = p.Item2, CentroidX = p.Item3, CentroidY = -p.Item3, Score = p.Item3,
        }).ToArray(),
        Regions = (regions ?? []).Select(r => new PartRegionMessage
        {
            ClassId = r.Item1, ClassName = Utf8Clean(r.Item2), PersonId = (ushort)(r.Item1 / 3), Box = new RegionOfInterest(1, 2, 3, 4, true),
            PixelCount = r.Item1, CentroidX = r.Item3, CentroidY = r.Item3, Score = r.Item3,
        }).ToArray(),
    };

    [Property(MaxTest = 200)]
    public void ImagesRoundTrip(byte[] data, string frame, string encoding, uint h, uint w, byte be, uint step, int sec, uint nsec)
        => RoundTrip(MakeImage(data, frame, encoding, h, w, be, step, sec, nsec));

    [Property(MaxTest = 200)]
    public void CompressedImagesRoundTrip(byte[] data, string frame, string format, int sec, uint nsec)
        => RoundTrip(new CompressedImage { Header = MakeHeader(frame, sec, nsec), Format = Utf8Clean(format), Data = data ?? [] });

    [Property(MaxTest = 200)]
    public void DetectionArraysRoundTrip(string frame, int sec, uint nsec, (string?, double)[] hyps, double[] values, string[] ids)
        => RoundTrip(MakeDetections(frame, sec, nsec, hyps, values, ids));

    [Property(MaxTest = 200)]
    public void DiagnosticArraysRoundTrip(string frame, (string?, string?)[] pairs, string[] names, byte level)
        => RoundTrip(MakeDiagnostics(frame, pairs, names, level));

    [Property(MaxTest = 200)]
    public void LabelInfosRoundTrip(string frame, string[] names, float threshold)
        => RoundTrip(LabelInfo.FromClassNames(MakeHeader(frame, 0, 0), (names ?? []).Take(ushort.MaxValue).Select(Utf8Clean).ToArray(), threshold));

    [Property(MaxTest = 200)]
    public void PartRegionArraysRoundTrip(string frame, (ushort, uint, float)[] people, (ushort, string?, float)[] regions)
        => RoundTrip(MakeParts(frame, people, regions));

    [Property(MaxTest = 200)]
    public void LogsRoundTrip(string name, string msg, string file, string function, uint line, byte level, int sec, uint nsec)
        => RoundTrip(new Log
        {
            Stamp = new Timestamp(sec, nsec), Level = level, Name = Utf8Clean(name), Msg = Utf8Clean(msg), File = Utf8Clean(file),
            Function = Utf8Clean(function), Line = line,
        });

    [Property(MaxTest = 200)]
    public void ParticipantInfosRoundTripInBothLayouts(byte[] guid, string ns, string node, byte readers, byte writers, bool humble)
    {
        var g = new byte[16];
        (guid ?? []).AsSpan(0, Math.Min(16, guid?.Length ?? 0)).CopyTo(g);
        var gid = Gid.FromGuid(g);
        var info = new ParticipantEntitiesInfo
        {
            Gid = gid,
            Nodes = [new NodeEntitiesInfo
            {
                NodeNamespace = Trim256(ns), NodeName = Trim256(node),
                ReaderGids = Enumerable.Repeat(gid, readers % 8).ToArray(), WriterGids = Enumerable.Repeat(gid, writers % 8).ToArray(),
            }],
        };
        var layout = humble ? GidLayout.Humble24 : GidLayout.Jazzy16;
        var w = new CdrWriter();
        info.Encode(w, layout);
        Assert.Equal(Deep(info), Deep(ParticipantEntitiesInfo.Decode(w.WrittenSpan, layout)));
    }

    private static string Trim256(string? s)
    {
        var clean = Utf8Clean(s);
        while (System.Text.Encoding.UTF8.GetByteCount(clean) > 256)
        {
            clean = clean[..^1];
        }
        return Utf8Clean(clean);
    }

    // Every decoder the codec has, run on the same bytes: each must succeed or throw CdrException (FrameException for
    // DecodeFrame, which also checks the image geometry), and nothing else.
    private static void DecodeWithEveryType(byte[] bytes)
    {
        Attempt(() => RosMessage.Decode<Header>(bytes.AsMemory()));
        Attempt(() => RosMessage.Decode<Image>(bytes.AsMemory()));
        Attempt(() => RosMessage.Decode<Image>(bytes.AsSpan()));
        Attempt(() => RosMessage.Decode<CompressedImage>(bytes.AsMemory()));
        Attempt(() => RosMessage.Decode<Detection2DArray>(bytes.AsMemory()));
        Attempt(() => RosMessage.Decode<LabelInfo>(bytes.AsMemory()));
        Attempt(() => RosMessage.Decode<DiagnosticArray>(bytes.AsMemory()));
        Attempt(() => RosMessage.Decode<PartRegionArrayMessage>(bytes.AsMemory()));
        Attempt(() => RosMessage.Decode<Log>(bytes.AsMemory()));
        Attempt(() => RosMessage.Decode<StdString>(bytes.AsMemory()));
        Attempt(() => ParticipantEntitiesInfo.Decode(bytes, GidLayout.Humble24));
        Attempt(() => ParticipantEntitiesInfo.Decode(bytes, GidLayout.Jazzy16));
        try
        {
            ImageMessages.DecodeFrame(bytes);
        }
        catch (CdrException)
        {
        }
        catch (FrameException)
        {
        }
    }

    private static void Attempt(Func<object> decode)
    {
        try
        {
            decode();
        }
        catch (CdrException)
        {
        }
    }

    private static byte[][] SampleEncodings(string frame, byte[] data, (string?, double)[] hyps, string[] names)
    {
        var w = new CdrWriter();
        ResultMessages.WriteLabelInfo(w, default, frame, (names ?? []).Select(Utf8Clean).ToArray());
        return
        [
            RosMessage.EncodeToArray(MakeImage(data, frame, "rgb8", 1, (uint)(data?.Length ?? 0) / 3, 0, (uint)(data?.Length ?? 0), 1, 2)),
            RosMessage.EncodeToArray(MakeDetections(frame, 1, 2, hyps, [1, 2], names)),
            RosMessage.EncodeToArray(MakeDiagnostics(frame, hyps?.Select(h => (h.Item1, (string?)frame)).ToArray(), names, 1)),
            w.ToArray(),
        ];
    }

    [Property(MaxTest = 300)]
    public void TruncatedMessagesFailOnlyWithCdrException(string frame, byte[] data, (string?, double)[] hyps, string[] names, PositiveInt cut)
    {
        foreach (var bytes in SampleEncodings(frame, data, hyps, names))
        {
            var prefix = bytes[..(cut.Get % bytes.Length)];
            DecodeWithEveryType(prefix);
        }
        var image = SampleEncodings(frame, data, hyps, names)[0];
        var imagePrefix = image[..(cut.Get % image.Length)];
        Assert.Throws<CdrException>(() => RosMessage.Decode<Image>(imagePrefix.AsMemory()));
        var detections = SampleEncodings(frame, data, hyps, names)[1];
        var detectionsPrefix = detections[..(cut.Get % detections.Length)];
        Assert.Throws<CdrException>(() => RosMessage.Decode<Detection2DArray>(detectionsPrefix.AsMemory()));
    }

    [Property(MaxTest = 300)]
    public void CorruptedMessagesFailOnlyWithCdrException(string frame, byte[] data, (string?, double)[] hyps, string[] names, (int, byte)[] flips)
    {
        foreach (var bytes in SampleEncodings(frame, data, hyps, names))
        {
            foreach (var (at, value) in flips ?? [])
            {
                bytes[(int)((uint)at % (uint)bytes.Length)] ^= value;
            }
            DecodeWithEveryType(bytes);
        }
    }

    [Property(MaxTest = 300)]
    public void RandomBytesAfterAValidHeaderFailOnlyWithCdrException(byte[] body)
        => DecodeWithEveryType([0x00, 0x01, 0x00, 0x00, .. body ?? []]);
}

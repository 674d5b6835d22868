using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Diagnostic;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Messages.Tests;

public sealed class CdrReaderTests
{
    private static byte[] SampleImage(int pixels = 6)
    {
        var w = new CdrWriter();
        ImageMessages.WriteLabels(w, new Timestamp(5, 6), "f", pixels, 1, new byte[pixels]);
        return w.ToArray();
    }

    [Fact]
    public void RejectsMessagesShorterThanTheEncapsulationHeader()
    {
        var e = TestSupport.DecodeFails<Header>([0x00, 0x01]);
        Assert.Equal(0, e.Offset);
        Assert.Contains("encapsulation header", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsBigEndianAndXcdr2Encapsulations()
    {
        var be = TestSupport.DecodeFails<Header>([0x00, 0x00, 0x00, 0x00, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0]);
        Assert.Contains("big-endian", be.Message, StringComparison.Ordinal);
        var x2 = TestSupport.DecodeFails<Header>([0x00, 0x07, 0x00, 0x00, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0]);
        Assert.Contains("00 07", x2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedImageDataNamesTheLengthAndOffset()
    {
        var bytes = SampleImage();
        var cut = bytes[..^2]; // two pixel bytes missing
        var e = TestSupport.DecodeFails<Image>(cut);
        Assert.Equal(48, e.Offset); // 4-byte header + 44: first pixel byte
        Assert.Contains("6 bytes of a byte sequence", e.Expected, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LyingImageLengthIsRefusedBeforeAnyCopy()
    {
        var bytes = SampleImage();
        // The data count sits at body offset 40 (message offset 44): claim 2 GB of pixels.
        bytes[44] = 0xFF; bytes[45] = 0xFF; bytes[46] = 0xFF; bytes[47] = 0x7F;
        var e = TestSupport.DecodeFails<Image>(bytes);
        Assert.Equal(44, e.Offset);
        Assert.Contains("exceeds the limit", e.Message, StringComparison.Ordinal);
        // Within the limit but beyond the buffer.
        bytes[44] = 0x00; bytes[45] = 0x10; bytes[46] = 0x00; bytes[47] = 0x00;
        var e2 = TestSupport.DecodeFails<Image>(bytes);
        Assert.Equal(48, e2.Offset);
        Assert.Contains("4096 bytes", e2.Expected, StringComparison.Ordinal);
        Assert.Throws<CdrException>(() => ImageMessages.DecodeFrame(bytes));
    }

    [Fact]
    public void LyingStringLengthIsRefused()
    {
        var bytes = RosMessage.EncodeToArray(new Header(new Timestamp(1, 2), "cam"));
        bytes[12] = 200; // frame_id length 200, only 4 bytes follow
        var e = TestSupport.DecodeFails<Header>(bytes);
        Assert.Equal(16, e.Offset);
        Assert.Contains("string bytes (length field at byte 12)", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void StringWithoutTerminatingNulIsRefused()
    {
        var bytes = RosMessage.EncodeToArray(new Header(new Timestamp(1, 2), "cam"));
        bytes[^1] = (byte)'!';
        var e = TestSupport.DecodeFails<Header>(bytes);
        Assert.Equal(bytes.Length - 1, e.Offset);
        Assert.Contains("NUL", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void StringLongerThanTheLimitIsRefused()
    {
        var bytes = RosMessage.EncodeToArray(new Header(default, new string('x', 100)));
        var limits = CdrLimits.Default with { MaxStringBytes = 99 };
        var e = Assert.Throws<CdrException>(() => RosMessage.Decode<Header>(bytes.AsMemory(), limits));
        Assert.Equal(12, e.Offset);
        Assert.Contains("at most 99 bytes", e.Expected, StringComparison.Ordinal);
        Assert.Equal(new string('x', 100), RosMessage.Decode<Header>(bytes.AsMemory(), limits with { MaxStringBytes = 100 }).FrameId);
    }

    [Fact]
    public void SequenceCountThatCannotFitIsRefusedBeforeAllocating()
    {
        var msg = new DiagnosticArray { Header = new Header(default, ""), Status = [] };
        var bytes = RosMessage.EncodeToArray(msg);
        // status count at body offset 16 (after stamp, len 1 + NUL, pad): claim a million entries.
        Assert.Equal(24, bytes.Length);
        BitConverter.GetBytes(1_000_000).CopyTo(bytes, 20);
        var e = TestSupport.DecodeFails<DiagnosticArray>(bytes);
        Assert.Equal(24, e.Offset);
        Assert.Contains("1000000 DiagnosticStatus", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void SequenceCountAboveTheLimitIsRefused()
    {
        var info = LabelInfo.FromClassNames(new Header(default, "x"), ["a", "b", "c"]);
        var bytes = RosMessage.EncodeToArray(info);
        var limits = CdrLimits.Default with { MaxSequenceCount = 2 };
        var e = Assert.Throws<CdrException>(() => RosMessage.Decode<LabelInfo>(bytes.AsMemory(), limits));
        Assert.Contains("at most 2 elements", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void ByteSequenceAboveTheLimitIsRefused()
    {
        var bytes = SampleImage(100);
        var limits = CdrLimits.Default with { MaxByteSequenceLength = 99 };
        var e = Assert.Throws<CdrException>(() => RosMessage.Decode<Image>(bytes.AsMemory(), limits));
        Assert.Contains("at most 99 bytes", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncationInsideAlignmentPaddingIsReported()
    {
        // Header "f" ends at body offset 14; the next uint32 needs 2 padding bytes first.
        var bytes = SampleImage()[..19]; // 4 + 15: one padding byte present
        var e = TestSupport.DecodeFails<Image>(bytes);
        Assert.Equal(18, e.Offset);
        Assert.Contains("padding", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPrefixOfAnImageFailsWithCdrException()
    {
        var bytes = SampleImage();
        for (int n = 0; n < bytes.Length; n++)
        {
            var prefix = bytes[..n];
            Assert.Throws<CdrException>(() => RosMessage.Decode<Image>(prefix.AsMemory()));
            Assert.Throws<CdrException>(() => RosMessage.Decode<Image>(prefix.AsSpan()));
            Assert.Throws<CdrException>(() => ImageMessages.DecodeFrame(prefix));
        }
    }

    [Fact]
    public void EmptyStringWithZeroLengthIsAccepted()
    {
        // Some writers encode "" as length 0 with no NUL.
        byte[] bytes = [0x00, 0x01, 0x00, 0x00, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal("", RosMessage.Decode<Header>(bytes.AsMemory()).FrameId);
    }

    [Fact]
    public void TrailingPaddingAfterAMessageIsIgnored()
    {
        var bytes = RosMessage.EncodeToArray(new Header(new Timestamp(1, 2), "ab"));
        var padded = bytes.Concat(new byte[] { 0, 0, 0 }).ToArray();
        Assert.Equal("ab", RosMessage.Decode<Header>(padded.AsMemory()).FrameId);
    }

    [Fact]
    public void WriterAlignsRelativeToTheEndOfTheEncapsulationHeader()
    {
        var w = new CdrWriter();
        w.WriteByte(7);
        w.WriteFloat64(1.0);
        // byte at body 0, 7 padding bytes, the double at body 8 (message offset 12).
        Assert.Equal(4 + 16, w.Length);
        Assert.Equal(new byte[] { 0, 1, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F }, w.WrittenSpan.ToArray());
        var r = new CdrReader(w.WrittenSpan);
        Assert.Equal(7, r.ReadByte());
        Assert.Equal(1.0, r.ReadFloat64());
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void WriterResetReusesTheBufferWithoutGrowing()
    {
        var w = new CdrWriter(16);
        RosMessage.Encode(new Header(new Timestamp(1, 2), new string('a', 1000)), w);
        int capacity = w.Capacity;
        for (int i = 0; i < 10; i++)
        {
            RosMessage.Encode(new Header(new Timestamp(i, 2), new string('b', 500)), w);
        }
        Assert.Equal(capacity, w.Capacity);
        Assert.Equal(new string('b', 500), RosMessage.Decode<Header>(w.WrittenMemory).FrameId);
    }

    [Fact]
    public void BuiltStringsPatchTheirLength()
    {
        var w = new CdrWriter();
        int s = w.BeginString();
        w.WriteRaw("person"u8);
        w.WriteRawDecimal(12);
        w.EndString(s);
        var r = new CdrReader(w.WrittenSpan);
        Assert.Equal("person12", r.ReadString());
    }

    [Fact]
    public void ZeroLengthStringsInsideSequencesAreAccepted()
    {
        byte[] bytes =
        [
            0x00, 0x01, 0x00, 0x00,
            0, 0, 0, 0, 0, 0, 0, 0,         // 0: stamp
            0, 0, 0, 0,                     // 8: frame_id length 0
            2, 0, 0, 0,                     // 12: class_map count 2
            1, 0, 0, 0, 0, 0, 0, 0,         // 16: class_id 1, pad, 20: class_name length 0
            2, 0, 0, 0, 0, 0, 0, 0,         // 24: class_id 2, pad, 28: class_name length 0
            0, 0, 0, 0x3F,                  // 32: threshold 0.5f
        ];
        var info = RosMessage.Decode<LabelInfo>(bytes.AsMemory());
        Assert.Equal([(ushort)1, (ushort)2], info.ClassMap.Select(c => c.ClassId).ToArray());
        Assert.All(info.ClassMap, c => Assert.Equal("", c.ClassName));
        Assert.Equal(0.5f, info.Threshold);
    }
}

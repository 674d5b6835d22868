using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Messages.Tests;

/// <summary>
/// The node refuses raw Images with <see cref="ImageMessages.TryDecodeFrame"/>: it must give exactly the verdict of
/// the throwing <see cref="ImageMessages.DecodeFrame"/> (same cause, same frame), whatever the bytes, and refuse
/// without garbage.
/// </summary>
public sealed class TryDecodeFrameTests
{
    private static byte[] ValidImage(Random rng, out int width, out int height)
    {
        width = rng.Next(1, 40) * 2;
        height = rng.Next(1, 20);
        var data = new byte[(width * 3 + 5) * height];
        rng.NextBytes(data);
        var writer = new CdrWriter();
        Image.Write(writer, new Timestamp(rng.Next(), (uint)rng.Next(1_000_000_000)), rng.Next(2) == 0 ? "" : $"camera_{rng.Next(100)}",
            (uint)height, (uint)width, rng.Next(2) == 0 ? "bgr8" : "rgb8", (uint)(width * 3 + 5), data);
        return writer.ToArray();
    }

    private static void AssertSameVerdict(byte[] cdr)
    {
        var expected = ImageFuzzer.Refusal(cdr);
        bool ok = ImageMessages.TryDecodeFrame(cdr, null, null, out var frame, out var cause);
        Assert.Equal(expected is null, ok);
        if (!ok)
        {
            Assert.Equal(expected, cause);
            return;
        }
        var reference = ImageMessages.DecodeFrame(cdr);
        Assert.Equal((reference.Width, reference.Height, reference.Encoding, reference.Step, reference.Stamp, reference.FrameId),
            (frame.Width, frame.Height, frame.Encoding, frame.Step, frame.Stamp, frame.FrameId));
        Assert.True(reference.Data.Span.SequenceEqual(frame.Data.Span));
    }

    [Fact]
    public void Every_fuzzed_sample_gets_the_cause_the_throwing_decoder_gives()
    {
        var fuzzer = new ImageFuzzer(4321);
        for (int i = 0; i < 6000; i++)
        {
            AssertSameVerdict(fuzzer.Next().Cdr);
        }
    }

    [Fact]
    public void Random_mutations_of_valid_images_valid_or_not_get_the_same_verdict()
    {
        var rng = new Random(77);
        int valid = 0;
        for (int i = 0; i < 4000; i++)
        {
            var cdr = ValidImage(rng, out _, out _);
            switch (i % 4)
            {
                case 0:
                    break; // unchanged: valid
                case 1:
                    cdr[rng.Next(4, Math.Min(cdr.Length, 64))] ^= (byte)(1 << rng.Next(8)); // header, sizes, encoding, lengths
                    break;
                case 2:
                    cdr = cdr.AsSpan(0, rng.Next(0, cdr.Length)).ToArray();
                    break;
                default:
                    cdr[rng.Next(cdr.Length)] = (byte)rng.Next(256);
                    break;
            }
            valid += ImageFuzzer.Refusal(cdr) is null ? 1 : 0;
            AssertSameVerdict(cdr);
        }
        Assert.InRange(valid, 1000, 3000); // both verdicts were exercised
    }

    [Fact]
    public void A_valid_frame_is_a_slice_of_the_message()
    {
        var cdr = ValidImage(new Random(5), out int width, out int height);
        var memory = new ReadOnlyMemory<byte>(cdr);
        Assert.True(ImageMessages.TryDecodeFrame(memory, null, null, out var frame, out _));
        Assert.Equal((width, height), (frame.Width, frame.Height));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame.Data, out var segment));
        Assert.Same(cdr, segment.Array);
    }

    [Fact]
    public void Refusing_malformed_messages_allocates_nothing()
    {
        var fuzzer = new ImageFuzzer(9);
        // Causes refused from bytes alone; an unknown encoding name is decoded to a string to be looked up.
        var samples = Enumerable.Range(0, 3000).Select(_ => fuzzer.Next()).Where(s => s.Cause != BadFrameCause.BadEncoding).ToArray();
        var strings = new Utf8StringCache();
        foreach (var s in samples)
        {
            ImageMessages.TryDecodeFrame(s.Cdr, strings, null, out _, out _); // warm: JIT, frame ids cached
        }
        int refused = 0;
        long allocated = ThreadAllocations.Least(() =>
        {
            refused = 0;
            foreach (var s in samples)
            {
                refused += ImageMessages.TryDecodeFrame(s.Cdr, strings, null, out _, out _) ? 0 : 1;
            }
        });
        Assert.Equal(samples.Length, refused);
        Assert.Equal(0, allocated);
    }
}

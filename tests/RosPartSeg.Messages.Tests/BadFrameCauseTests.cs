using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Messages.Tests;

/// <summary>Each way an Image message is refused maps to its own cause with a stable name; counts are exact.</summary>
public sealed class BadFrameCauseTests
{
    [Theory]
    [InlineData(4u, 4u, "16UC1", 8u, 32, "bad_encoding")]
    [InlineData(4u, 4u, "", 12u, 48, "bad_encoding")]
    [InlineData(0u, 4u, "rgb8", 0u, 0, "zero_size")]
    [InlineData(4u, 0u, "mono8", 4u, 0, "zero_size")]
    [InlineData(9000u, 1u, "mono8", 9000u, 9000, "size_too_large")]
    [InlineData(4u, 3_000_000_000u, "mono8", 4u, 16, "size_too_large")]
    [InlineData(3u, 2u, "yuv422", 6u, 12, "odd_width_yuv")]
    [InlineData(10u, 10u, "rgb8", 20u, 300, "step_too_short")]
    [InlineData(64u, 64u, "rgb8", 192u, 100, "data_truncated")]
    public void Each_invalid_image_has_its_cause(uint width, uint height, string encoding, uint step, int dataLength, string cause)
    {
        var e = Assert.ThrowsAny<Exception>(() => ImageMessages.DecodeFrame(BadImages.Message(width, height, encoding, step, dataLength)));
        Assert.Equal(cause, BadFrameCauses.Of(e).Name());
    }

    // The node's diagnostics tests count these by the names listed with them.
    [Fact]
    public void Each_shared_bad_image_has_the_cause_it_is_listed_with()
    {
        Assert.Equal(7, BadImages.OnePerCause.Count);
        foreach (var (cause, cdr) in BadImages.OnePerCause)
        {
            var e = Assert.ThrowsAny<Exception>(() => ImageMessages.DecodeFrame(cdr));
            Assert.Equal(cause, BadFrameCauses.Of(e).Name());
        }
    }

    [Fact]
    public void Malformed_cdr_and_undecodable_and_other_failures_have_their_causes()
    {
        var truncated = BadImages.Message(4, 4, "rgb8", 12, 48)[..30];
        var e = Assert.ThrowsAny<Exception>(() => ImageMessages.DecodeFrame(truncated));
        Assert.Equal(BadFrameCause.CdrMalformed, BadFrameCauses.Of(e));
        Assert.Equal(BadFrameCause.CdrMalformed, BadFrameCauses.Of(Assert.ThrowsAny<Exception>(() => ImageMessages.DecodeFrame(new byte[] { 0, 1, 0, 0, 9 }))));
        Assert.Equal(BadFrameCause.Undecodable, BadFrameCauses.Of(new InvalidDataException("not a JPEG")));
        Assert.Equal(BadFrameCause.ProcessingFailed, BadFrameCauses.Of(new InvalidOperationException("x")));
    }

    [Fact]
    public void Names_are_distinct_snake_case_and_cover_every_cause()
    {
        var names = BadFrameCauses.All.Select(c => c.Name()).ToList();
        Assert.Equal(Enum.GetValues<BadFrameCause>().Length, BadFrameCauses.Count);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z]+(_[a-z]+)*$", n));
        Assert.Equal(
            ["bad_encoding", "zero_size", "size_too_large", "odd_width_yuv", "step_too_short", "data_truncated", "cdr_malformed", "undecodable_image", "processing_failed"],
            names);
    }

    [Fact]
    public void Counts_are_exact_per_cause_and_listed_largest_first()
    {
        var counts = new BadFrameCounts();
        Assert.Equal("none", counts.ToString());
        for (var i = 0; i < 3; i++)
        {
            counts.Add(BadFrameCause.StepTooShort);
        }

        counts.Add(BadFrameCause.CdrMalformed);
        Assert.Equal(2, counts.Add(BadFrameCause.CdrMalformed));
        counts.Add(BadFrameCause.ZeroSize);
        Assert.Equal(3, counts[BadFrameCause.StepTooShort]);
        Assert.Equal(2, counts[BadFrameCause.CdrMalformed]);
        Assert.Equal(0, counts[BadFrameCause.BadEncoding]);
        Assert.Equal(6, counts.Total);
        Assert.Equal("step_too_short 3, cdr_malformed 2, zero_size 1", counts.ToString());
    }

    [Fact]
    public void Counting_from_several_threads_loses_nothing()
    {
        var counts = new BadFrameCounts();
        Parallel.For(0, 8, t =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counts.Add((BadFrameCause)(i % BadFrameCauses.Count));
            }
        });
        Assert.Equal(80_000, counts.Total);
        Assert.Equal(8 * 1112, counts[BadFrameCause.BadEncoding]); // i % 9 == 0 for 1112 of 0..9999
    }
}

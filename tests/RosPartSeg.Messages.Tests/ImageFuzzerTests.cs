using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Messages.Tests;

/// <summary>The fuzz generator the live test and <c>live-bench --fuzz</c> use: deterministic, always invalid, varied.</summary>
public sealed class ImageFuzzerTests
{
    private static List<FuzzSample> Take(int seed, int count)
    {
        var fuzzer = new ImageFuzzer(seed);
        return Enumerable.Range(0, count).Select(_ => fuzzer.Next()).ToList();
    }

    [Fact]
    public void The_same_seed_gives_the_same_samples_and_another_seed_others()
    {
        var a = Take(7, 300);
        var b = Take(7, 300);
        var c = Take(8, 300);
        Assert.All(a.Zip(b), p => Assert.Equal(p.First.Cdr, p.Second.Cdr));
        Assert.Contains(a.Zip(c), p => !p.First.Cdr.AsSpan().SequenceEqual(p.Second.Cdr));
    }

    [Fact]
    public void Every_sample_is_refused_for_its_stated_cause_and_never_as_an_unexpected_failure()
    {
        var samples = Take(1234, 10_000);
        Assert.All(samples, s =>
        {
            Assert.True(s.Cdr.Length is >= 4 and <= 16384, $"{s.Kind} sample of {s.Cdr.Length} bytes");
            Assert.Equal(s.Cause, ImageFuzzer.Refusal(s.Cdr));
        });

        // The decoders throw only their documented exceptions, whatever the bytes.
        Assert.DoesNotContain(samples, s => s.Cause is BadFrameCause.ProcessingFailed or BadFrameCause.Undecodable);
        foreach (var kind in Enum.GetValues<FuzzKind>())
        {
            Assert.InRange(samples.Count(s => s.Kind == kind), 1600, 1700);
        }

        // Every cause a raw Image can have appears many times.
        foreach (var cause in BadFrameCauses.All.Where(c => c is not (BadFrameCause.ProcessingFailed or BadFrameCause.Undecodable)))
        {
            Assert.True(samples.Count(s => s.Cause == cause) >= 100, $"{cause.Name()}: {samples.Count(s => s.Cause == cause)}");
        }
    }

    [Fact]
    public void Structured_lies_give_the_causes_they_aim_at()
    {
        var samples = Take(99, 3000);
        Assert.All(samples.Where(s => s.Kind == FuzzKind.BadEncoding), s => Assert.Equal(BadFrameCause.BadEncoding, s.Cause));
        Assert.All(samples.Where(s => s.Kind == FuzzKind.LyingStep),
            s => Assert.Contains(s.Cause, new[] { BadFrameCause.StepTooShort, BadFrameCause.DataTruncated, BadFrameCause.SizeTooLarge }));
        Assert.All(samples.Where(s => s.Kind == FuzzKind.LyingSize), s => Assert.Contains(s.Cause,
            new[] { BadFrameCause.ZeroSize, BadFrameCause.SizeTooLarge, BadFrameCause.OddWidthYuv, BadFrameCause.DataTruncated }));
        Assert.All(samples.Where(s => s.Kind == FuzzKind.TruncatedCdr), s => Assert.Equal(BadFrameCause.CdrMalformed, s.Cause));
    }
}

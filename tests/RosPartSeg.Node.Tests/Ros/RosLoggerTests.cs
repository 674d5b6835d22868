using System.Text.RegularExpressions;
using RosPartSeg.Node.PartSegmenter;

namespace RosPartSeg.Node.Tests.Ros;

public sealed partial class RosLoggerTests
{
    [GeneratedRegex(@"^\[(INFO|WARN)\] \[\d{10}\.\d{9}\] \[robot\.seg\]: ")]
    private static partial Regex RosLine();

    [Fact]
    public void WritesRosConsoleFormatAndRateLimitsPerCause()
    {
        using var sw = new StringWriter();
        var log = new RosLogger(RosLogger.NameFor("/robot", "seg"), sw);
        log.Info("hello");
        Assert.True(log.LogThrottled(RosLogLevel.Warn, "a", TimeSpan.FromHours(1), () => "first a"));
        Assert.False(log.LogThrottled(RosLogLevel.Warn, "a", TimeSpan.FromHours(1), () => "second a"));
        Assert.True(log.LogThrottled(RosLogLevel.Warn, "b", TimeSpan.FromHours(1), () => "first b"));
        log.Debug("hidden at INFO");
        var lines = sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(RosLine(), l));
        Assert.EndsWith("first b", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void LatestFrameSlotKeepsOnlyTheNewestAndCountsDrops()
    {
        using var slot = new LatestFrameSlot();
        slot.Offer([1, 2, 3]);
        slot.Offer([4, 5]);
        slot.Offer([6, 7, 8, 9]);
        Assert.True(slot.TryTake(TimeSpan.FromSeconds(1), CancellationToken.None, out var f, out _));
        Assert.Equal([6, 7, 8, 9], f.ToArray());
        Assert.Equal((3, 2), (slot.Received, slot.Dropped));
        Assert.False(slot.TryTake(TimeSpan.FromMilliseconds(50), CancellationToken.None, out _, out _));
        slot.Offer([10]);
        Assert.True(slot.TryTake(TimeSpan.FromSeconds(1), CancellationToken.None, out f, out _));
        Assert.Equal([10], f.ToArray());
        Assert.Equal(2, slot.Dropped);
    }
}

using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Diagnostic;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>The node's /diagnostics count bad frames per cause, exactly (in-memory transport, real pipeline and codec).</summary>
[Collection(LiveCollection.Name)]
public sealed class BadFrameDiagnosticsTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly InMemoryNode _host = new("diagnostics_period:=0.1");


    public void Dispose() => _host.Dispose();

    [Fact]
    public void Diagnostics_count_each_cause_exactly_and_their_sum_is_bad_frames()
    {
        var sent = new (byte[] Cdr, int Times)[]
        {
            (BadImages.Of("bad_encoding"), 2),
            (BadImages.Of("zero_size"), 1),
            (BadImages.Of("size_too_large"), 1),
            (BadImages.Of("odd_width_yuv"), 1),
            (BadImages.Of("step_too_short"), 3),
            (BadImages.Of("data_truncated"), 2),
            (BadImages.Of("cdr_malformed"), 4),
        };

        // One at a time, each counted before the next, so the newest-frame slot drops none.
        long expectedTotal = 0;
        foreach (var (cdr, times) in sent)
        {
            for (var i = 0; i < times; i++)
            {
                _host.Transport.Input!(cdr);
                expectedTotal++;
                Assert.True(TestEnvironment.WaitUntil(() => _host.Node.BadFrames == expectedTotal, Limit), $"frame {expectedTotal} not counted");
            }
        }

        var diagnostics = _host.Transport.Publishers["/diagnostics"];
        KeyValue[] values = [];
        Assert.True(TestEnvironment.WaitUntil(() =>
        {
            values = diagnostics.Last is { } last ? [.. RosMessage.Decode<DiagnosticArray>(last).Status[0].Values] : [];
            return Value(values, "bad_frames") == expectedTotal;
        }, Limit), "no /diagnostics with every bad frame");

        var expected = new Dictionary<string, long>
        {
            ["bad_encoding"] = 2, ["zero_size"] = 1, ["size_too_large"] = 1, ["odd_width_yuv"] = 1, ["step_too_short"] = 3,
            ["data_truncated"] = 2, ["cdr_malformed"] = 4, ["undecodable_image"] = 0, ["processing_failed"] = 0,
        };
        Assert.Equal(expected, BadFrameCauses.All.ToDictionary(c => c.Name(), c => Value(values, c.Name())));
        Assert.Equal(14, expectedTotal);
        Assert.Equal(3, _host.Node.BadByCause[BadFrameCause.StepTooShort]);
        Assert.Contains("(1 bad frames so far: bad_encoding 1)", _host.Log, StringComparison.Ordinal);
    }

    private static long Value(KeyValue[] values, string key) =>
        values.FirstOrDefault(v => v.Key == key) is { } kv ? long.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Diagnostic;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>A camera that stops after frames have arrived turns /diagnostics to WARN; its next frame turns it OK.</summary>
[Collection(LiveCollection.Name)]
public sealed class StalledInputTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly InMemoryNode _host = new("diagnostics_period:=0.1", "no_image_warning:=0.5");


    public void Dispose() => _host.Dispose();

    private static byte[] Frame(int k)
    {
        var w = new CdrWriter();
        Image.Write(w, new Timestamp(k, 0), "cam", 8, 8, "mono8", 8, new byte[64]);
        return w.WrittenSpan.ToArray();
    }

    private DiagnosticStatus? Latest() =>
        _host.Transport.Publishers["/diagnostics"].Last is { } last ? RosMessage.Decode<DiagnosticArray>(last).Status[0] : null;

    private bool WaitForLevel(DiagnosticLevel level, string fragment) =>
        TestEnvironment.WaitUntil(() => Latest() is { } s && s.Level == level && s.Message.Contains(fragment, StringComparison.Ordinal), Limit);

    [Fact]
    public void Diagnostics_warn_when_input_stops_and_say_ok_when_it_resumes()
    {
        // Frames every 50 ms: OK while they arrive.
        var ok = false;
        for (var k = 1; k <= 200 && !ok; k++)
        {
            _host.Transport.Input!(Frame(k));
            Thread.Sleep(50);
            ok = k > 3 && Latest() is { Level: DiagnosticLevel.Ok };
        }
        Assert.True(ok, $"not OK while frames arrive: {Latest()?.Message}");

        // The camera stops: WARN with the time since the last frame, and a log line.
        Assert.True(WaitForLevel(DiagnosticLevel.Warn, "no input image for"), $"no WARN after the input stopped: {Latest()?.Message}");
        var since = double.Parse(Latest()!.Values.First(v => v.Key == "seconds_since_last_image").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(since >= 0.5, $"seconds_since_last_image {since}");
        Assert.True(TestEnvironment.WaitUntil(() => _host.Log.Contains("no image received on /image for", StringComparison.Ordinal), Limit), _host.Log);

        // It comes back (a frame every 50 ms): OK again, and an info line.
        var next = 1000;
        Assert.True(TestEnvironment.WaitUntil(() =>
        {
            _host.Transport.Input!(Frame(next++));
            return Latest() is { Level: DiagnosticLevel.Ok };
        }, Limit), $"not OK after the input resumed: {Latest()?.Message}");
        Assert.True(TestEnvironment.WaitUntil(() => _host.Log.Contains("images arrive on /image again", StringComparison.Ordinal), Limit), _host.Log);
    }
}

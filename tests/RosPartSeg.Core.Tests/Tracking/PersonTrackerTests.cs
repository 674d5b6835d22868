using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Core.Tracking;

namespace RosPartSeg.Core.Tests.Tracking;

/// <summary>Track ids over synthetic sequences at 30 Hz: crossing, leaving and returning, occlusion.</summary>
public class PersonTrackerTests
{
    private const double Dt = 1.0 / 30;

    private static PersonRegion Person(double cx, double cy, int w, int h) =>
        new(0, new PixelBox((int)Math.Round(cx - (w / 2.0)), (int)Math.Round(cy - (h / 2.0)), w, h), w * h, (float)cx, (float)cy, 1);

    private static Position3D At(double x, double y, double z) => new(true, (float)x, (float)y, (float)z, 0.5f, 1.7f, 0.3f, 1000);

    private static int[] Step(PersonTracker tracker, int frame, PersonRegion[] people, Position3D[]? people3D = null)
    {
        var ids = new int[people.Length];
        tracker.Update(frame * Dt, people, people3D ?? [], ids);
        return ids;
    }

    [Fact]
    public void PeopleCrossingInTheImageKeepTheirIds()
    {
        // A near person walks right, a farther (smaller) one left; their boxes overlap for several frames.
        var tracker = new PersonTracker();
        int? a = null, b = null;
        for (int f = 0; f < 60; f++)
        {
            var people = new[] { Person(100 + (8 * f), 240, 100, 300), Person(560 - (8 * f), 220, 60, 180) };
            var ids = Step(tracker, f, people);
            a ??= ids[0];
            b ??= ids[1];
            Assert.Equal((a.Value, b.Value), (ids[0], ids[1]));
        }
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void PeopleCrossingWithTheSameBoxAreToldApartByDepth()
    {
        // In the image the two boxes coincide at the crossing; in 3D one is 1.5 m behind the other.
        var tracker = new PersonTracker();
        int[]? first = null;
        for (int f = 0; f < 60; f++)
        {
            double xa = -1.5 + (0.05 * f), xb = 1.5 - (0.05 * f);
            var people = new[] { Person(320 + (xa * 250), 240, 80, 240), Person(320 + (xb * 250), 240, 80, 240) };
            var ids = Step(tracker, f, people, [At(xa, 0, 2.0), At(xb, 0, 3.5)]);
            first ??= ids;
            Assert.Equal(first, ids);
        }
    }

    [Fact]
    public void AShortOcclusionKeepsTheIdAndALongAbsenceGivesANewOne()
    {
        var tracker = new PersonTracker(new TrackerOptions { LostTime = 1.0 });
        int f = 0;
        var id = Step(tracker, f, [Person(100, 240, 80, 240)])[0];
        // Walks right at 6 px per frame, hidden behind something for 15 frames (0.5 s), then seen again.
        for (f = 1; f < 60; f++)
        {
            if (f is >= 20 and < 35)
            {
                Assert.Empty(Step(tracker, f, []));
                continue;
            }
            Assert.Equal(id, Step(tracker, f, [Person(100 + (6 * f), 240, 80, 240)])[0]);
        }

        // Gone for 2 s (longer than the lost time), back where they left: somebody new as far as ids go.
        for (; f < 120; f++)
        {
            Step(tracker, f, []);
        }
        var back = Step(tracker, f, [Person(100 + (6 * 59), 240, 80, 240)])[0];
        Assert.True(back > id, $"id {back} after {id}: ids are never reused");
    }

    [Fact]
    public void SomebodyLeavingAndSomebodyNewNeverShareAnId()
    {
        var tracker = new PersonTracker(new TrackerOptions { LostTime = 0.2 });
        var seen = new HashSet<int>();
        int frame = 0;
        // Five people one after another, each in view for 10 frames at the same place, 10 frames apart.
        for (int person = 0; person < 5; person++)
        {
            int id = -1;
            for (int k = 0; k < 10; k++, frame++)
            {
                var ids = Step(tracker, frame, [Person(320, 240, 80, 240)]);
                id = k == 0 ? ids[0] : id;
                Assert.Equal(id, ids[0]);
            }
            Assert.True(seen.Add(id), $"id {id} reused");
            for (int k = 0; k < 10; k++, frame++)
            {
                Step(tracker, frame, []);
            }
        }
        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public void ANewPersonGetsANewIdWhileTheOthersKeepTheirs()
    {
        var tracker = new PersonTracker();
        var first = Step(tracker, 0, [Person(100, 240, 80, 240)])[0];
        var ids = Step(tracker, 1, [Person(500, 240, 80, 240), Person(102, 240, 80, 240)]);
        Assert.Equal(first, ids[1]);
        Assert.NotEqual(first, ids[0]);
    }

    [Fact]
    public void TimeRunningBackwardsForgetsTracksButNeverReusesIds()
    {
        var tracker = new PersonTracker();
        var before = Step(tracker, 100, [Person(100, 240, 80, 240)])[0];
        var after = Step(tracker, 0, [Person(100, 240, 80, 240)])[0];
        Assert.True(after > before);
    }

    [Fact]
    public void AJumpBeyondTheGatesIsSomebodyElse()
    {
        var tracker = new PersonTracker(new TrackerOptions { MaxDistance3D = 0.5 });
        var a = Step(tracker, 0, [Person(320, 240, 80, 240)], [At(0, 0, 2)])[0];
        var b = Step(tracker, 1, [Person(322, 240, 80, 240)], [At(0, 0, 3)])[0]; // same pixels, 1 m farther
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void WarmTrackingAllocatesNothing()
    {
        var tracker = new PersonTracker();
        var people = new[] { Person(100, 240, 80, 240), Person(400, 240, 80, 240) };
        var ids = new int[2];
        tracker.Update(0, people, [], ids); // new tracks
        tracker.Update(Dt, people, [], ids); // the first matching sizes the pair buffer
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int f = 2; f < 20; f++)
        {
            tracker.Update(f * Dt, people, [], ids);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using RosPartSeg.Dds;

namespace RosPartSeg.Node.Tests.Dds;

/// <summary>
/// A write racing the participant's disposal (a publish overlapping shutdown), made deterministic by running the
/// disposal inside the write, at the moment the writer is held and its sample not yet made.
/// </summary>
public sealed class DdsShutdownRaceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static readonly byte[] Sample = [0, 1, 0, 0, 1, 2, 3, 4, 5];

    // A type no other test uses, so that the sertype (shared by equal types within a domain) and its samples are this test's.
    private static string UniqueType() => $"test_msgs::msg::dds_::Race{Guid.NewGuid():N}_";

    [Fact]
    public void A_write_under_way_when_the_participant_is_disposed_completes_and_its_sample_is_freed()
    {
        var p = DdsParticipant.Create(TestEnvironment.NewDomain());
        var type = UniqueType();
        var qos = new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile);
        var received = 0;
        p.CreateReader("rt/race", type, qos, _ => Interlocked.Increment(ref received));
        var w = p.CreateWriter("rt/race", type, qos);
        RawCdrType.TrackedSertype = w.Sertype;
        try
        {
            w.Write(Sample); // one before: the writer's history holds it until the writer is deleted
            Assert.True(TestEnvironment.WaitUntil(() => Volatile.Read(ref received) == 1, Timeout), "the reader did not get the first sample");
            var disposed = false;
            w.BeforeNativeWrite = () =>
            {
                p.Dispose();
                disposed = true;
            };

            // Before the fix the writer (and the topic's sertype) were deleted here and dds_writecdr failed without
            // taking the sample: a DdsException, and a sample that was never freed.
            w.Write(Sample);
            Assert.True(disposed);

            var late = Assert.Throws<ObjectDisposedException>(() => w.Write(Sample));
            Assert.Contains("rt/race", late.Message, StringComparison.Ordinal);
            Assert.True(TestEnvironment.WaitUntil(() => RawCdrType.TrackedLive == 0, Timeout),
                $"{RawCdrType.TrackedLive} samples never freed after the writer was deleted");
        }
        finally
        {
            RawCdrType.TrackedSertype = 0;
            p.Dispose();
        }
    }

    [Fact]
    public void Matched_counts_and_reader_handles_of_a_disposed_participant_are_zero_and_inert()
    {
        var p = DdsParticipant.Create(TestEnvironment.NewDomain());
        var type = UniqueType();
        var qos = new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile);
        var r = p.CreateReader("rt/race_matched", type, qos, _ => { });
        var w = p.CreateWriter("rt/race_matched", type, qos);
        Assert.True(TestEnvironment.WaitUntil(() => w.MatchedReaders == 1 && r.MatchedWriters == 1, Timeout));
        p.Dispose();
        Assert.Equal(0, w.MatchedReaders);
        Assert.Equal(0, r.MatchedWriters);
        r.Dispose(); // after its participant: nothing left to delete, no error
    }
}

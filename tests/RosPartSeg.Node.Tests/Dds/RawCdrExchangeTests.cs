using System.Collections.Concurrent;
using RosPartSeg.Dds;

namespace RosPartSeg.Node.Tests.Dds;

public sealed class RawCdrExchangeTests
{
    private const string Type = "std_msgs::msg::dds_::ByteMultiArray_";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static byte[] Sample(int size, byte seed)
    {
        var b = new byte[size];
        b[1] = 1; // CDR little-endian encapsulation header 00 01 00 00
        for (var i = 4; i < size; i++)
        {
            b[i] = (byte)(seed + (i * 7));
        }

        return b;
    }

    [Fact]
    public void TwoParticipantsInOneProcessExchangeRawBytes()
    {
        var domain = TestEnvironment.NewDomain();
        using var a = DdsParticipant.Create(domain);
        using var b = DdsParticipant.Create(domain);
        var got = new BlockingCollection<byte[]>();
        var qos = new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile);
        using var reader = b.CreateReader("rt/raw_inproc", Type, qos, cdr => got.Add(cdr.ToArray()));
        var writer = a.CreateWriter("rt/raw_inproc", Type, qos);
        Assert.True(TestEnvironment.WaitUntil(() => writer.MatchedReaders == 1, Timeout));

        var sent = new[] { Sample(4, 0), Sample(37, 1), Sample(100_003, 2) };
        foreach (var s in sent)
        {
            writer.Write(s);
        }

        foreach (var s in sent)
        {
            Assert.True(got.TryTake(out var r, Timeout));
            Assert.Equal(s.AsSpan(4).ToArray(), r.AsSpan(4).ToArray());
        }
    }

    [Fact]
    public void PeerProcessEchoesLargeSamplesOverLoopback()
    {
        var domain = TestEnvironment.NewDomain();
        var peer = TestEnvironment.StartPeer(domain, "peer-echo", "rt/echo_in", "rt/echo_out", Type);
        try
        {
            Assert.Equal("ready", peer.StandardOutput.ReadLine());
            using var p = DdsParticipant.Create(domain);
            var got = new BlockingCollection<byte[]>();
            var qos = new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile);
            using var reader = p.CreateReader("rt/echo_out", Type, qos, cdr => got.Add(cdr.ToArray()));
            var writer = p.CreateWriter("rt/echo_in", Type, qos);
            Assert.True(TestEnvironment.WaitUntil(() => writer.MatchedReaders == 1 && reader.MatchedWriters == 1, Timeout));

            // 921,604 bytes: a 640x480 rgb8 frame, far larger than one UDP datagram, so it arrives in fragments.
            var sent = new[] { Sample(64, 3), Sample(640 * 480 * 3 + 4, 4), Sample(5, 5) };
            foreach (var s in sent)
            {
                writer.Write(s);
            }

            foreach (var s in sent)
            {
                Assert.True(got.TryTake(out var r, Timeout), "no echo within the time limit");
                var expected = (byte[])s.Clone();
                expected[3] |= (byte)((4 - (s.Length & 3)) & 3); // padding count the writer announces
                Array.Reverse(expected, 4, expected.Length - 4);
                Assert.Equal(expected.Length, r.Length);
                Assert.True(expected.AsSpan().SequenceEqual(r));
            }
        }
        finally
        {
            peer.StandardInput.Close();
            TestEnvironment.Kill(peer);
        }
    }

    [Fact]
    public void ParticipantAdvertisesEnclaveAndEndpointsAdvertiseTopicTypeAndQos()
    {
        var domain = TestEnvironment.NewDomain();
        using var node = DdsParticipant.Create(domain);
        using var observer = DdsParticipant.Create(domain);
        var pubs = observer.CreateBuiltinEndpointReader(publications: true);
        var parts = observer.CreateBuiltinParticipantReader();
        var w = node.CreateWriter("rt/info_topic", Type, new DdsQos(DdsReliability.Reliable, 1, DdsDurability.TransientLocal));

        var seen = new List<DdsEndpointInfo>();
        var participants = new List<DdsParticipantInfo>();
        Assert.True(TestEnvironment.WaitUntil(
            () =>
            {
                seen.AddRange(pubs.Take());
                participants.AddRange(parts.Take());
                return seen.Any(e => e.Guid == w.Guid) && participants.Any(x => x.Guid == node.Guid);
            },
            Timeout));
        var e = seen.First(e => e.Guid == w.Guid);
        Assert.Equal("rt/info_topic", e.TopicName);
        Assert.Equal(Type, e.TypeName);
        Assert.Equal(DdsReliability.Reliable, e.Reliability);
        Assert.Equal(DdsDurability.TransientLocal, e.Durability);
        Assert.Equal(1, e.HistoryDepth);
        Assert.Equal(node.Guid, e.ParticipantGuid);
        Assert.True(e.Guid.SamePrefix(node.Guid));
        Assert.Equal("enclave=/;", participants.First(x => x.Guid == node.Guid).UserData);
    }
}

public sealed class DdsLibraryTests
{
    [Fact]
    public void MissingLibrarySaysWhatToInstall()
    {
        var e = Assert.Throws<DdsLibraryMissingException>(() => RosPartSeg.Dds.Interop.Native.Load(["libddsc-does-not-exist.so.0"]));
        Assert.Contains("libddsc0debian", e.Message, StringComparison.Ordinal);
        Assert.Contains("ros-<distro>-cyclonedds", e.Message, StringComparison.Ordinal);
        Assert.Contains("libddsc-does-not-exist.so.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALibraryWithoutTheSertypeApiIsRefusedAsIncompatible()
    {
        var e = Assert.Throws<DdsLibraryMissingException>(() => RosPartSeg.Dds.Interop.Native.Load(["libz.so.1"]));
        Assert.Contains("0.10", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sensor_msgs/msg/Image", "sensor_msgs::msg::dds_::Image_")]
    [InlineData("rospartseg/msg/PartRegionArray", "rospartseg::msg::dds_::PartRegionArray_")]
    public void RosNamesMapToDdsNames(string ros, string dds) => Assert.Equal(dds, DdsTransport.DdsTypeName(ros));

    [Fact]
    public void GidLayoutFollowsTheDistro()
    {
        Assert.Equal(RosPartSeg.Messages.GidLayout.Humble24, DdsTransport.GidLayoutFor("humble"));
        Assert.Equal(RosPartSeg.Messages.GidLayout.Jazzy16, DdsTransport.GidLayoutFor("jazzy"));
        Assert.Equal(RosPartSeg.Messages.GidLayout.Jazzy16, DdsTransport.GidLayoutFor("Iron"));
        Assert.Null(DdsTransport.GidLayoutFor("foxy"));
        Assert.Null(DdsTransport.GidLayoutFor(""));
        Assert.Equal("rt/a/b", DdsTransport.DdsTopicName("/a/b"));
    }
}

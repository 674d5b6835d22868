using System.Collections.Concurrent;
using RosPartSeg.Dds;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// What <c>ros2 param</c> does to the node process, done by a plain participant that writes rmw_cyclonedds' request
/// samples byte by byte (<see cref="HandCdr"/>, not the node's message classes) on <c>rq/.../*Request</c> and reads
/// <c>rr/.../*Reply</c>, keeping only replies that carry its own guid and sequence number: list, describe, get, set,
/// refused sets, all-or-none, the parameter events and the /rosout line a set causes, and malformed requests that
/// are counted while the node keeps answering.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class NodeParameterServiceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    // KEEP_ALL, so that the flood below loses no request or reply in the client's own histories.
    private static readonly DdsQos ClientQos = new(DdsReliability.Reliable, 0, DdsDurability.Volatile);
    private const ulong Guid = 0x0123456789abcdef;
    private long _seq;

    private sealed record Client(DdsWriter Requests, BlockingCollection<byte[]> Replies);

    private static Client Connect(TestPeer peer, string service, string type)
    {
        var replies = new BlockingCollection<byte[]>();
        var reader = peer.Participant.CreateReader($"rr/part_segmenter/{service}Reply", $"rcl_interfaces::srv::dds_::{type}_Response_", ClientQos,
            cdr => replies.Add(cdr.ToArray()));
        var writer = peer.Participant.CreateWriter($"rq/part_segmenter/{service}Request", $"rcl_interfaces::srv::dds_::{type}_Request_", ClientQos);
        Assert.True(TestEnvironment.WaitUntil(() => writer.MatchedReaders == 1 && reader.MatchedWriters == 1, Limit), $"{service} never matched");
        return new Client(writer, replies);
    }

    // Sends one request (header written here) and returns the reply that answers it, positioned after its header.
    private byte[] Call(Client c, Func<HandCdr, HandCdr> payload, ulong guid = Guid)
    {
        var seq = Interlocked.Increment(ref _seq);
        c.Requests.Write(payload(new HandCdr().Header(guid, seq)).ToArray());
        var sw = TestPeer.Timer();
        while (sw.Elapsed < Limit)
        {
            if (c.Replies.TryTake(out var r, TimeSpan.FromMilliseconds(200)))
            {
                var h = new HandCdr.Reader(r);
                if (h.U64() == guid && (long)h.U64() == seq)
                {
                    return r;
                }
            }
        }

        Assert.Fail($"no reply to request {seq}");
        return [];
    }

    private static HandCdr.Reader Body(byte[] reply)
    {
        var r = new HandCdr.Reader(reply);
        r.U64();
        r.U64();
        return r;
    }

    private (byte Type, object? Value) GetOne(Client get, string name)
    {
        var r = Body(Call(get, h => h.Strings(name)));
        Assert.Equal(1u, r.U32());
        return r.Value();
    }

    private static (bool Ok, string Reason)[] Results(byte[] reply)
    {
        var r = Body(reply);
        var results = new (bool, string)[r.U32()];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = (r.Bool(), r.Str());
        }

        return results;
    }

    [Fact]
    public void SecondParticipantListsDescribesGetsSetsAndIsRefused()
    {
        using var live = LiveNode.Start("--ros-args", "-p", "diagnostics_period:=0.5");
        var peer = live.Peer;
        var events = peer.Subscribe("rt/parameter_events", "rcl_interfaces::msg::dds_::ParameterEvent_", new DdsQos(DdsReliability.Reliable, 1000, DdsDurability.Volatile));
        var rosout = peer.Subscribe("rt/rosout", "rcl_interfaces::msg::dds_::Log_", new DdsQos(DdsReliability.Reliable, 1000, DdsDurability.TransientLocal));
        var diagnostics = live.Diagnostics();
        var list = Connect(peer, "list_parameters", "ListParameters");
        var describe = Connect(peer, "describe_parameters", "DescribeParameters");
        var get = Connect(peer, "get_parameters", "GetParameters");
        var types = Connect(peer, "get_parameter_types", "GetParameterTypes");
        var set = Connect(peer, "set_parameters", "SetParameters");
        var atomically = Connect(peer, "set_parameters_atomically", "SetParametersAtomically");

        // list: every parameter, no prefixes.
        var listed = Body(Call(list, h => h.Strings().U64(0)));
        var names = listed.Strings();
        Assert.Contains("overlay_alpha", names);
        Assert.Contains("model_path", names);
        Assert.Equal(37, names.Length); // 27, and the 10 depth and tracker parameters
        Assert.Empty(listed.Strings());

        // describe: type, read_only, range, choices.
        var d = Body(Call(describe, h => h.Strings("overlay_alpha", "person_grouping")));
        Assert.Equal(2u, d.U32());
        Assert.Equal("overlay_alpha", d.Str());
        Assert.Equal(3, d.U8());
        Assert.Contains("overlay", d.Str(), StringComparison.Ordinal);
        Assert.Equal("", d.Str());
        Assert.False(d.Bool()); // read_only
        Assert.False(d.Bool()); // dynamic_typing
        Assert.Equal(1u, d.U32());
        Assert.Equal((0.0, 1.0, 0.0), (d.F64(), d.F64(), d.F64()));
        Assert.Equal(0u, d.U32());
        Assert.Equal("person_grouping", d.Str());
        Assert.Equal(4, d.U8());
        d.Str();
        Assert.Equal("one of: split | components", d.Str());

        // get and get_parameter_types.
        Assert.Equal(((byte)3, (object?)0.5), GetOne(get, "overlay_alpha"));
        var t = Body(Call(types, h => h.Strings("min_region_area", "detections_include_people")));
        Assert.Equal(2u, t.U32());
        Assert.Equal((2, 1), (t.U8(), t.U8()));
        Assert.Equal(0u, Body(Call(get, h => h.Strings("overlay_alpha", "no_such"))).U32()); // any undeclared name: nothing

        // set: accepted, seen by get, announced on /parameter_events and logged to /rosout.
        Assert.Equal([(true, "")], Results(Call(set, h => h.U32(1).Parameter("overlay_alpha", 3, d: 0.25))));
        Assert.Equal(((byte)3, (object?)0.25), GetOne(get, "overlay_alpha"));
        Assert.True(TestEnvironment.WaitUntil(() => events.TryTake(out var e) && IsChange(e.Cdr, "overlay_alpha", 0.25), Limit), "no parameter event for the set");
        Assert.True(TestEnvironment.WaitUntil(() => rosout.TryTake(out var l) && IsLogLine(l.Cdr, "parameters set: overlay_alpha = 0.25"), Limit), "no /rosout line for the set");

        // refused: wrong type, out of range, unknown choice, read-only, undeclared; nothing changes.
        var refused = Results(Call(set, h => h.U32(5)
            .Parameter("overlay_alpha", 2, i: 1)
            .Parameter("min_person_score", 3, d: 2.0)
            .Parameter("person_grouping", 4, s: "touching")
            .Parameter("model_path", 4, s: "other.onnx")
            .Parameter("no_such", 1, b: true)));
        Assert.All(refused, r => Assert.False(r.Ok));
        Assert.Contains("type", refused[0].Reason, StringComparison.Ordinal);
        Assert.Contains("out of range", refused[1].Reason, StringComparison.Ordinal);
        Assert.Contains("split | components", refused[2].Reason, StringComparison.Ordinal);
        Assert.Contains("read-only", refused[3].Reason, StringComparison.Ordinal);
        Assert.Contains("not declared", refused[4].Reason, StringComparison.Ordinal);
        Assert.Equal(((byte)3, (object?)0.25), GetOne(get, "overlay_alpha"));

        // set_parameters_atomically: all or none.
        var none = Body(Call(atomically, h => h.U32(2).Parameter("min_region_area", 2, i: 10).Parameter("input_depth", 2, i: 5)));
        Assert.False(none.Bool());
        Assert.Contains("input_depth", none.Str(), StringComparison.Ordinal);
        Assert.Equal(((byte)2, (object?)64L), GetOne(get, "min_region_area"));
        var all = Body(Call(atomically, h => h.U32(2).Parameter("min_region_area", 2, i: 10).Parameter("min_person_area", 2, i: 100)));
        Assert.True(all.Bool());
        Assert.Equal(((byte)2, (object?)10L), GetOne(get, "min_region_area"));

        // Another client's guid gets its own replies.
        var other = Body(Call(get, h => h.Strings("min_person_area"), guid: 42));
        Assert.Equal(1u, other.U32());
        Assert.Equal(((byte)2, (object?)100L), other.Value());

        // Malformed requests: counted, and the node keeps answering.
        get.Requests.Write([0x00, 0x01, 0x00, 0x00, 1, 2, 3]);
        set.Requests.Write(new HandCdr().Header(Guid, 999).U32(1).Str("overlay_alpha").ToArray());
        list.Requests.Write(new HandCdr().Header(Guid, 1000).U32(0x7fffffff).ToArray());
        Assert.True(TestEnvironment.WaitUntil(
            () => diagnostics.TryTake(out var r) && LiveNode.Value(r, "service_requests_malformed") == 3 && LiveNode.Value(r, "parameter_sets_refused") == 7,
            Limit), "the malformed requests and refused sets were not counted in /diagnostics");
        Assert.Equal(((byte)3, (object?)0.25), GetOne(get, "overlay_alpha"));

        // A flood of sets, refused and accepted, without waiting for replies: every one answered, the node still up.
        const int flood = 300;
        var firstSeq = Interlocked.Read(ref _seq) + 1;
        for (var i = 0; i < flood; i++)
        {
            var seq = Interlocked.Increment(ref _seq);
            set.Requests.Write(new HandCdr().Header(Guid, seq).U32(1)
                .Parameter("min_person_score", 3, d: i % 2 == 0 ? 0.5 : 5.0).ToArray());
        }

        var answered = new HashSet<long>();
        Assert.True(TestEnvironment.WaitUntil(
            () =>
            {
                while (set.Replies.TryTake(out var r))
                {
                    var h = new HandCdr.Reader(r);
                    h.U64();
                    answered.Add((long)h.U64());
                }

                return answered.Count(s => s >= firstSeq) == flood;
            },
            Limit), $"{answered.Count} of {flood} flooded sets answered");
        Assert.True(TestEnvironment.WaitUntil(
            () => diagnostics.TryTake(out var r) && LiveNode.Value(r, "parameter_sets_refused") == 7 + (flood / 2),
            Limit), "the refused sets of the flood were not counted");
        Assert.Equal(((byte)3, (object?)0.5), GetOne(get, "min_person_score"));
        Assert.False(live.Node.HasExited);
    }

    private static bool IsChange(byte[] cdr, string name, double value)
    {
        var r = new HandCdr.Reader(cdr);
        r.U32();
        r.U32();
        if (r.Str() != "/part_segmenter" || r.U32() != 0 || r.U32() != 1)
        {
            return false;
        }

        return r.Str() == name && r.Value() is (3, double v) && v == value;
    }

    private static bool IsLogLine(byte[] cdr, string text)
    {
        var r = new HandCdr.Reader(cdr);
        r.U32();
        r.U32();
        var level = r.U8();
        return level == 20 && r.Str() == "part_segmenter" && r.Str() == text;
    }
}

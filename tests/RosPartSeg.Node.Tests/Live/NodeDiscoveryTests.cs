using System.Collections.Concurrent;
using RosPartSeg.Core.Frames;
using RosPartSeg.Dds;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Rcl;
using RosPartSeg.Messages.Rmw;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// What <c>ros2 node list</c> and <c>ros2 topic info -v</c> would see of the node: DDS built-in topics and
/// <c>ros_discovery_info</c>, read by a plain participant.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class NodeDiscoveryTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static readonly string[] Outputs = ["labels", "color_mask", "overlay", "detections", "parts", "label_info"];

    [SharedFact]
    public void RemappedNodeAppearsWithNameNamespaceTopicsTypesQosAndHumbleGids()
    {
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.Start(domain, "humble", "--ros-args", "-r", "__node:=seg", "-r", "__ns:=/robot", "-r", "image:=/camera/image_raw");
        using var observer = new TestPeer(domain);
        var pubs = observer.Participant.CreateBuiltinEndpointReader(publications: true);
        var subs = observer.Participant.CreateBuiltinEndpointReader(publications: false);
        var parts = observer.Participant.CreateBuiltinParticipantReader();
        var graph = new BlockingCollection<Received>();
        observer.Participant.CreateReader(DdsTransport.DiscoveryTopic, "rmw_dds_common::msg::dds_::ParticipantEntitiesInfo_",
            new DdsQos(DdsReliability.Reliable, 10, DdsDurability.TransientLocal), cdr => graph.Add(new Received(cdr.ToArray(), 0)));

        var writers = new List<DdsEndpointInfo>();
        var readers = new List<DdsEndpointInfo>();
        var participants = new List<DdsParticipantInfo>();
        Assert.True(TestEnvironment.WaitUntil(
            () =>
            {
                writers.AddRange(pubs.Take());
                readers.AddRange(subs.Take());
                participants.AddRange(parts.Take());
                return writers.Count(w => w.TopicName.StartsWith("rt/robot/seg/", StringComparison.Ordinal)) == Outputs.Length
                    && readers.Any(r => r.TopicName == "rt/camera/image_raw")
                    && writers.Count(w => w.TopicName.StartsWith("rr/robot/seg/", StringComparison.Ordinal)) == ParameterServices.All.Count
                    && readers.Count(r => r.TopicName.StartsWith("rq/robot/seg/", StringComparison.Ordinal)) == ParameterServices.All.Count
                    && writers.Any(w => w.TopicName == "rt/rosout") && writers.Any(w => w.TopicName == "rt/parameter_events");
            },
            Limit), "the node's endpoints were not discovered");

        var input = readers.Single(r => r.TopicName == "rt/camera/image_raw");
        var pp = input.ParticipantGuid;
        Assert.Equal("sensor_msgs::msg::dds_::Image_", input.TypeName);
        Assert.Equal((DdsReliability.BestEffort, DdsDurability.Volatile, 1), (input.Reliability, input.Durability, input.HistoryDepth));
        Assert.Equal("", input.UserData); // Humble endpoints carry no typehash

        var mine = writers.Where(w => w.ParticipantGuid == pp).ToList();
        foreach (var name in Outputs)
        {
            var w = mine.Single(x => x.TopicName == "rt/robot/seg/" + name);
            Assert.Equal(DdsReliability.Reliable, w.Reliability);
            Assert.Equal(name == "label_info" ? DdsDurability.TransientLocal : DdsDurability.Volatile, w.Durability);
            Assert.Equal(1, w.HistoryDepth);
            Assert.Equal(
                name switch
                {
                    "detections" => "vision_msgs::msg::dds_::Detection2DArray_",
                    "parts" => "rospartseg::msg::dds_::PartRegionArray_",
                    "label_info" => "vision_msgs::msg::dds_::LabelInfo_",
                    _ => "sensor_msgs::msg::dds_::Image_",
                },
                w.TypeName);
        }

        Assert.Equal("diagnostic_msgs::msg::dds_::DiagnosticArray_", mine.Single(x => x.TopicName == "rt/diagnostics").TypeName);
        var disc = mine.Single(x => x.TopicName == DdsTransport.DiscoveryTopic);
        Assert.Equal((DdsReliability.Reliable, DdsDurability.TransientLocal, 1), (disc.Reliability, disc.Durability, disc.HistoryDepth));
        Assert.Equal("rmw_dds_common::msg::dds_::ParticipantEntitiesInfo_", disc.TypeName);
        Assert.True(TestEnvironment.WaitUntil(() => { participants.AddRange(parts.Take()); return participants.Any(p => p.Guid == pp); }, Limit));
        Assert.Equal("enclave=/;", participants.First(p => p.Guid == pp).UserData);

        // The newest graph sample of the node's participant names the node and lists exactly its endpoints.
        ParticipantEntitiesInfo? info = null;
        var expectedWriters = mine.Where(w => w.TopicName != DdsTransport.DiscoveryTopic).Select(w => Gid.FromGuid(w.Guid.ToArray())).ToHashSet();
        Assert.True(TestEnvironment.WaitUntil(
            () =>
            {
                while (graph.TryTake(out var g))
                {
                    var decoded = ParticipantEntitiesInfo.Decode(g.Cdr, GidLayout.Humble24);
                    if (decoded.Gid == Gid.FromGuid(pp.ToArray()))
                    {
                        info = decoded;
                    }
                }

                return info is not null && info.Nodes.Count == 1 && info.Nodes[0].WriterGids.ToHashSet().SetEquals(expectedWriters)
                    && info.Nodes[0].ReaderGids.Count == 1 + ParameterServices.All.Count;
            },
            Limit), "ros_discovery_info does not list the node's endpoints");
        Assert.Equal(("/robot", "seg"), (info!.Nodes[0].NodeNamespace, info.Nodes[0].NodeName));
        Assert.Contains(Gid.FromGuid(input.Guid.ToArray()), info.Nodes[0].ReaderGids);

        // The parameter services as 'ros2 service list' finds them: request reader and reply writer, one serviceid.
        foreach (var (name, type) in ParameterServices.All)
        {
            var request = readers.Single(r => r.TopicName == $"rq/robot/seg/{name}Request" && r.ParticipantGuid == pp);
            var reply = mine.Single(w => w.TopicName == $"rr/robot/seg/{name}Reply");
            Assert.Equal(DdsService.TypeNames(type), (request.TypeName, reply.TypeName));
            Assert.StartsWith("serviceid=", reply.UserData, StringComparison.Ordinal);
            Assert.Equal(reply.UserData, request.UserData);
            Assert.Equal((DdsReliability.Reliable, DdsDurability.Volatile, 1000), (request.Reliability, request.Durability, request.HistoryDepth));
        }

        var rosout = mine.Single(w => w.TopicName == "rt/rosout");
        Assert.Equal(("rcl_interfaces::msg::dds_::Log_", DdsReliability.Reliable, DdsDurability.TransientLocal, 1000),
            (rosout.TypeName, rosout.Reliability, rosout.Durability, rosout.HistoryDepth));
        var events = mine.Single(w => w.TopicName == "rt/parameter_events");
        Assert.Equal(("rcl_interfaces::msg::dds_::ParameterEvent_", DdsReliability.Reliable, DdsDurability.Volatile, 1000),
            (events.TypeName, events.Reliability, events.Durability, events.HistoryDepth));
        Assert.Equal(0UL, info.Gid.Part2); // Humble: 16-byte GUID then 8 zero bytes
        Assert.Equal(4 + 24 + 4, DiscoveryPrefixLength(info));

        // And the remapped input really feeds the namespaced outputs.
        var labels = observer.Subscribe("rt/robot/seg/labels", "sensor_msgs::msg::dds_::Image_");
        var camera = observer.Camera640("rt/camera/image_raw");
        Assert.True(TestPeer.WaitMatched(camera, 1, Limit));
        Assert.True(LiveNode.ProducesLabels(observer, camera, labels, TestPeer.Photo("humans_0.jpg"), 5, Limit));
    }

    [Fact]
    public void JazzyNodeAnnouncesSixteenByteGidsAndTypeHashes()
    {
        var domain = TestEnvironment.NewDomain();
        using var node = NodeProcess.Start(domain, "jazzy");
        Assert.True(node.WaitForLog("16-byte Gids (jazzy)", TimeSpan.FromSeconds(1)));
        using var observer = new TestPeer(domain);
        var subs = observer.Participant.CreateBuiltinEndpointReader(publications: false);
        var pubs = observer.Participant.CreateBuiltinEndpointReader(publications: true);
        var readers = new List<DdsEndpointInfo>();
        var writers = new List<DdsEndpointInfo>();
        Assert.True(TestEnvironment.WaitUntil(
            () =>
            {
                readers.AddRange(subs.Take());
                writers.AddRange(pubs.Take());
                return readers.Any(r => r.TopicName == "rt/image") && writers.Any(w => w.TopicName == "rt/part_segmenter/label_info");
            },
            Limit));

        // sensor_msgs/msg/Image's hash as rosidl generates it for Jazzy.
        Assert.Equal("typehash=RIHS01_d31d41a9a4c4bc8eae9be757b0beed306564f7526c88ea6a4588fb9582527d47;", readers.First(r => r.TopicName == "rt/image").UserData);
        Assert.Equal($"typehash={MessageRegistry.Get("vision_msgs/msg/LabelInfo").TypeHash};", writers.First(w => w.TopicName == "rt/part_segmenter/label_info").UserData);

        var graph = new BlockingCollection<Received>();
        observer.Participant.CreateReader(DdsTransport.DiscoveryTopic, "rmw_dds_common::msg::dds_::ParticipantEntitiesInfo_",
            new DdsQos(DdsReliability.Reliable, 10, DdsDurability.TransientLocal), cdr => graph.Add(new Received(cdr.ToArray(), 0)));
        ParticipantEntitiesInfo? info = null;
        Assert.True(TestEnvironment.WaitUntil(
            () =>
            {
                while (graph.TryTake(out var g))
                {
                    info = ParticipantEntitiesInfo.Decode(g.Cdr, GidLayout.Jazzy16);
                }

                // 7 outputs, /rosout, /parameter_events and 6 service reply writers.
                return info is { Nodes.Count: 1 } && info.Nodes[0].WriterGids.Count == 7 + 2 + ParameterServices.All.Count;
            },
            Limit));
        Assert.Equal(("/", "part_segmenter"), (info!.Nodes[0].NodeNamespace, info.Nodes[0].NodeName));
        Assert.Equal(1 + ParameterServices.All.Count, info.Nodes[0].ReaderGids.Count);
    }

    // Encapsulation header + Gid + node sequence count: the node namespace string starts right after.
    private static int DiscoveryPrefixLength(ParticipantEntitiesInfo info)
    {
        var w = new Messages.Cdr.CdrWriter();
        (info with { Nodes = [] }).Encode(w, GidLayout.Humble24);
        return w.Length;
    }
}

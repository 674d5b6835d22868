using System.Collections.Concurrent;
using RosPartSeg.Dds;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Rmw;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node.Tests.Dds;

/// <summary>
/// A service of <see cref="DdsTransport"/> seen from a plain participant that builds rmw_cyclonedds' request samples
/// byte by byte: the topics, the header copied into the reply, malformed requests counted, the endpoints' USER_DATA
/// and their place in ros_discovery_info.
/// </summary>
public sealed class DdsServiceTests
{
    private const string RequestType = "rcl_interfaces::srv::dds_::GetParameterTypes_Request_";
    private const string ResponseType = "rcl_interfaces::srv::dds_::GetParameterTypes_Response_";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private static readonly DdsQos ClientQos = new(DdsReliability.Reliable, 10, DdsDurability.Volatile);
    private static readonly RosQos ServiceQos = new(RosReliability.Reliable, 1000);

    // The handler answers every name with its length as the "type": enough to see which request a reply answers.
    private static void Lengths(ref Messages.Cdr.CdrReader request, Messages.Cdr.CdrWriter reply)
    {
        var names = Messages.Rcl.ParameterNamesRequest.Read(ref request).Names;
        new Messages.Rcl.GetParameterTypesResponse(names.Select(n => (byte)n.Length).ToArray()).Write(reply);
    }

    private static byte[] Request(ulong guid, long seq, string name)
    {
        var b = new List<byte> { 0x00, 0x01, 0x00, 0x00 };
        b.AddRange(BitConverter.GetBytes(guid));
        b.AddRange(BitConverter.GetBytes(seq));
        b.AddRange([1, 0, 0, 0]);
        b.AddRange(BitConverter.GetBytes(name.Length + 1));
        b.AddRange(System.Text.Encoding.ASCII.GetBytes(name));
        b.Add(0);
        return [.. b];
    }

    [Fact]
    public void RepliesCarryTheRequestHeaderOfTheirClientAndMalformedRequestsAreCounted()
    {
        var domain = TestEnvironment.NewDomain();
        using var transport = new DdsTransport("svc", "/", (_, _) => { }, domain, "humble");
        using var service = transport.AdvertiseService("/svc/types", "rcl_interfaces/srv/GetParameterTypes", ServiceQos, Lengths);
        using var client = DdsParticipant.Create(domain);
        var replies = new BlockingCollection<byte[]>();
        using var reader = client.CreateReader("rr/svc/typesReply", ResponseType, ClientQos, cdr => replies.Add(cdr.ToArray()));
        var writer = client.CreateWriter("rq/svc/typesRequest", RequestType, ClientQos);
        Assert.True(TestEnvironment.WaitUntil(() => writer.MatchedReaders == 1 && reader.MatchedWriters == 1, Limit), "client and service never matched");

        writer.Write(Request(0x1122334455667788, 7, "abc"));
        writer.Write(Request(0x0102030405060708, 8, "de"));
        byte[] expected1 = [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 7, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3];
        byte[] expected2 = [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2];
        foreach (var expected in new[] { expected1, expected2 })
        {
            Assert.True(replies.TryTake(out var r, Limit), "no reply");
            Assert.Equal([0x00, 0x01], r[..2]);
            Assert.Equal(expected, r.AsSpan(4, expected.Length).ToArray());
            Assert.True(r.Length - 4 - expected.Length < 4, "only DDS' padding to 4 bytes may follow the reply");
        }

        writer.Write([0x00, 0x01, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]);    // a header cut short
        writer.Write(Request(1, 9, "abc").AsSpan(0, 24).ToArray());         // names count, then nothing
        writer.Write([0x00, 0x01, 0x00, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f]); // 2^31 names
        Assert.True(TestEnvironment.WaitUntil(() => service.MalformedRequests == 3, Limit), $"counted {service.MalformedRequests} malformed requests of 3");
        writer.Write(Request(5, 11, "x"));
        Assert.True(replies.TryTake(out var after, Limit), "the service stopped answering after malformed requests");
        Assert.Equal(11, BitConverter.ToInt64(after, 12));
        Assert.Empty(replies);
    }

    [Fact]
    public void BothEndpointsCarryOneServiceIdAndJoinTheNodeInTheGraph()
    {
        var domain = TestEnvironment.NewDomain();
        using var transport = new DdsTransport("svc", "/ns", (_, _) => { }, domain, "humble");
        using var service = transport.AdvertiseService("/ns/svc/types", "rcl_interfaces/srv/GetParameterTypes", ServiceQos, Lengths);
        using var observer = DdsParticipant.Create(domain);
        var pubs = observer.CreateBuiltinEndpointReader(publications: true);
        var subs = observer.CreateBuiltinEndpointReader(publications: false);
        var graph = new BlockingCollection<byte[]>();
        observer.CreateReader(DdsTransport.DiscoveryTopic, "rmw_dds_common::msg::dds_::ParticipantEntitiesInfo_",
            new DdsQos(DdsReliability.Reliable, 10, DdsDurability.TransientLocal), cdr => graph.Add(cdr.ToArray()));
        DdsEndpointInfo? replyWriter = null;
        DdsEndpointInfo? requestReader = null;
        Assert.True(TestEnvironment.WaitUntil(
            () =>
            {
                replyWriter ??= pubs.Take().FirstOrDefault(w => w.TopicName == "rr/ns/svc/typesReply");
                requestReader ??= subs.Take().FirstOrDefault(r => r.TopicName == "rq/ns/svc/typesRequest");
                return replyWriter is not null && requestReader is not null;
            },
            Limit), "the service's endpoints were not discovered");

        Assert.Equal((ResponseType, RequestType), (replyWriter!.TypeName, requestReader!.TypeName));
        Assert.Equal((DdsReliability.Reliable, DdsDurability.Volatile, 1000), (requestReader.Reliability, requestReader.Durability, requestReader.HistoryDepth));
        Assert.Equal(requestReader.UserData, replyWriter.UserData);
        Assert.Equal($"serviceid={DdsService.FormatId(transport.ParticipantGuid, 1)};", replyWriter.UserData);

        Assert.True(TestEnvironment.WaitUntil(
            () =>
            {
                foreach (var g in graph.ToArray())
                {
                    var info = ParticipantEntitiesInfo.Decode(g, GidLayout.Humble24);
                    if (info.Nodes.Count == 1 && info.Nodes[0].ReaderGids.Contains(Gid.FromGuid(requestReader.Guid.ToArray()))
                        && info.Nodes[0].WriterGids.Contains(Gid.FromGuid(replyWriter.Guid.ToArray())))
                    {
                        return true;
                    }
                }

                return false;
            },
            Limit), "ros_discovery_info does not list the service's reader and writer under the node");
    }

    [Fact]
    public void OnJazzyEachEndpointAlsoCarriesTheHashOfItsHalf()
    {
        var domain = TestEnvironment.NewDomain();
        using var transport = new DdsTransport("svc", "/", (_, _) => { }, domain, "jazzy");
        using var service = transport.AdvertiseService("/svc/types", "rcl_interfaces/srv/GetParameterTypes", ServiceQos, Lengths);
        using var observer = DdsParticipant.Create(domain);
        var pubs = observer.CreateBuiltinEndpointReader(publications: true);
        var subs = observer.CreateBuiltinEndpointReader(publications: false);
        DdsEndpointInfo? replyWriter = null;
        DdsEndpointInfo? requestReader = null;
        Assert.True(TestEnvironment.WaitUntil(
            () =>
            {
                replyWriter ??= pubs.Take().FirstOrDefault(w => w.TopicName == "rr/svc/typesReply");
                requestReader ??= subs.Take().FirstOrDefault(r => r.TopicName == "rq/svc/typesRequest");
                return replyWriter is not null && requestReader is not null;
            },
            Limit), "the service's endpoints were not discovered");

        // Hashes as Jazzy's rosidl generates them for GetParameterTypes_Request and _Response.
        var id = $"serviceid={DdsService.FormatId(transport.ParticipantGuid, 1)};";
        Assert.Equal(id + "typehash=RIHS01_87d7ec5ef545d4daa289d500025d31fb2437bc8b8365ca367161c4dac4be33fd;", requestReader!.UserData);
        Assert.Equal(id + "typehash=RIHS01_ac1335dce67c478e669434f6ac2fbff34fcd529580f272d3006785ba8b54e47f;", replyWriter!.UserData);
    }

    [Fact]
    public void AReplyWaitsForTheReaderOfTheClientThatNamedItself()
    {
        var domain = TestEnvironment.NewDomain();
        using var transport = new DdsTransport("svc", "/", (_, _) => { }, domain, "humble");
        using var service = transport.AdvertiseService("/svc/types", "rcl_interfaces/srv/GetParameterTypes", ServiceQos, Lengths);
        using var client = DdsParticipant.Create(domain);

        // Another client's reply reader is matched already, so "some reader matched" would not do.
        using var other = client.CreateReader("rr/svc/typesReply", ResponseType, ClientQos, _ => { }, "clientid=other;");
        const string id = " 1.2.3.4.5.6.7.8.9.a.b.c.0.0.0.1";
        var writer = client.CreateWriter("rq/svc/typesRequest", RequestType, ClientQos, $"clientid={id};");
        Assert.True(TestEnvironment.WaitUntil(() => writer.MatchedReaders == 1 && other.MatchedWriters == 1, Limit), "never matched");

        writer.Write(Request(7, 1, "ab"));
        Thread.Sleep(30); // the service has the request now; without the wait its reply would go out before our reader exists
        var replies = new BlockingCollection<byte[]>();
        using var mine = client.CreateReader("rr/svc/typesReply", ResponseType, ClientQos, cdr => replies.Add(cdr.ToArray()), $"clientid={id};");
        Assert.True(replies.TryTake(out var r, Limit), "the reply went out before this client's reader matched");
        Assert.Equal(7UL, BitConverter.ToUInt64(r, 4));

        Assert.Equal(id, DdsService.UserDataValue($"clientid={id};typehash=RIHS01_x;", "clientid"));
        Assert.Equal("", DdsService.UserDataValue("serviceid=1;", "clientid"));
    }

    [Fact]
    public void ServiceIdPrintsAsRmwCycloneddsDoes()
    {
        var guid = new DdsGuid([0x01, 0x10, 0xab, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0x0c, 0xff, 0xff, 0xff, 0xff]);
        Assert.Equal(" 1.10.ab.0.2.0.0.0.0.0.0.c.1.2.3.4", DdsService.FormatId(guid, 0x01020304));
        Assert.Equal(("rq/ns/node/get_parametersRequest", "rr/ns/node/get_parametersReply"), DdsService.TopicNames("/ns/node/get_parameters"));
        Assert.Equal(("rcl_interfaces::srv::dds_::GetParameters_Request_", "rcl_interfaces::srv::dds_::GetParameters_Response_"),
            DdsService.TypeNames("rcl_interfaces/srv/GetParameters"));
    }
}

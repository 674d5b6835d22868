using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Rmw;
using RosPartSeg.Node;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Dds;

/// <summary>
/// The ROS 2 transport over Cyclone DDS, following rmw_cyclonedds' conventions: one participant with USER_DATA
/// <c>enclave=&lt;enclave&gt;;</c> (SROS2 properties when security is on), topics <c>rt/&lt;name&gt;</c> with <c>pkg::msg::dds_::Type_</c> types in plain CDR, and the
/// node's readers and writers announced on <c>ros_discovery_info</c> so <c>ros2 node list</c> sees it.
/// </summary>
public sealed class DdsTransport : IRosTransport, IRosServiceProvider
{
    /// <summary>The graph topic of rmw_dds_common (no <c>rt/</c> prefix).</summary>
    public const string DiscoveryTopic = "ros_discovery_info";

    private readonly DdsParticipant _participant;
    private readonly Action<RosLogLevel, string> _log;
    private readonly Lock _gate = new();
    private readonly List<DdsReader> _readers = [];
    private readonly List<DdsWriter> _writers = [];
    private readonly DdsWriter? _discovery;
    private readonly CdrWriter _discoveryBuffer = new();
    private readonly List<DdsService> _services = [];
    private uint _serviceIds; // rmw_cyclonedds' per-process client/service counter
    private bool _shutdown;

    /// <param name="nodeName">Node name as it appears in the graph.</param>
    /// <param name="nodeNamespace">Node namespace (absolute).</param>
    /// <param name="log">Where to report what the transport decided (graph layout, domain).</param>
    /// <param name="domainId">DDS domain; null reads ROS_DOMAIN_ID.</param>
    /// <param name="rosDistro">ROS distro deciding the Gid layout; null reads ROS_DISTRO; unknown publishes no graph info.</param>
    /// <param name="security">SROS2 settings (<see cref="DdsSecurity.FromEnvironment(string)"/>); null is security off.</param>
    public DdsTransport(string nodeName, string nodeNamespace, Action<RosLogLevel, string> log, uint? domainId = null, string? rosDistro = null,
        DdsSecurity? security = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        NodeName = nodeName;
        NodeNamespace = nodeNamespace;
        _log = log;
        Security = security ?? DdsSecurity.Off;
        var domain = domainId ?? DdsParticipant.DomainIdFromEnvironment();
        _log(Security.Enabled && !Security.Active ? RosLogLevel.Warn : RosLogLevel.Info, Security.Describe());
        try
        {
            _participant = DdsParticipant.Create(domain, Security.UserData, Security.Properties);
        }
        catch (DdsException e) when (Security.Active)
        {
            // Cyclone's plugins say why only in its own log; name the usual causes.
            throw new DdsException($"{e.Message}: the security plugins refused enclave {Security.Enclave} ({Security.EnclaveDirectory}): " +
                "check that cert.pem is valid now and signed by identity_ca.cert.pem, that key.pem belongs to it, and that " +
                "governance.p7s and permissions.p7s are signed by permissions_ca.cert.pem and name this certificate's subject", e);
        }

        _participant.HandlerError = e => _log(RosLogLevel.Error, $"subscription callback failed: {e.Message}");
        var distro = rosDistro ?? Environment.GetEnvironmentVariable("ROS_DISTRO") ?? "";
        GidLayout = GidLayoutFor(distro);
        if (GidLayout is { } layout)
        {
            var discoveryType = ParticipantEntitiesInfo.TypeFor(layout);
            _discovery = _participant.CreateWriter(DiscoveryTopic, discoveryType.DdsName,
                new DdsQos(DdsReliability.Reliable, 1, DdsDurability.TransientLocal), EndpointUserData(discoveryType.RosName));
            _log(RosLogLevel.Info, $"DDS domain {domain}; announcing the node on {DiscoveryTopic} with {Gid.SizeOf(layout)}-byte Gids ({distro})");
            PublishGraph();
        }
        else
        {
            _log(RosLogLevel.Warn, $"DDS domain {domain}; ROS distro {(distro.Length == 0 ? "not set" : $"'{distro}' unknown")}: " +
                $"not publishing {DiscoveryTopic}, so 'ros2 node list' will not show this node (its topics are still visible). " +
                "Set ROS_DISTRO (humble, iron, jazzy, ...) or the ros_distro parameter.");
        }
    }

    public string NodeName { get; }

    public string NodeNamespace { get; }

    /// <summary>The SROS2 settings the participant was created with.</summary>
    public DdsSecurity Security { get; }

    /// <summary>The participant's GUID (the node's graph Gid).</summary>
    public DdsGuid ParticipantGuid => _participant.Guid;

    /// <summary>The Gid layout used on ros_discovery_info, or null when none is published.</summary>
    public GidLayout? GidLayout { get; }

    /// <summary>Humble uses 24-byte Gids; Iron, Jazzy and later 16; anything else is unknown (null).</summary>
    public static GidLayout? GidLayoutFor(string distro) => distro.Trim().ToLowerInvariant() switch
    {
        "humble" => Messages.GidLayout.Humble24,
        "iron" or "jazzy" or "kilted" or "rolling" => Messages.GidLayout.Jazzy16,
        _ => null,
    };

    /// <summary>The DDS topic of a ROS topic: <c>rt/</c> + the name without its leading slash.</summary>
    public static string DdsTopicName(string rosTopic) => "rt/" + rosTopic.TrimStart('/');

    /// <summary>The DDS type of a ROS type: <c>pkg/msg/Name</c> becomes <c>pkg::msg::dds_::Name_</c>.</summary>
    public static string DdsTypeName(string rosType)
    {
        var (package, kind, name) = RosNames.SplitTypeName(rosType);
        return $"{package}::{kind}::dds_::{name}_";
    }

    public IRosSubscription Subscribe(string topic, string rosType, RosQos qos, RosMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        DdsReader reader;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_shutdown, this);
            reader = Permitted(() => _participant.CreateReader(DdsTopicName(topic), DdsTypeName(rosType), ToDds(qos), cdr => handler(cdr), EndpointUserData(rosType)),
                "subscribe to", topic);
            _readers.Add(reader);
            PublishGraph();
        }

        return new Subscription(this, reader, topic);
    }

    public IRosPublisher Advertise(string topic, string rosType, RosQos qos)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_shutdown, this);
            var w = Permitted(() => _participant.CreateWriter(DdsTopicName(topic), DdsTypeName(rosType), ToDds(qos), EndpointUserData(rosType)),
                "publish", topic);
            _writers.Add(w);
            PublishGraph();
            return new Publisher(w, topic);
        }
    }

    public IRosService AdvertiseService(string service, string serviceType, RosQos qos, RosServiceHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var (requestTopic, replyTopic) = DdsService.TopicNames(service);
        var (requestType, responseType) = DdsService.TypeNames(serviceType);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_shutdown, this);
            // The reader and the writer share one serviceid, which pairs them for ros2 tools; on Jazzy each also
            // carries the hash of its own half (request, response), as rmw_cyclonedds appends it.
            var userData = $"serviceid={DdsService.FormatId(_participant.Guid, ++_serviceIds)};";
            var (requestHash, responseHash) = ServiceTypeHashes(serviceType);
            var s = new DdsService(this, service, handler);
            s.Replies = Permitted(() => _participant.CreateWriter(replyTopic, responseType, ToDds(qos), userData + responseHash), "reply on", service);
            _writers.Add(s.Replies);
            s.Requests = Permitted(() => _participant.CreateReader(requestTopic, requestType, ToDds(qos), s.OnRequest, userData + requestHash), "serve", service);
            _readers.Add(s.Requests);
            _services.Add(s);
            PublishGraph();
            return s;
        }
    }

    public void Shutdown()
    {
        lock (_gate)
        {
            if (_shutdown)
            {
                return;
            }

            _shutdown = true;
        }

        _participant.Dispose();
    }

    public void Dispose() => Shutdown();

    /// <summary>
    /// Iron and later put <c>typehash=RIHS01_...;</c> in endpoint USER_DATA; Humble puts nothing. A type the
    /// message registry does not know gets no hash, which peers accept as unknown.
    /// </summary>
    private string? EndpointUserData(string rosType)
    {
        if (GidLayout != Messages.GidLayout.Jazzy16)
        {
            return null;
        }

        if (rosType.StartsWith("rmw_dds_common/", StringComparison.Ordinal))
        {
            return $"typehash={MessageRegistry.GetRmw(rosType[(rosType.LastIndexOf('/') + 1)..], Messages.GidLayout.Jazzy16).TypeHash};";
        }

        return MessageRegistry.TryGet(rosType, out var t) ? $"typehash={t.TypeHash};" : null;
    }

    // typehash=...; for a service's request and response on Iron and later; none for a service type not known here.
    private (string Request, string Response) ServiceTypeHashes(string serviceType)
    {
        if (GidLayout != Messages.GidLayout.Jazzy16)
        {
            return ("", "");
        }

        try
        {
            var (request, response) = Messages.Rcl.ParameterServices.TypeHashes(serviceType);
            return ($"typehash={request};", $"typehash={response};");
        }
        catch (KeyNotFoundException)
        {
            return ("", "");
        }
    }

    // Access control refuses endpoints the enclave's permissions do not grant; say which, by its DDS topic name.
    private T Permitted<T>(Func<T> create, string verb, string topic)
    {
        try
        {
            return create();
        }
        catch (DdsException e) when (e.Code == DdsReturnCode.NotAllowedBySecurity)
        {
            throw new DdsException($"the permissions of enclave {Security.Enclave} do not allow it to {verb} {topic} " +
                $"(DDS topic {DdsTopicName(topic)}): {e.Message}", e);
        }
    }

    private static DdsQos ToDds(RosQos q) => new(
        q.Reliability == RosReliability.Reliable ? DdsReliability.Reliable : DdsReliability.BestEffort,
        q.Depth,
        q.Durability == RosDurability.TransientLocal ? DdsDurability.TransientLocal : DdsDurability.Volatile,
        q.Lifespan);

    internal void Remove(DdsService service)
    {
        lock (_gate)
        {
            if (_shutdown || !_services.Remove(service))
            {
                return;
            }

            _readers.Remove(service.Requests!);
            _writers.Remove(service.Replies!);
            service.Requests!.Dispose();
            PublishGraph();
        }
    }

    private void Remove(DdsReader reader)
    {
        lock (_gate)
        {
            if (_shutdown || !_readers.Remove(reader))
            {
                return;
            }

            reader.Dispose();
            PublishGraph();
        }
    }

    // Republishes the whole graph state of this participant (rmw does the same on every change).
    private void PublishGraph()
    {
        if (_discovery is null || GidLayout is not { } layout)
        {
            return;
        }

        var info = new ParticipantEntitiesInfo
        {
            Gid = Gid.FromGuid(_participant.Guid.ToArray()),
            Nodes =
            [
                new NodeEntitiesInfo
                {
                    NodeNamespace = NodeNamespace,
                    NodeName = NodeName,
                    ReaderGids = [.. _readers.Select(r => Gid.FromGuid(r.Guid.ToArray()))],
                    WriterGids = [.. _writers.Select(w => Gid.FromGuid(w.Guid.ToArray()))],
                },
            ],
        };
        info.Encode(_discoveryBuffer, layout);
        _discovery.Write(_discoveryBuffer.WrittenSpan);
    }

    private sealed class Publisher(DdsWriter writer, string topic) : IRosPublisher
    {
        public string Topic => topic;

        public int SubscriberCount => writer.MatchedReaders;

        public DdsGuid Guid => writer.Guid;

        public void Publish(ReadOnlySpan<byte> cdr) => writer.Write(cdr);
    }

    private sealed class Subscription(DdsTransport owner, DdsReader reader, string topic) : IRosSubscription
    {
        public string Topic => topic;

        public int PublisherCount => reader.MatchedWriters;

        public void Dispose() => owner.Remove(reader);
    }
}

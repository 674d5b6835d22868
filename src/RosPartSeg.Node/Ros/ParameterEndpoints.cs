using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Rcl;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node;

/// <summary>
/// A <see cref="ParameterServer"/> on the wire: the six services under the node's name (where the transport offers
/// services) and <c>/parameter_events</c>, where every declared parameter is announced at start and every change after.
/// Requests are decoded here and answered by the server; malformed ones are counted by the transport.
/// </summary>
public sealed class ParameterEndpoints : IDisposable
{
    /// <summary>rclcpp's parameter services: reliable, volatile, KEEP_LAST 1000.</summary>
    public static readonly RosQos ServiceQos = new(RosReliability.Reliable, 1000);

    /// <summary>rclcpp's <c>/parameter_events</c> publisher: reliable, volatile, KEEP_LAST 1000.</summary>
    public static readonly RosQos EventsQos = new(RosReliability.Reliable, 1000);

    public const string EventsTopic = "/parameter_events";

    private readonly ParameterServer _server;
    private readonly IRosPublisher _events;
    private readonly List<IRosService> _services = [];
    private readonly CdrWriter _eventOut = new();
    private readonly Lock _eventLock = new();

    public ParameterEndpoints(IRosTransport transport, ParameterServer server, RosLogger log)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(log);
        _server = server ?? throw new ArgumentNullException(nameof(server));
        _events = transport.Advertise(EventsTopic, "rcl_interfaces/msg/ParameterEvent", EventsQos);
        // The declared parameters go out first, so no change can be announced before them.
        server.Events = Publish;
        Publish(server.Declared());
        if (transport is IRosServiceProvider provider)
        {
            var prefix = server.Node == "/" ? "" : server.Node;
            foreach (var (name, type) in ParameterServices.All)
            {
                _services.Add(provider.AdvertiseService($"{prefix}/{name}", type, ServiceQos, HandlerFor(name)));
            }
        }
        else
        {
            log.Warn($"this transport offers no services: the parameter services are off ('ros2 param' cannot reach the node; {EventsTopic} is still published)");
        }
    }

    /// <summary>The services offered (none where the transport has no services).</summary>
    public IReadOnlyList<IRosService> Services => _services;

    /// <summary>Requests the services could not read, all six together.</summary>
    public long MalformedRequests => _services.Sum(s => s.MalformedRequests);

    public void Dispose()
    {
        _server.Events = null;
        foreach (var s in _services)
        {
            s.Dispose();
        }

        _services.Clear();
    }

    private void Publish(ParameterEvent e)
    {
        lock (_eventLock)
        {
            RosMessage.Encode(e, _eventOut);
            _events.Publish(_eventOut.WrittenSpan);
        }
    }

    // Each request decoded, answered by the server, the response appended to the reply.
    private RosServiceHandler HandlerFor(string service) => service switch
    {
        ParameterServices.List => (ref CdrReader request, CdrWriter reply) =>
        {
            var r = ListParametersRequest.Read(ref request);
            new ListParametersResponse(_server.List(r.Prefixes, r.Depth)).Write(reply);
        },
        ParameterServices.Describe => (ref CdrReader request, CdrWriter reply) =>
            new DescribeParametersResponse(_server.Describe(ParameterNamesRequest.Read(ref request).Names)).Write(reply),
        ParameterServices.Get => (ref CdrReader request, CdrWriter reply) =>
            new GetParametersResponse(_server.Get(ParameterNamesRequest.Read(ref request).Names)).Write(reply),
        ParameterServices.GetTypes => (ref CdrReader request, CdrWriter reply) =>
            new GetParameterTypesResponse(_server.GetTypes(ParameterNamesRequest.Read(ref request).Names)).Write(reply),
        ParameterServices.Set => (ref CdrReader request, CdrWriter reply) =>
            new SetParametersResponse(_server.Set(SetParametersRequest.Read(ref request).Parameters)).Write(reply),
        _ => (ref CdrReader request, CdrWriter reply) =>
            new SetParametersAtomicallyResponse(_server.SetAtomically(SetParametersRequest.Read(ref request).Parameters)).Write(reply),
    };
}

using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Node.Transport;

/// <summary>
/// Answers one service request. <paramref name="request"/> is positioned at the request's first field (any transport
/// header already read); the handler appends the response's fields to <paramref name="reply"/> (never resetting it:
/// the transport may have written its own header first); the transport sends it. A
/// <see cref="CdrException"/> marks the request malformed: the transport counts it and sends nothing. Runs on a
/// transport thread, one request at a time per service.
/// </summary>
public delegate void RosServiceHandler(ref CdrReader request, CdrWriter reply);

/// <summary>An offered service; disposing it withdraws it.</summary>
public interface IRosService : IDisposable
{
    /// <summary>The fully qualified service name.</summary>
    string Name { get; }

    /// <summary>Requests that could not be read (truncated or malformed CDR, a short transport header): dropped, unanswered.</summary>
    long MalformedRequests { get; }
}

/// <summary>
/// The services capability of a transport (<see cref="IRosTransport"/> implementations that can offer ROS 2 services
/// implement it too): the parameter services are offered where it exists, and the node runs without them where not.
/// </summary>
public interface IRosServiceProvider
{
    /// <summary>
    /// Offers <paramref name="service"/> (fully qualified) of type <paramref name="serviceType"/>
    /// (<c>pkg/srv/Name</c>); the service's endpoints join the node's in the ROS graph.
    /// </summary>
    IRosService AdvertiseService(string service, string serviceType, RosQos qos, RosServiceHandler handler);
}

namespace RosPartSeg.Node.Transport;

/// <summary>Reliability as ROS 2 QoS names it.</summary>
public enum RosReliability
{
    BestEffort,
    Reliable,
}

/// <summary>Durability as ROS 2 QoS names it.</summary>
public enum RosDurability
{
    Volatile,
    TransientLocal,
}

/// <summary>
/// A ROS 2 QoS profile (the parts this node uses). <paramref name="Depth"/> 0 means KEEP_ALL; a zero
/// <paramref name="Lifespan"/> means samples never expire (ROS' default).
/// </summary>
public readonly record struct RosQos(RosReliability Reliability, int Depth, RosDurability Durability = RosDurability.Volatile, TimeSpan Lifespan = default)
{
    /// <summary>rclcpp's SensorDataQoS: KEEP_LAST 5, best effort, volatile.</summary>
    public static RosQos SensorData => new(RosReliability.BestEffort, 5);

    /// <summary>rclcpp's default: KEEP_LAST 10, reliable, volatile.</summary>
    public static RosQos Default => new(RosReliability.Reliable, 10);

    public override string ToString() =>
        $"{(Reliability == RosReliability.Reliable ? "reliable" : "best_effort")}, " +
        $"{(Depth > 0 ? $"keep_last({Depth})" : "keep_all")}, {(Durability == RosDurability.TransientLocal ? "transient_local" : "volatile")}" +
        (Lifespan > TimeSpan.Zero ? $", lifespan {Lifespan.TotalSeconds:0.###} s" : "");
}

/// <summary>Receives one serialized message (CDR with its encapsulation header); the span dies on return.</summary>
public delegate void RosMessageHandler(ReadOnlySpan<byte> cdr);

/// <summary>A publisher of serialized messages on one topic.</summary>
public interface IRosPublisher
{
    /// <summary>The fully qualified ROS topic name.</summary>
    string Topic { get; }

    /// <summary>Subscriptions currently matched: used to skip outputs nobody listens to.</summary>
    int SubscriberCount { get; }

    /// <summary>Publishes one serialized message (CDR, encapsulation header included).</summary>
    void Publish(ReadOnlySpan<byte> cdr);
}

/// <summary>A subscription; disposing it stops delivery.</summary>
public interface IRosSubscription : IDisposable
{
    string Topic { get; }

    /// <summary>Publishers currently matched (for the "no image yet" diagnosis).</summary>
    int PublisherCount { get; }
}

/// <summary>
/// The port between the node logic and a ROS 2 transport (Cyclone DDS directly, or a ROS client library such as
/// ros2_dotnet). Topic names are fully qualified ROS names (already resolved and remapped); type names are ROS
/// names (<c>sensor_msgs/msg/Image</c>); messages are serialized by the caller. Implementations make the node
/// visible in the ROS graph under <see cref="NodeName"/> in <see cref="NodeNamespace"/>.
/// </summary>
public interface IRosTransport : IDisposable
{
    string NodeName { get; }

    string NodeNamespace { get; }

    /// <summary>Subscribes; <paramref name="handler"/> runs on a transport thread and must return quickly.</summary>
    IRosSubscription Subscribe(string topic, string rosType, RosQos qos, RosMessageHandler handler);

    /// <summary>Creates a publisher.</summary>
    IRosPublisher Advertise(string topic, string rosType, RosQos qos);

    /// <summary>Stops delivery and releases every native resource; idempotent.</summary>
    void Shutdown();
}

/// <summary>Creates the transport for a node once its name, namespace and parameters are known.</summary>
public delegate IRosTransport RosTransportFactory(PartSegmenter.NodeSettings settings, Action<RosLogLevel, string> log);

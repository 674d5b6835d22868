using RosPartSeg.Node;
using RosPartSeg.Node.Transport;
using ROS2;

namespace RosPartSeg.Rcl;

/// <summary>
/// The ROS 2 transport on ros2_dotnet: one rcldotnet node (so rcl and the rmw chosen by RMW_IMPLEMENTATION do
/// discovery, graph and QoS) whose publishers and subscriptions carry the node's CDR through <see cref="RawMessage{TKey}"/>.
/// One thread spins the node; rcldotnet's node is not thread-safe, so endpoints are created between spins.
/// </summary>
public sealed class RclTransport : IRosTransport
{
    private const long SpinTimeoutMs = 100;

    private readonly ROS2.Node _node;
    private readonly Action<RosLogLevel, string> _log;
    private readonly Lock _gate = new();
    private readonly GuardCondition _wake;
    private readonly Thread _spinner;
    private int _waiting;
    private volatile bool _stop;

    /// <param name="nodeName">Node name (already remapped).</param>
    /// <param name="nodeNamespace">Absolute namespace.</param>
    /// <param name="log">Where to report transport events.</param>
    public RclTransport(string nodeName, string nodeNamespace, Action<RosLogLevel, string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        RCLdotnet.Init();
        _node = RCLdotnet.CreateNode(nodeName, nodeNamespace);
        NodeName = nodeName;
        NodeNamespace = nodeNamespace;
        _wake = _node.CreateGuardCondition(() => { });
        _spinner = new Thread(Spin) { Name = "rcldotnet spin", IsBackground = true };
        _spinner.Start();
        _log(RosLogLevel.Info, $"rcldotnet node {_node.FullyQualifiedName} on {RCLdotnet.GetRMWIdentifier()}, ROS_DOMAIN_ID={Environment.GetEnvironmentVariable("ROS_DOMAIN_ID") ?? "0"}");
    }

    public string NodeName { get; }

    public string NodeNamespace { get; }

    public IRosSubscription Subscribe(string topic, string rosType, RosQos qos, RosMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return BetweenSpins(() => RawTypes.For(rosType).Subscribe(_node, topic, ToRcl(qos), handler,
            e => _log(RosLogLevel.Error, $"subscription callback failed: {e.Message}"), Remove));
    }

    public IRosPublisher Advertise(string topic, string rosType, RosQos qos) =>
        BetweenSpins(() => RawTypes.For(rosType).Advertise(_node, topic, ToRcl(qos)));

    /// <summary>
    /// rcldotnet hands the process's command line to rcl, so rcl applies the <c>-r</c> rules again to the names the
    /// node logic already remapped. That is harmless unless a rule's target is another rule's source
    /// (<c>-r a:=b -r b:=c</c>); this throws for such names instead of silently using another topic.
    /// </summary>
    public unsafe void CheckNotRemappedAgain(IEnumerable<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var node = RawTypes.NativeHandle(_node, typeof(ROS2.Node));
        if (node == 0)
        {
            return;
        }

        var allocator = Native.DefaultAllocator();
        foreach (var topic in topics)
        {
            if (Native.NodeResolveName(node, topic, allocator, false, false, out var resolved) != 0)
            {
                throw new InvalidOperationException($"rcl cannot resolve the topic name '{topic}'");
            }

            var name = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)resolved);
            ((delegate* unmanaged<nint, nint, void>)allocator.Deallocate)((nint)resolved, allocator.State);
            if (name != topic)
            {
                throw new InvalidOperationException($"rcl would remap '{topic}' again, to '{name}' (chained -r rules); " +
                    "with the rcl transport give each topic one rule from its original name");
            }
        }
    }

    public void Shutdown()
    {
        if (_stop)
        {
            return;
        }

        _stop = true;
        _wake.Trigger();
        _spinner.Join();

        // rcldotnet has no node or endpoint disposal, and RCLdotnet.Shutdown() aborts the process once a node
        // exists (see docs/rcldotnet.md): stop delivering and leave the rest to process exit.
        lock (_gate)
        {
            _node.Subscriptions.Clear();
        }
    }

    public void Dispose() => Shutdown();

    private static QosProfile ToRcl(RosQos q)
    {
        var p = q.Depth > 0 ? QosProfile.KeepLast(q.Depth) : QosProfile.KeepAll();
        p = q.Reliability == RosReliability.Reliable ? p.WithReliable() : p.WithBestEffort();
        return q.Durability == RosDurability.TransientLocal ? p.WithTransientLocal() : p.WithVolatile();
    }

    private void Remove(Subscription subscription)
    {
        if (!_stop) // after Shutdown nothing is delivered anyway
        {
            BetweenSpins(() => _node.Subscriptions.Remove(subscription));
        }
    }

    // Wakes the spin thread and takes the node while it is not waiting in rcl_wait.
    private T BetweenSpins<T>(Func<T> action)
    {
        ObjectDisposedException.ThrowIf(_stop, this);
        Interlocked.Increment(ref _waiting);
        _wake.Trigger();
        lock (_gate)
        {
            Interlocked.Decrement(ref _waiting);
            return action();
        }
    }

    private void Spin()
    {
        while (!_stop)
        {
            if (Volatile.Read(ref _waiting) > 0)
            {
                Thread.Yield(); // let Subscribe/Advertise have the node
                continue;
            }

            lock (_gate)
            {
                try
                {
                    RCLdotnet.SpinOnce(_node, SpinTimeoutMs);
                }
#pragma warning disable CA1031 // keep spinning; the node logic sees missing frames in its statistics
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _log(RosLogLevel.Error, $"rcldotnet spin failed: {e.Message}");
                }
            }
        }
    }
}

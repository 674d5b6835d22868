using System.Reflection;
using System.Runtime.InteropServices;
using RosPartSeg.Node.Transport;
using ROS2;

namespace RosPartSeg.Rcl;

/// <summary>
/// Binds ROS type names to <see cref="RawMessage{TKey}"/> keys and creates rcldotnet publishers and subscriptions
/// of them. A process can use as many distinct ROS types as there are keys (the node uses six).
/// </summary>
internal static class RawTypes
{
    private static readonly Key[] Keys =
    [
        new Key<K0>(), new Key<K1>(), new Key<K2>(), new Key<K3>(), new Key<K4>(), new Key<K5>(), new Key<K6>(), new Key<K7>(),
        new Key<K8>(), new Key<K9>(), new Key<K10>(), new Key<K11>(), new Key<K12>(), new Key<K13>(), new Key<K14>(), new Key<K15>(),
    ];

    private static readonly Lock Gate = new();

    /// <summary>The key bound to <paramref name="rosType"/>, binding a free one on first use.</summary>
    public static Key For(string rosType)
    {
        lock (Gate)
        {
            foreach (var k in Keys)
            {
                if (k.RosType == rosType)
                {
                    return k;
                }
            }

            var free = Keys.FirstOrDefault(k => k.RosType is null)
                ?? throw new InvalidOperationException($"more than {Keys.Length} ROS message types in one process");
            free.Bind(RosidlType.Load(rosType));
            return free;
        }
    }

    /// <summary>rcldotnet keeps endpoint handles internal; rcl's own count functions need them.</summary>
    internal static nint NativeHandle(object endpoint, Type declaring)
    {
        var property = declaring.GetProperty("Handle", BindingFlags.Instance | BindingFlags.NonPublic);
        return property?.GetValue(endpoint) is SafeHandle h ? h.DangerousGetHandle() : 0;
    }

    internal abstract class Key
    {
        public string? RosType { get; private set; }

        public void Bind(RosidlType type)
        {
            SetType(type);
            RosType = type.RosType;
        }

        public abstract IRosPublisher Advertise(ROS2.Node node, string topic, QosProfile qos);

        public abstract IRosSubscription Subscribe(
            ROS2.Node node, string topic, QosProfile qos, RosMessageHandler handler, Action<Exception> onError, Action<Subscription> remove);

        protected abstract void SetType(RosidlType type);
    }

    private sealed class Key<TKey> : Key
        where TKey : class
    {
        public override IRosPublisher Advertise(ROS2.Node node, string topic, QosProfile qos) =>
            new RawPublisher<TKey>(node.CreatePublisher<RawMessage<TKey>>(topic, qos), topic);

        public override IRosSubscription Subscribe(
            ROS2.Node node, string topic, QosProfile qos, RosMessageHandler handler, Action<Exception> onError, Action<Subscription> remove)
        {
            var type = RawMessage<TKey>.Type!;
            var sub = node.CreateSubscription<RawMessage<TKey>>(topic, _ =>
            {
                try
                {
                    handler(type.Received);
                }
#pragma warning disable CA1031 // a failing handler is reported, not allowed to stop the spin thread
                catch (Exception e)
#pragma warning restore CA1031
                {
                    onError(e);
                }
            }, qos);
            return new RawSubscription(sub, topic, remove);
        }

        protected override void SetType(RosidlType type) => RawMessage<TKey>.Type = type;
    }

    private sealed unsafe class RawPublisher<TKey>(Publisher<RawMessage<TKey>> publisher, string topic) : IRosPublisher
        where TKey : class
    {
        private readonly RawMessage<TKey> _message = new();
        private readonly nint _handle = NativeHandle(publisher, typeof(Publisher));

        public string Topic => topic;

        // Without the handle (a future rcldotnet) every output is assumed wanted: correct, only slower.
        public int SubscriberCount => _handle != 0 && Native.PublisherSubscriptionCount(_handle, out var n) == 0 ? (int)n : 1;

        public void Publish(ReadOnlySpan<byte> cdr)
        {
            lock (_message)
            {
                fixed (byte* p = cdr)
                {
                    _message.Point(p, cdr.Length);
                    try
                    {
                        publisher.Publish(_message);
                    }
                    finally
                    {
                        _message.Point(null, 0);
                    }
                }
            }
        }
    }

    private sealed class RawSubscription(Subscription subscription, string topic, Action<Subscription> remove) : IRosSubscription
    {
        private readonly nint _handle = NativeHandle(subscription, typeof(Subscription));

        public string Topic => topic;

        public int PublisherCount => _handle != 0 && Native.SubscriptionPublisherCount(_handle, out var n) == 0 ? (int)n : 0;

        public void Dispose() => remove(subscription);
    }

#pragma warning disable CA1812 // keys are only type arguments
    private sealed class K0;
    private sealed class K1;
    private sealed class K2;
    private sealed class K3;
    private sealed class K4;
    private sealed class K5;
    private sealed class K6;
    private sealed class K7;
    private sealed class K8;
    private sealed class K9;
    private sealed class K10;
    private sealed class K11;
    private sealed class K12;
    private sealed class K13;
    private sealed class K14;
    private sealed class K15;
#pragma warning restore CA1812
}

using System.Collections.Concurrent;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node.Tests.PartSegmenter;

/// <summary>
/// A transport that keeps everything in memory, for unit tests of the node's logic (which outputs it renders,
/// what it counts). The real-DDS behaviour is covered by the Live tests.
/// </summary>
internal sealed class InMemoryTransport : IRosTransport
{
    public ConcurrentDictionary<string, Publisher> Publishers { get; } = new();

    /// <summary>The handler of the first subscription: the image input (the node subscribes to it first).</summary>
    public RosMessageHandler? Input { get; private set; }

    /// <summary>Every subscription's handler by topic (the depth and CameraInfo inputs too).</summary>
    public ConcurrentDictionary<string, RosMessageHandler> Inputs { get; } = new();

    public bool IsShutdown { get; private set; }

    public string NodeName => "part_segmenter";

    public string NodeNamespace => "/";

    public IRosSubscription Subscribe(string topic, string rosType, RosQos qos, RosMessageHandler handler)
    {
        Input ??= handler;
        Inputs[topic] = handler;
        return new Subscription(topic);
    }

    public IRosPublisher Advertise(string topic, string rosType, RosQos qos) => Publishers.GetOrAdd(topic, t => new Publisher(t));

    public void Shutdown() => IsShutdown = true;

    public void Dispose() => Shutdown();

    internal sealed class Publisher(string topic) : IRosPublisher
    {
        private readonly Lock _lock = new();
        private byte[] _buffer = [];
        private int _length;
        private long _count;

        public string Topic => topic;

        public int SubscriberCount { get; set; }

        public long Count => Interlocked.Read(ref _count);

        /// <summary>Runs on the publishing thread before each message is stored (a slow or blocking transport).</summary>
        public Action? BeforePublish { get; set; }

        /// <summary>A copy of the last message (made on the caller's thread), or null before the first.</summary>
        public byte[]? Last
        {
            get
            {
                lock (_lock)
                {
                    return Count == 0 ? null : _buffer.AsSpan(0, _length).ToArray();
                }
            }
        }

        /// <summary>Copies the message into a buffer that is reused once large enough, as a transport's would be,
        /// so that the publishing thread's allocations are the node's own.</summary>
        public void Publish(ReadOnlySpan<byte> cdr)
        {
            BeforePublish?.Invoke();
            lock (_lock)
            {
                if (_buffer.Length < cdr.Length)
                {
                    _buffer = new byte[cdr.Length];
                }

                cdr.CopyTo(_buffer);
                _length = cdr.Length;
                Interlocked.Increment(ref _count);
            }
        }
    }

    private sealed class Subscription(string topic) : IRosSubscription
    {
        public string Topic => topic;

        public int PublisherCount => 1;

        public void Dispose()
        {
        }
    }
}

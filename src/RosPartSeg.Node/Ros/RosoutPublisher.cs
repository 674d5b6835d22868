using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Rcl;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node;

/// <summary>
/// Sends the node's log lines to <c>/rosout</c> as <c>rcl_interfaces/msg/Log</c>, where rqt_console and
/// <c>ros2 bag record</c> find them: the message text, the level, the logger name (namespace and node joined with
/// dots, as rcl forms it), no file, function or line. rcl's QoS: reliable, transient local, KEEP_LAST 1000,
/// lifespan 10 s (a late subscriber gets the last 10 s of lines).
/// </summary>
public sealed class RosoutPublisher
{
    public const string Topic = "/rosout";

    public static readonly RosQos Qos = new(RosReliability.Reliable, 1000, RosDurability.TransientLocal, TimeSpan.FromSeconds(10));

    private readonly IRosPublisher _publisher;
    private readonly CdrWriter _out = new();
    private readonly Lock _lock = new();
    private long _failed;

    public RosoutPublisher(IRosTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _publisher = transport.Advertise(Topic, "rcl_interfaces/msg/Log", Qos);
    }

    /// <summary>Lines that could not be published (a logger must not throw, nor log its own failures).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>A <see cref="RosLogger.Sink"/>: publishes one line.</summary>
    public void Publish(RosLogLevel level, string logger, string message, long unixNanoseconds)
    {
        var log = new Log { Stamp = Timestamp.FromNanoseconds(unixNanoseconds), Level = (byte)level, Name = logger, Msg = message };
        lock (_lock)
        {
            try
            {
                Messages.RosMessage.Encode(log, _out);
                _publisher.Publish(_out.WrittenSpan);
            }
#pragma warning disable CA1031 // whatever the transport throws, the line is already on the console
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }
}

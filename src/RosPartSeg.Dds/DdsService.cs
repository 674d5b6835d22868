using System.Diagnostics;
using System.Globalization;
using System.Text;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Rmw;
using RosPartSeg.Node;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Dds;

/// <summary>
/// A ROS 2 service as rmw_cyclonedds carries it: requests read from <c>rq/&lt;service&gt;Request</c>, replies written
/// to <c>rr/&lt;service&gt;Reply</c>, each sample starting with the <see cref="ServiceHeader"/> (client guid and
/// sequence number) that the reply copies from its request so the client can pick out its own. Both endpoints carry
/// <c>serviceid=&lt;id&gt;;</c> in USER_DATA, which is how <c>ros2 service</c> tools pair them.
/// </summary>
public sealed class DdsService : IRosService
{
    /// <summary>How long a reply waits for a reader to match before it is sent anyway (rmw_cyclonedds waits 100 ms too).</summary>
    public static readonly TimeSpan ReaderWait = TimeSpan.FromMilliseconds(100);

    private readonly DdsTransport _owner;
    private readonly RosServiceHandler _handler;
    private readonly CdrWriter _reply = new();
    private long _malformed;

    internal DdsService(DdsTransport owner, string name, RosServiceHandler handler)
    {
        _owner = owner;
        Name = name;
        _handler = handler;
    }

    public string Name { get; }

    public long MalformedRequests => Interlocked.Read(ref _malformed);

    /// <summary>The reader of requests (set once both endpoints exist).</summary>
    internal DdsReader? Requests { get; set; }

    /// <summary>The writer of replies.</summary>
    internal DdsWriter? Replies { get; set; }

    /// <summary>The DDS request and reply topics of a ROS service: <c>rq/&lt;name&gt;Request</c>, <c>rr/&lt;name&gt;Reply</c>.</summary>
    public static (string Request, string Reply) TopicNames(string service)
    {
        var bare = service.TrimStart('/');
        return ($"rq/{bare}Request", $"rr/{bare}Reply");
    }

    /// <summary>The DDS types of a service's request and response: <c>pkg::srv::dds_::Name_Request_</c> and <c>_Response_</c>.</summary>
    public static (string Request, string Response) TypeNames(string serviceType)
    {
        var (package, kind, name) = RosNames.SplitTypeName(serviceType);
        return ($"{package}::{kind}::dds_::{name}_Request_", $"{package}::{kind}::dds_::{name}_Response_");
    }

    /// <summary>
    /// The client/service id rmw_cyclonedds puts in USER_DATA: the participant GUID's 12-byte prefix, then a per-process
    /// counter big-endian, printed as its csid_to_string does (hex, the first byte in a field of two padded with a
    /// space, the others after dots without padding).
    /// </summary>
    public static string FormatId(DdsGuid participant, uint counter)
    {
        Span<byte> id = stackalloc byte[16];
        participant.CopyTo(id);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(id[12..], counter);
        var s = new StringBuilder(48);
        s.Append(id[0].ToString("x", CultureInfo.InvariantCulture).PadLeft(2));
        for (int i = 1; i < id.Length; i++)
        {
            s.Append('.').Append(id[i].ToString("x", CultureInfo.InvariantCulture));
        }
        return s.ToString();
    }

    public void Dispose() => _owner.Remove(this);

    // The participant's waitset thread: one request at a time, so one reply buffer serves them all.
    internal void OnRequest(ReadOnlySpan<byte> sample)
    {
        try
        {
            var request = new CdrReader(sample);
            var header = ServiceHeader.Read(ref request);
            _reply.Reset();
            header.Write(_reply);
            if (!_handler(ref request, _reply))
            {
                return;
            }
        }
        catch (CdrException)
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        var replies = Replies!;
        // A volatile reply to a client whose reader has not matched yet would be lost; wait a little, as rmw does.
        if (replies.MatchedReaders == 0)
        {
            var waited = Stopwatch.StartNew();
            while (replies.MatchedReaders == 0 && waited.Elapsed < ReaderWait)
            {
                Thread.Sleep(5);
            }
        }

        replies.Write(_reply.WrittenSpan);
    }
}

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
    /// <summary>How long a reply waits for its client's reader to match before it is sent anyway (as rmw_cyclonedds: 100 ms).</summary>
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

    /// <summary>The value of <c>key=value;</c> in USER_DATA, or "" when the key is absent.</summary>
    public static string UserDataValue(string userData, string key)
    {
        ArgumentNullException.ThrowIfNull(userData);
        ArgumentNullException.ThrowIfNull(key);
        foreach (var part in userData.Split(';'))
        {
            if (part.Length > key.Length && part[key.Length] == '=' && part.StartsWith(key, StringComparison.Ordinal))
            {
                return part[(key.Length + 1)..];
            }
        }

        return "";
    }

    // The participant's waitset thread: one request at a time, so one reply buffer serves them all.
    internal void OnRequest(ReadOnlySpan<byte> sample, ulong requestWriter)
    {
        try
        {
            var request = new CdrReader(sample);
            var header = ServiceHeader.Read(ref request);
            _reply.Reset();
            header.Write(_reply);
            _handler(ref request, _reply);
        }
        catch (CdrException)
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        if (ClientReaderPresent(requestWriter))
        {
            Replies!.Write(_reply.WrittenSpan);
        }
    }

    // As rmw_cyclonedds' rmw_send_response: a client whose request writer is gone gets no reply; one that names itself
    // (clientid= in its writer's USER_DATA) gets it once its reply reader, with the same clientid, has matched, or
    // after ReaderWait anyway (a volatile reply sent before would be lost); one without a clientid gets it at once.
    private bool ClientReaderPresent(ulong requestWriter)
    {
        var writerData = Requests!.MatchedWriterUserData(requestWriter);
        if (writerData is null)
        {
            return false;
        }

        var clientId = UserDataValue(writerData, "clientid");
        if (clientId.Length == 0)
        {
            return true;
        }

        var waited = Stopwatch.StartNew();
        while (!Replies!.MatchedReadersUserData().Exists(d => UserDataValue(d, "clientid") == clientId) && waited.Elapsed < ReaderWait)
        {
            Thread.Sleep(2);
        }

        return true;
    }
}

using System.Globalization;
using System.Text;
using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>Receives one sample's serialized bytes (encapsulation header included); the span dies on return.</summary>
public delegate void DdsSampleHandler(ReadOnlySpan<byte> cdr);

/// <summary>
/// One Cyclone DDS domain participant with its topics, readers, writers and one waitset thread that delivers
/// arriving samples to reader handlers. Dispose stops the thread and deletes every native entity; one that a call on
/// another thread is using (a write racing shutdown) is deleted when that call returns (see <see cref="DdsEntityHandle"/>).
/// </summary>
public sealed class DdsParticipant : IDisposable
{
    private static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(250);

    private readonly DdsEntityHandle _participant;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DdsEntityHandle Topic, string Type)> _topics = [];
    private readonly Dictionary<int, nint> _sertypes = [];
    private readonly Dictionary<nint, DdsReader> _readers = [];
    private readonly List<IDisposable> _children = [];
    private DdsEntityHandle? _waitset;
    private DdsEntityHandle? _wake;
    private Thread? _thread;
    private volatile bool _stopping;
    private nint _nextAttach = 1;
    private bool _disposed;

    private DdsParticipant(DdsEntityHandle participant, uint domainId)
    {
        _participant = participant;
        DomainId = domainId;
        Guid = ReadGuid(participant.Entity);
    }

    /// <summary>The DDS domain (ROS_DOMAIN_ID).</summary>
    public uint DomainId { get; }

    /// <summary>The participant's GUID.</summary>
    public DdsGuid Guid { get; }

    /// <summary>Called when a reader handler throws; the thread keeps running. Default: ignore.</summary>
    public Action<Exception>? HandlerError { get; set; }

    /// <summary>Creates a participant on <paramref name="domainId"/> with USER_DATA <paramref name="userData"/>.</summary>
    public static DdsParticipant Create(uint domainId, string userData = "enclave=/;") => Create(domainId, userData, []);

    /// <summary>
    /// Creates a participant with QoS properties too (<c>dds.sec.*</c> for security, see <see cref="DdsSecurity"/>).
    /// Note Cyclone's rule: once a domain in this process has a secured participant, it refuses unsecured ones.
    /// </summary>
    public static DdsParticipant Create(uint domainId, string userData, IEnumerable<KeyValuePair<string, string>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        Native.EnsureLoaded();
        using var qos = DdsQosHandle.Create();
        var bytes = Encoding.UTF8.GetBytes(userData);
        unsafe
        {
            fixed (byte* p = bytes)
            {
                Native.QsetUserdata(qos.Pointer, p, (nuint)bytes.Length);
            }
        }

        foreach (var (name, value) in properties)
        {
            Native.QsetProp(qos.Pointer, name, value);
        }

        var h = DdsEntityHandle.Create(Native.CreateParticipant(domainId, qos.Pointer, 0), "dds_create_participant");
        return new DdsParticipant(h, domainId);
    }

    /// <summary>The domain id from ROS_DOMAIN_ID (default 0); a bad value is an error naming the variable.</summary>
    public static uint DomainIdFromEnvironment()
    {
        var s = Environment.GetEnvironmentVariable("ROS_DOMAIN_ID");
        if (string.IsNullOrWhiteSpace(s))
        {
            return 0;
        }

        if (!uint.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id > 232)
        {
            throw new ArgumentException($"ROS_DOMAIN_ID='{s}' is not a domain id (0..232)");
        }

        return id;
    }

    /// <summary>Creates a writer of raw CDR samples on <paramref name="topicName"/> (a DDS topic name).</summary>
    public DdsWriter CreateWriter(string topicName, string typeName, DdsQos qos, string? userData = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var (topic, sertype) = GetTopic(topicName, typeName);
            using var q = qos.ToNative(xcdr1Only: true);
            Native.QsetWriterDataLifecycle(q.Pointer, false); // as rmw_cyclonedds: no dispose when a writer goes away
            SetUserData(q, userData);
            // The writer keeps its own reference to the sertype its samples are made with (see DdsWriter.Write).
            var h = DdsEntityHandle.Create(Native.CreateWriter(_participant.Entity, topic.Entity, q.Pointer, 0), $"dds_create_writer({topicName})",
                [_participant, topic], sertype);
            var w = new DdsWriter(h, sertype, ReadGuid(h.Entity), topicName, typeName, qos);
            _children.Add(h);
            return w;
        }
    }

    /// <summary>
    /// Creates a reader of raw CDR samples; <paramref name="handler"/> runs on this participant's waitset thread.
    /// </summary>
    public DdsReader CreateReader(string topicName, string typeName, DdsQos qos, DdsSampleHandler handler, string? userData = null) =>
        CreateReader(topicName, typeName, qos, userData, (h, cond, guid) => new DdsReader(h, cond, guid, topicName, typeName, qos, handler));

    /// <summary>A reader whose handler also gets the instance handle of each sample's writer (a service's request reader).</summary>
    internal DdsReader CreateReader(string topicName, string typeName, DdsQos qos, DdsSampleFromHandler handler, string? userData) =>
        CreateReader(topicName, typeName, qos, userData, (h, cond, guid) => new DdsReader(h, cond, guid, topicName, typeName, qos, handler));

    private DdsReader CreateReader(string topicName, string typeName, DdsQos qos, string? userData, Func<DdsEntityHandle, DdsEntityHandle, DdsGuid, DdsReader> make)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var (topic, _) = GetTopic(topicName, typeName);
            using var q = qos.ToNative(xcdr1Only: true);
            SetUserData(q, userData);
            var h = DdsEntityHandle.Create(Native.CreateReader(_participant.Entity, topic.Entity, q.Pointer, 0), $"dds_create_reader({topicName})",
                [_participant, topic]);
            _children.Add(h);
            var cond = DdsEntityHandle.Create(Native.CreateReadCondition(h.Entity, Native.AnyState), "dds_create_readcondition", [h]);
            _children.Add(cond);
            var r = make(h, cond, ReadGuid(h.Entity));
            EnsureThread();
            var x = _nextAttach++;
            _readers[x] = r;
            DdsException.Check(Native.WaitsetAttach(_waitset!.Entity, cond.Entity, x), "dds_waitset_attach");
            r.Detach = () =>
            {
                lock (_gate)
                {
                    if (!_disposed && _readers.Remove(x))
                    {
                        Native.WaitsetDetach(_waitset.Entity, cond.Entity);
                    }
                }
            };
            return r;
        }
    }

    /// <summary>Creates a reader of the built-in DCPSPublication or DCPSSubscription topic (discovery data).</summary>
    public DdsBuiltinEndpointReader CreateBuiltinEndpointReader(bool publications)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            const int minPseudoHandle = 0x7fff0000;
            var topic = minPseudoHandle + (publications ? 3 : 4);
            var h = DdsEntityHandle.Create(Native.CreateReader(_participant.Entity, topic, 0, 0), "dds_create_reader(builtin)", [_participant]);
            _children.Add(h);
            return new DdsBuiltinEndpointReader(h);
        }
    }

    /// <summary>Creates a reader of the built-in DCPSParticipant topic.</summary>
    public DdsBuiltinParticipantReader CreateBuiltinParticipantReader()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            const int minPseudoHandle = 0x7fff0000;
            var h = DdsEntityHandle.Create(Native.CreateReader(_participant.Entity, minPseudoHandle + 1, 0, 0), "dds_create_reader(builtin)", [_participant]);
            _children.Add(h);
            return new DdsBuiltinParticipantReader(h);
        }
    }

    public void Dispose()
    {
        Thread? t;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stopping = true;
            t = _thread;
            if (_wake is not null)
            {
                Native.SetGuardCondition(_wake.Entity, true);
            }
        }

        if (t is not null && t != Thread.CurrentThread)
        {
            t.Join();
        }

        lock (_gate)
        {
            _readers.Clear();
            for (var i = _children.Count - 1; i >= 0; i--)
            {
                _children[i].Dispose();
            }

            _waitset?.Dispose();
            _wake?.Dispose();
            foreach (var (topic, _) in _topics.Values)
            {
                topic.Dispose();
            }

            _participant.Dispose();
        }
    }

    internal static DdsGuid ReadGuid(int entity)
    {
        Span<byte> g = stackalloc byte[16];
        unsafe
        {
            fixed (byte* p = g)
            {
                DdsException.Check(Native.GetGuid(entity, p), "dds_get_guid");
            }
        }

        return new DdsGuid(g);
    }

    private static void SetUserData(DdsQosHandle q, string? userData)
    {
        if (string.IsNullOrEmpty(userData))
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(userData);
        unsafe
        {
            fixed (byte* p = bytes)
            {
                Native.QsetUserdata(q.Pointer, p, (nuint)bytes.Length);
            }
        }
    }

    private (DdsEntityHandle Topic, nint Sertype) GetTopic(string name, string typeName)
    {
        if (_topics.TryGetValue(name, out var existing))
        {
            if (existing.Type != typeName)
            {
                throw new DdsException($"topic '{name}' already has type '{existing.Type}', not '{typeName}'");
            }

            return (existing.Topic, GetSertype(existing.Topic));
        }

        var st = RawCdrType.CreateSertype(typeName);
        int rc;
        unsafe
        {
            rc = Native.CreateTopicSertype(_participant.Entity, name, &st, 0, 0, 0);
        }

        if (rc < 0)
        {
            Native.SertypeUnref(st);
        }

        var h = DdsEntityHandle.Create(rc, $"dds_create_topic_sertype({name}, {typeName})", [_participant]);
        _topics[name] = (h, typeName);
        _sertypes[h.Entity] = st;
        return (h, st);
    }

    private nint GetSertype(DdsEntityHandle topic) => _sertypes[topic.Entity];

    private void EnsureThread()
    {
        if (_thread is not null)
        {
            return;
        }

        _waitset = DdsEntityHandle.Create(Native.CreateWaitset(_participant.Entity), "dds_create_waitset", [_participant]);
        _wake = DdsEntityHandle.Create(Native.CreateGuardCondition(_participant.Entity), "dds_create_guardcondition", [_participant]);
        DdsException.Check(Native.WaitsetAttach(_waitset.Entity, _wake.Entity, 0), "dds_waitset_attach");
        _thread = new Thread(WaitLoop) { IsBackground = true, Name = "dds-waitset" };
        _thread.Start();
    }

    private void WaitLoop()
    {
        const int maxTriggered = 32;
        Span<nint> xs = stackalloc nint[maxTriggered];
        var slice = WaitSlice.Ticks * 100;
        while (!_stopping)
        {
            int n;
            unsafe
            {
                fixed (nint* p = xs)
                {
                    n = Native.WaitsetWait(_waitset!.Entity, p, maxTriggered, slice);
                }
            }

            if (n < 0 || _stopping)
            {
                if (n < 0)
                {
                    Thread.Sleep(10);
                }

                continue;
            }

            for (var i = 0; i < Math.Min(n, maxTriggered); i++)
            {
                DdsReader? r;
                lock (_gate)
                {
                    _readers.TryGetValue(xs[i], out r);
                }

                if (r is null)
                {
                    continue;
                }

                try
                {
                    r.Drain();
                }
#pragma warning disable CA1031 // a faulty handler must not stop delivery to the others
                catch (Exception e)
#pragma warning restore CA1031
                {
                    HandlerError?.Invoke(e);
                }
            }
        }
    }
}

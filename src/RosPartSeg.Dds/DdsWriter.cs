using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>A writer of raw CDR samples. Thread-safe; owned by its participant.</summary>
public sealed class DdsWriter : DdsEndpoint
{
    private readonly nint _sertype;

    internal DdsWriter(DdsEntityHandle handle, nint sertype, DdsGuid guid, string topic, string type, DdsQos qos)
        : base(handle, guid, topic, type, qos)
    {
        _sertype = sertype;
    }

    /// <summary>Number of readers currently matched (publication matched status).</summary>
    public int MatchedReaders => Matched();

    /// <summary>
    /// Writes one serialized sample (starting with its 4-byte encapsulation header). The bytes are copied once into
    /// native memory that Cyclone owns from then on; nothing is allocated on the managed heap.
    /// </summary>
    public void Write(ReadOnlySpan<byte> cdr)
    {
        if (cdr.Length < 4)
        {
            throw new ArgumentException("a serialized sample starts with a 4-byte encapsulation header", nameof(cdr));
        }

        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        var d = RawCdrType.CreateSample(_sertype, cdr);

        // dds_writecdr consumes the reference whether it succeeds or not. The message names the topic, so it is
        // formatted only on failure.
        var rc = Native.WriteCdr(Handle.Entity, d);
        if (rc < 0)
        {
            throw new DdsException($"dds_writecdr({TopicName})", rc);
        }
    }

    /// <summary>The USER_DATA of every reader matched now (a service looks for its client's reply reader).</summary>
    internal unsafe List<string> MatchedReadersUserData()
    {
        var result = new List<string>();
        if (Handle.IsClosed)
        {
            return result;
        }

        var handles = stackalloc ulong[64];
        var n = Math.Min(Native.GetMatchedSubscriptions(Handle.Entity, handles, 64), 64);
        for (var i = 0; i < n; i++)
        {
            var ep = Native.GetMatchedSubscriptionData(Handle.Entity, handles[i]);
            if (ep != 0)
            {
                result.Add(MatchedEndpoints.UserDataAndFree(ep));
            }
        }

        return result;
    }

    private protected override int QueryMatched(int entity)
    {
        DdsException.Check(Native.GetPublicationMatchedStatus(entity, out var s), "dds_get_publication_matched_status");
        return (int)s.CurrentCount;
    }
}

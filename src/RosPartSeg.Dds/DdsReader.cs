using System.Buffers;
using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>Receives one sample with the instance handle of the writer that sent it (a service's request).</summary>
internal delegate void DdsSampleFromHandler(ReadOnlySpan<byte> cdr, ulong publicationHandle);

/// <summary>A reader of raw CDR samples; its handler runs on the participant's waitset thread.</summary>
public sealed class DdsReader : DdsEndpoint, IDisposable
{
    private readonly DdsEntityHandle _condition;
    private readonly DdsSampleHandler? _handler;
    private readonly DdsSampleFromHandler? _handlerFrom;

    internal DdsReader(DdsEntityHandle handle, DdsEntityHandle condition, DdsGuid guid, string topic, string type, DdsQos qos, DdsSampleHandler handler)
        : base(handle, guid, topic, type, qos)
    {
        _condition = condition;
        _handler = handler;
    }

    internal DdsReader(DdsEntityHandle handle, DdsEntityHandle condition, DdsGuid guid, string topic, string type, DdsQos qos, DdsSampleFromHandler handler)
        : base(handle, guid, topic, type, qos)
    {
        _condition = condition;
        _handlerFrom = handler;
    }

    /// <summary>Number of writers currently matched (subscription matched status).</summary>
    public int MatchedWriters => Matched();

    internal Action? Detach { get; set; }

    /// <summary>Stops delivery and deletes the reader.</summary>
    public void Dispose()
    {
        Detach?.Invoke();
        _condition.Dispose();
        Handle.Dispose();
    }

    /// <summary>Takes every available sample and hands each valid one to the handler.</summary>
    internal unsafe void Drain()
    {
        if (!Handle.TryEnter())
        {
            return; // disposed meanwhile
        }

        try
        {
            DrainHeld();
        }
        finally
        {
            Handle.Exit();
        }
    }

    private unsafe void DrainHeld()
    {
        while (!Handle.IsClosed) // disposing the reader stops delivery; the entity goes when this returns
        {
            nint d = 0;
            Native.SampleInfo info;
            var n = Native.TakeCdr(Handle.Entity, &d, 1, &info, Native.AnyState);
            if (n <= 0)
            {
                return;
            }

            try
            {
                if (!info.ValidData)
                {
                    continue;
                }

                if (RawCdrType.IsOurs(d))
                {
                    Hand(RawCdrType.Payload(d), info.PublicationHandle);
                }
                else
                {
                    Deliver(d, info.PublicationHandle);
                }
            }
            finally
            {
                Native.SerdataUnref(d);
            }
        }
    }

    /// <summary>The USER_DATA of a matched writer, or null when it is not (or no longer) matched.</summary>
    internal string? MatchedWriterUserData(ulong publicationHandle)
    {
        if (!Handle.TryEnter())
        {
            return null;
        }

        try
        {
            var ep = Native.GetMatchedPublicationData(Handle.Entity, publicationHandle);
            return ep == 0 ? null : MatchedEndpoints.UserDataAndFree(ep);
        }
        finally
        {
            Handle.Exit();
        }
    }

    private protected override int QueryMatched(int entity)
    {
        DdsException.Check(Native.GetSubscriptionMatchedStatus(entity, out var s), "dds_get_subscription_matched_status");
        return (int)s.CurrentCount;
    }

    private void Hand(ReadOnlySpan<byte> cdr, ulong publicationHandle)
    {
        if (_handlerFrom is not null)
        {
            _handlerFrom(cdr, publicationHandle);
        }
        else
        {
            _handler!(cdr);
        }
    }

    // A sample made by another sertype (a local writer on the same topic with a different type): copy it out.
    private unsafe void Deliver(nint d, ulong publicationHandle)
    {
        var size = (int)Native.SerdataSize(d);
        var buf = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            fixed (byte* p = buf)
            {
                Native.SerdataToSer(d, 0, (nuint)size, p);
            }

            fixed (byte* p = buf)
            {
                size -= RawCdrType.PaddingOf(p, size);
            }

            Hand(buf.AsSpan(0, size), publicationHandle);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
    }
}

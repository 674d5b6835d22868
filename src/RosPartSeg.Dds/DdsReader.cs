using System.Buffers;
using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>A reader of raw CDR samples; its handler runs on the participant's waitset thread.</summary>
public sealed class DdsReader : IDisposable
{
    private readonly DdsEntityHandle _handle;
    private readonly DdsEntityHandle _condition;
    private readonly DdsSampleHandler _handler;

    internal DdsReader(DdsEntityHandle handle, DdsEntityHandle condition, DdsGuid guid, string topic, string type, DdsQos qos, DdsSampleHandler handler)
    {
        _handle = handle;
        _condition = condition;
        _handler = handler;
        Guid = guid;
        TopicName = topic;
        TypeName = type;
        Qos = qos;
    }

    public DdsGuid Guid { get; }

    public string TopicName { get; }

    public string TypeName { get; }

    public DdsQos Qos { get; }

    /// <summary>Number of writers currently matched (subscription matched status).</summary>
    public int MatchedWriters
    {
        get
        {
            if (_handle.IsClosed)
            {
                return 0;
            }

            DdsException.Check(Native.GetSubscriptionMatchedStatus(_handle.Entity, out var s), "dds_get_subscription_matched_status");
            return (int)s.CurrentCount;
        }
    }

    internal Action? Detach { get; set; }

    /// <summary>Stops delivery and deletes the reader.</summary>
    public void Dispose()
    {
        Detach?.Invoke();
        _condition.Dispose();
        _handle.Dispose();
    }

    /// <summary>Takes every available sample and hands each valid one to the handler.</summary>
    internal unsafe void Drain()
    {
        while (!_handle.IsClosed)
        {
            nint d = 0;
            Native.SampleInfo info;
            var n = Native.TakeCdr(_handle.Entity, &d, 1, &info, Native.AnyState);
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
                    _handler(RawCdrType.Payload(d));
                }
                else
                {
                    Deliver(d);
                }
            }
            finally
            {
                Native.SerdataUnref(d);
            }
        }
    }

    // A sample made by another sertype (a local writer on the same topic with a different type): copy it out.
    private unsafe void Deliver(nint d)
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

            _handler(buf.AsSpan(0, size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
    }
}

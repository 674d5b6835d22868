using System.Diagnostics.CodeAnalysis;
using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>A writer of raw CDR samples. Thread-safe; owned by its participant.</summary>
public sealed class DdsWriter : DdsEndpoint
{
    private readonly nint _sertype;

    /// <param name="sertype">The topic's sertype; <paramref name="handle"/> holds a reference to it for as long as the writer exists.</param>
    internal DdsWriter(DdsEntityHandle handle, nint sertype, DdsGuid guid, string topic, string type, DdsQos qos)
        : base(handle, guid, topic, type, qos)
    {
        _sertype = sertype;
    }

    /// <summary>Number of readers currently matched (publication matched status).</summary>
    public int MatchedReaders => Matched();

    /// <summary>The sertype its samples are made with.</summary>
    internal nint Sertype => _sertype;

    /// <summary>Tests only: runs inside <see cref="Write"/> after the writer is held and before the sample is made.</summary>
    internal Action? BeforeNativeWrite { get; set; }

    /// <summary>
    /// Writes one serialized sample (starting with its 4-byte encapsulation header). The bytes are copied once into
    /// native memory that Cyclone owns from then on; nothing is allocated on the managed heap. Throws
    /// <see cref="ObjectDisposedException"/> once the participant is disposed; a write already under way when it is
    /// disposed completes, and the writer is deleted after it.
    /// </summary>
    public void Write(ReadOnlySpan<byte> cdr)
    {
        if (cdr.Length < 4)
        {
            throw new ArgumentException("a serialized sample starts with a 4-byte encapsulation header", nameof(cdr));
        }

        // Held for the whole call: dds_writecdr takes the sample only from a writer that still exists (from a
        // deleted one it returns an error and the sample would leak), and the sample is made with the sertype the
        // writer's handle keeps alive.
        if (!Handle.TryEnter())
        {
            ThrowDisposed();
        }

        int rc;
        try
        {
            BeforeNativeWrite?.Invoke();
            // From a writer that exists (without a content filter: ours have none) it takes the sample, failing or not.
            rc = Native.WriteCdr(Handle.Entity, RawCdrType.CreateSample(_sertype, cdr));
        }
        finally
        {
            Handle.Exit();
        }

        if (rc < 0)
        {
            ThrowWriteFailed(rc); // the message names the topic, so it is formatted only on failure
        }
    }

    /// <summary>The USER_DATA of every reader matched now (a service looks for its client's reply reader).</summary>
    internal unsafe List<string> MatchedReadersUserData()
    {
        var result = new List<string>();
        if (!Handle.TryEnter())
        {
            return result;
        }

        try
        {
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
        }
        finally
        {
            Handle.Exit();
        }

        return result;
    }

    private protected override int QueryMatched(int entity)
    {
        DdsException.Check(Native.GetPublicationMatchedStatus(entity, out var s), "dds_get_publication_matched_status");
        return (int)s.CurrentCount;
    }

    [DoesNotReturn]
    private void ThrowDisposed() => throw new ObjectDisposedException(nameof(DdsWriter), $"the writer of {TopicName} is deleted (its participant was disposed)");

    [DoesNotReturn]
    private void ThrowWriteFailed(int rc) => throw new DdsException($"dds_writecdr({TopicName})", rc);
}

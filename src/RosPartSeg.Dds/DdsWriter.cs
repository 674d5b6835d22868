using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>A writer of raw CDR samples. Thread-safe; owned by its participant.</summary>
public sealed class DdsWriter
{
    private readonly DdsEntityHandle _handle;
    private readonly nint _sertype;

    internal DdsWriter(DdsEntityHandle handle, nint sertype, DdsGuid guid, string topic, string type, DdsQos qos)
    {
        _handle = handle;
        _sertype = sertype;
        Guid = guid;
        TopicName = topic;
        TypeName = type;
        Qos = qos;
    }

    public DdsGuid Guid { get; }

    public string TopicName { get; }

    public string TypeName { get; }

    public DdsQos Qos { get; }

    /// <summary>Number of readers currently matched (publication matched status).</summary>
    public int MatchedReaders
    {
        get
        {
            if (_handle.IsClosed)
            {
                return 0;
            }

            DdsException.Check(Native.GetPublicationMatchedStatus(_handle.Entity, out var s), "dds_get_publication_matched_status");
            return (int)s.CurrentCount;
        }
    }

    /// <summary>
    /// Writes one serialized sample (starting with its 4-byte encapsulation header). The bytes are copied once into
    /// native memory that Cyclone owns from then on.
    /// </summary>
    public void Write(ReadOnlySpan<byte> cdr)
    {
        if (cdr.Length < 4)
        {
            throw new ArgumentException("a serialized sample starts with a 4-byte encapsulation header", nameof(cdr));
        }

        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var d = RawCdrType.CreateSample(_sertype, cdr);

        // dds_writecdr consumes the reference whether it succeeds or not.
        DdsException.Check(Native.WriteCdr(_handle.Entity, d), $"dds_writecdr({TopicName})");
    }
}

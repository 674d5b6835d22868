using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Rmw;

/// <summary>
/// rmw_cyclonedds' <c>cdds_request_header_t</c>, the first member of every request and reply on <c>rq/</c> and
/// <c>rr/</c> topics: uint64 guid (the client's request writer, as rmw_cyclonedds identifies it), int64 sequence
/// number. A service copies both from the request into its reply; clients drop replies with another guid.
/// 16 bytes at offset 0 of the payload, so the service's own fields keep their alignment.
/// </summary>
public readonly record struct ServiceHeader(ulong Guid, long Sequence)
{
    public const int Size = 16;

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt64(Guid);
        writer.WriteInt64(Sequence);
    }

    public static ServiceHeader Read(ref CdrReader reader) => new(reader.ReadUInt64(), reader.ReadInt64());
}

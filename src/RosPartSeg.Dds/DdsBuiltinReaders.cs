using System.Runtime.InteropServices;
using System.Text;
using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>One discovered reader or writer, as the DCPSPublication/DCPSSubscription built-in topics report it.</summary>
public sealed record DdsEndpointInfo(
    DdsGuid Guid,
    DdsGuid ParticipantGuid,
    string TopicName,
    string TypeName,
    DdsReliability Reliability,
    DdsDurability Durability,
    int HistoryDepth,
    string UserData);

/// <summary>One discovered participant with its USER_DATA.</summary>
public sealed record DdsParticipantInfo(DdsGuid Guid, string UserData);

/// <summary>Takes discovered endpoints from a built-in topic (for tests and tools).</summary>
public sealed class DdsBuiltinEndpointReader
{
    private readonly DdsEntityHandle _handle;

    internal DdsBuiltinEndpointReader(DdsEntityHandle handle) => _handle = handle;

    /// <summary>Takes what has been discovered since the last call (alive endpoints only).</summary>
    public unsafe IReadOnlyList<DdsEndpointInfo> Take() => BuiltinSamples.TakeAlive(_handle, &ToEndpoint);

    // Layout of dds_builtintopic_endpoint_t on LP64: key, participant key, participant handle, topic, type, qos.
    private static unsafe DdsEndpointInfo ToEndpoint(byte* p)
    {
        var qos = *(nint*)(p + 56);
        Native.QgetReliability(qos, out var rel, out _);
        Native.QgetDurability(qos, out var dur);
        Native.QgetHistory(qos, out var histKind, out var depth);
        return new DdsEndpointInfo(
            new DdsGuid(new ReadOnlySpan<byte>(p, 16)),
            new DdsGuid(new ReadOnlySpan<byte>(p + 16, 16)),
            Marshal.PtrToStringUTF8(*(nint*)(p + 40)) ?? "",
            Marshal.PtrToStringUTF8(*(nint*)(p + 48)) ?? "",
            (DdsReliability)rel,
            (DdsDurability)dur,
            histKind == 0 ? depth : 0,
            BuiltinUserData.Read(qos));
    }
}

/// <summary>Takes discovered participants from the DCPSParticipant built-in topic.</summary>
public sealed class DdsBuiltinParticipantReader
{
    private readonly DdsEntityHandle _handle;

    internal DdsBuiltinParticipantReader(DdsEntityHandle handle) => _handle = handle;

    public unsafe IReadOnlyList<DdsParticipantInfo> Take() => BuiltinSamples.TakeAlive(_handle, &ToParticipant);

    // dds_builtintopic_participant_t: key, then the qos pointer.
    private static unsafe DdsParticipantInfo ToParticipant(byte* p)
        => new(new DdsGuid(new ReadOnlySpan<byte>(p, 16)), BuiltinUserData.Read(*(nint*)(p + 16)));
}

/// <summary>Takes every sample of a built-in topic reader, keeping the alive ones, and returns the loans.</summary>
internal static class BuiltinSamples
{
    private const int Batch = 64;

    // instance_state 16 = ALIVE
    private const uint Alive = 16;

    public static unsafe List<T> TakeAlive<T>(DdsEntityHandle handle, delegate*<byte*, T> convert)
    {
        ObjectDisposedException.ThrowIf(!handle.TryEnter(), handle);
        try
        {
            return TakeAliveHeld(handle, convert);
        }
        finally
        {
            handle.Exit();
        }
    }

    private static unsafe List<T> TakeAliveHeld<T>(DdsEntityHandle handle, delegate*<byte*, T> convert)
    {
        var result = new List<T>();
        var bufs = stackalloc nint[Batch];
        var infos = stackalloc Native.SampleInfo[Batch];
        while (true)
        {
            bufs[0] = 0;
            var n = DdsException.Check(Native.Take(handle.Entity, bufs, infos, Batch, Batch), "dds_take(builtin)");
            if (n == 0)
            {
                return result;
            }

            try
            {
                for (var i = 0; i < n; i++)
                {
                    if (infos[i].ValidData && infos[i].InstanceState == Alive)
                    {
                        result.Add(convert((byte*)bufs[i]));
                    }
                }
            }
            finally
            {
                Native.ReturnLoan(handle.Entity, bufs, n);
            }
        }
    }
}

/// <summary>The discovery data of one matched endpoint (a <c>dds_builtintopic_endpoint_t</c> the caller owns).</summary>
internal static class MatchedEndpoints
{
    // Layout as in DdsBuiltinEndpointReader: the qos pointer at byte 56 on LP64.
    internal static unsafe string UserDataAndFree(nint endpoint)
    {
        try
        {
            return BuiltinUserData.Read(*(nint*)((byte*)endpoint + 56));
        }
        finally
        {
            Native.BuiltinTopicFreeEndpoint(endpoint);
        }
    }
}

internal static class BuiltinUserData
{
    internal static unsafe string Read(nint qos)
    {
        nint value = 0;
        nuint size = 0;
        if (qos == 0 || !Native.QgetUserdata(qos, &value, &size) || value == 0)
        {
            return "";
        }

        try
        {
            return Encoding.UTF8.GetString((byte*)value, (int)size);
        }
        finally
        {
            Native.Free(value);
        }
    }
}

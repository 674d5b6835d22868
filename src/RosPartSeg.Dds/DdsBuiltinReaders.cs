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
    public unsafe IReadOnlyList<DdsEndpointInfo> Take()
    {
        const int max = 64;
        var result = new List<DdsEndpointInfo>();
        var bufs = stackalloc nint[max];
        var infos = stackalloc Native.SampleInfo[max];
        while (true)
        {
            bufs[0] = 0;
            var n = DdsException.Check(Native.Take(_handle.Entity, bufs, infos, max, max), "dds_take(builtin)");
            if (n == 0)
            {
                return result;
            }

            try
            {
                for (var i = 0; i < n; i++)
                {
                    // instance_state 16 = ALIVE
                    if (!infos[i].ValidData || infos[i].InstanceState != 16)
                    {
                        continue;
                    }

                    var p = (byte*)bufs[i];
                    var qos = *(nint*)(p + 56);
                    Native.QgetReliability(qos, out var rel, out _);
                    Native.QgetDurability(qos, out var dur);
                    Native.QgetHistory(qos, out var histKind, out var depth);
                    result.Add(new DdsEndpointInfo(
                        new DdsGuid(new ReadOnlySpan<byte>(p, 16)),
                        new DdsGuid(new ReadOnlySpan<byte>(p + 16, 16)),
                        Marshal.PtrToStringUTF8(*(nint*)(p + 40)) ?? "",
                        Marshal.PtrToStringUTF8(*(nint*)(p + 48)) ?? "",
                        (DdsReliability)rel,
                        (DdsDurability)dur,
                        histKind == 0 ? depth : 0,
                        BuiltinUserData.Read(qos)));
                }
            }
            finally
            {
                Native.ReturnLoan(_handle.Entity, bufs, n);
            }
        }
    }
}

/// <summary>Takes discovered participants from the DCPSParticipant built-in topic.</summary>
public sealed class DdsBuiltinParticipantReader
{
    private readonly DdsEntityHandle _handle;

    internal DdsBuiltinParticipantReader(DdsEntityHandle handle) => _handle = handle;

    public unsafe IReadOnlyList<DdsParticipantInfo> Take()
    {
        const int max = 32;
        var result = new List<DdsParticipantInfo>();
        var bufs = stackalloc nint[max];
        var infos = stackalloc Native.SampleInfo[max];
        while (true)
        {
            bufs[0] = 0;
            var n = DdsException.Check(Native.Take(_handle.Entity, bufs, infos, max, max), "dds_take(builtin)");
            if (n == 0)
            {
                return result;
            }

            try
            {
                for (var i = 0; i < n; i++)
                {
                    if (infos[i].ValidData && infos[i].InstanceState == 16)
                    {
                        var p = (byte*)bufs[i];
                        result.Add(new DdsParticipantInfo(new DdsGuid(new ReadOnlySpan<byte>(p, 16)), BuiltinUserData.Read(*(nint*)(p + 16))));
                    }
                }
            }
            finally
            {
                Native.ReturnLoan(_handle.Entity, bufs, n);
            }
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

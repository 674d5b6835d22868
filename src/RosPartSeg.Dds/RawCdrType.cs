using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>
/// A Cyclone DDS type ("sertype") whose samples are opaque serialized bytes, encapsulation header included, so the
/// project's own CDR codec does all (de)serialization. The sertype and serdata operation tables are native memory
/// filled with pointers to the static callbacks below; Cyclone calls them from its own threads.
/// </summary>
/// <remarks>
/// Layouts follow Cyclone DDS 0.10.x on 64-bit Linux, built with or without the Iceoryx (SHM) fields: every native
/// struct we allocate reserves room for the SHM variant, and the trailing SHM members of the ops table are null.
/// </remarks>
internal static unsafe class RawCdrType
{
    // struct ddsi_serdata: ops, hash, refc, kind, type, timestamp, statusinfo, twrite (+ iox_chunk, iox_subscriber).
    private const int SerdataRefcOffset = 12;
    private const int SerdataTypeOffset = 24;
    private const int SerdataHeaderSize = 80;

    // Our serdata: the Cyclone header, then uint32 payload size (and a uint32 test flag), then the payload (padded to a multiple of 4).
    private const int SizeOffset = SerdataHeaderSize;
    private const int PayloadOffset = SerdataHeaderSize + 16;

    // struct ddsi_sertype is 80 bytes with SHM; reserve more.
    private const int SertypeSize = 128;
    private const uint FlagTopicKindNoKey = 1;

    // struct nn_rmsg is 48 bytes on LP64 (its payload follows it); struct nn_rdata: rmsg, nextfrag, min, maxp1, ..., payload_zoff.
    private const int RmsgSize = 48;

    private const int KindKey = 1;
    private const int KindData = 2;

    // A flag in our serdata's spare header bytes: made by CreateSample with the tracked sertype (tests only).
    private const int TrackedOffset = SizeOffset + 4;

    private static readonly nint SerdataOps = CreateSerdataOps();
    private static long _trackedLive;

    /// <summary>
    /// Tests only: samples <see cref="CreateSample"/> makes with this sertype are counted in <see cref="TrackedLive"/>
    /// until Cyclone frees them, so a test can see a leaked sample (0: none tracked).
    /// </summary>
    internal static nint TrackedSertype { get; set; }

    /// <summary>Samples of <see cref="TrackedSertype"/> made and not yet freed.</summary>
    internal static long TrackedLive => Interlocked.Read(ref _trackedLive);
    private static readonly nint SertypeOps = CreateSertypeOps();

    /// <summary>Creates a sertype with refcount 1; ownership passes to <c>dds_create_topic_sertype</c> on success.</summary>
    internal static nint CreateSertype(string typeName)
    {
        Native.EnsureLoaded();
        var tp = (nint)NativeMemory.AllocZeroed(SertypeSize);
        Native.SertypeInitFlags(tp, typeName, SertypeOps, SerdataOps, FlagTopicKindNoKey);
        return tp;
    }

    /// <summary>True when the serdata was made by this type (so its payload can be read in place).</summary>
    internal static bool IsOurs(nint serdata) => *(nint*)serdata == SerdataOps;

    /// <summary>The payload of one of our serdata, valid while the caller holds a reference to it.</summary>
    internal static ReadOnlySpan<byte> Payload(nint serdata)
    {
        var p = (byte*)serdata + PayloadOffset;
        var size = (int)*(uint*)((byte*)serdata + SizeOffset);
        return new(p, size - PaddingOf(p, size));
    }

    /// <summary>Trailing padding announced by the encapsulation options (XCDR), when plausible.</summary>
    internal static int PaddingOf(byte* p, int size)
    {
        if (size < 8 || (size & 3) != 0)
        {
            return 0; // not padded (e.g. delivered in-process without a trip through the wire)
        }

        var padding = p[3] & 3;
        return size - padding >= 4 ? padding : 0;
    }

    /// <summary>Makes a serdata (refcount 1) holding a copy of <paramref name="cdr"/> for <c>dds_writecdr</c>.</summary>
    internal static nint CreateSample(nint sertype, ReadOnlySpan<byte> cdr)
    {
        var d = Allocate(sertype, KindData, (uint)cdr.Length);
        if (sertype == TrackedSertype)
        {
            *(uint*)((byte*)d + TrackedOffset) = 1;
            Interlocked.Increment(ref _trackedLive);
        }

        var payload = new Span<byte>((byte*)d + PayloadOffset, cdr.Length);
        cdr.CopyTo(payload);

        // The wire carries the payload padded to a multiple of 4; the last two bits of the encapsulation options
        // say how many of those bytes are padding, so the reader can give back exactly what was written.
        var padding = (4 - (cdr.Length & 3)) & 3;
        if (padding != 0 && (payload[3] & 3) == 0)
        {
            payload[3] |= (byte)padding;
        }

        return d;
    }

    private static nint Allocate(nint sertype, int kind, uint size)
    {
        var padded = (size + 3u) & ~3u;
        var d = (nint)NativeMemory.Alloc((nuint)(PayloadOffset + padded));
        new Span<byte>((void*)d, PayloadOffset).Clear();
        if (padded > size)
        {
            new Span<byte>((byte*)d + PayloadOffset + size, (int)(padded - size)).Clear();
        }

        Native.SerdataInit(d, sertype, kind);
        *(uint*)((byte*)d + SizeOffset) = size;
        return d;
    }

    private static nint CreateSerdataOps()
    {
        const int count = 17; // 15 members + 2 SHM members (left null)
        var ops = (nint*)NativeMemory.AllocZeroed((nuint)(count * sizeof(nint)));
        ops[0] = (nint)(delegate* unmanaged<nint, nint, byte>)&EqKey;
        ops[1] = (nint)(delegate* unmanaged<nint, uint>)&GetSize;
        ops[2] = (nint)(delegate* unmanaged<nint, int, nint, nuint, nint>)&FromSer;
        ops[3] = (nint)(delegate* unmanaged<nint, int, nuint, nint, nuint, nint>)&FromSerIov;
        ops[4] = (nint)(delegate* unmanaged<nint, nint, nint>)&FromKeyhash;
        ops[5] = (nint)(delegate* unmanaged<nint, int, nint, nint>)&FromSample;
        ops[6] = (nint)(delegate* unmanaged<nint, nuint, nuint, nint, void>)&ToSer;
        ops[7] = (nint)(delegate* unmanaged<nint, nuint, nuint, nint, nint>)&ToSerRef;
        ops[8] = (nint)(delegate* unmanaged<nint, nint, void>)&ToSerUnref;
        ops[9] = (nint)(delegate* unmanaged<nint, nint, nint, nint, byte>)&ToSample;
        ops[10] = (nint)(delegate* unmanaged<nint, nint>)&ToUntyped;
        ops[11] = (nint)(delegate* unmanaged<nint, nint, nint, nint, nint, byte>)&UntypedToSample;
        ops[12] = (nint)(delegate* unmanaged<nint, void>)&FreeSerdata;
        ops[13] = (nint)(delegate* unmanaged<nint, nint, nint, nuint, nuint>)&Print;
        ops[14] = (nint)(delegate* unmanaged<nint, nint, byte, void>)&GetKeyhash;
        return (nint)ops;
    }

    private static nint CreateSertypeOps()
    {
        const int count = 14;
        var ops = (nint*)NativeMemory.AllocZeroed((nuint)(count * sizeof(nint)));
        ops[0] = Native.Export("ddsi_sertype_v0");
        ops[1] = 0; // arg
        ops[2] = (nint)(delegate* unmanaged<nint, void>)&FreeSertype;
        ops[3] = (nint)(delegate* unmanaged<nint, nint, nuint, void>)&ZeroSamples;
        ops[4] = (nint)(delegate* unmanaged<nint*, nint, nint, nuint, nuint, void>)&ReallocSamples;
        ops[5] = (nint)(delegate* unmanaged<nint, nint*, nuint, int, void>)&FreeSamples;
        ops[6] = (nint)(delegate* unmanaged<nint, nint, byte>)&SertypeEqual;
        ops[7] = (nint)(delegate* unmanaged<nint, uint>)&SertypeHash;
        // 8 type_id, 9 type_map, 10 type_info, 11 derive_sertype: none (no XTypes information, one representation).
        ops[12] = (nint)(delegate* unmanaged<nint, nint, nuint>)&GetSerializedSize;
        ops[13] = (nint)(delegate* unmanaged<nint, nint, nint, nuint, byte>)&SerializeInto;
        return (nint)ops;
    }

    /// <summary>The "application sample" of this type for dds_write/loans: a pointer and a length.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct RawSample
    {
        public byte* Data;
        public nuint Size;
    }

    // ---- serdata operations ----

    [UnmanagedCallersOnly]
    private static byte EqKey(nint a, nint b) => 1; // keyless: one instance

    [UnmanagedCallersOnly]
    private static uint GetSize(nint d) => *(uint*)((byte*)d + SizeOffset);

    [UnmanagedCallersOnly]
    private static nint FromSer(nint type, int kind, nint fragchain, nuint size)
    {
        var d = Allocate(type, kind, (uint)size);
        var dst = (byte*)d + PayloadOffset;
        uint off = 0;
        for (var frag = (byte*)fragchain; frag != null && off < size; frag = *(byte**)(frag + 8))
        {
            var min = *(uint*)(frag + 16);
            var maxp1 = Math.Min(*(uint*)(frag + 20), (uint)size);
            if (maxp1 <= off || min > off)
            {
                continue; // adds nothing new (fragments may overlap) or leaves a gap (never for complete samples)
            }

            var rmsg = *(byte**)frag;
            var payloadZoff = *(ushort*)(frag + 26);
            var src = rmsg + RmsgSize + payloadZoff + (off - min);
            Buffer.MemoryCopy(src, dst + off, maxp1 - off, maxp1 - off);
            off = maxp1;
        }

        return d;
    }

    [UnmanagedCallersOnly]
    private static nint FromSerIov(nint type, int kind, nuint niov, nint iov, nuint size)
    {
        var d = Allocate(type, kind, (uint)size);
        var dst = (byte*)d + PayloadOffset;
        nuint off = 0;
        var vec = (nint*)iov;
        for (nuint i = 0; i < niov && off < size; i++)
        {
            var n = Math.Min((nuint)vec[(2 * (int)i) + 1], size - off);
            Buffer.MemoryCopy((void*)vec[2 * (int)i], dst + off, n, n);
            off += n;
        }

        return d;
    }

    [UnmanagedCallersOnly]
    private static nint FromKeyhash(nint type, nint keyhash)
    {
        var d = Allocate(type, KindKey, 4);
        WriteEmptyHeader(d);
        return d;
    }

    [UnmanagedCallersOnly]
    private static nint FromSample(nint type, int kind, nint sample)
    {
        var s = (RawSample*)sample;
        if (kind != KindData)
        {
            var k = Allocate(type, kind, 4);
            WriteEmptyHeader(k);
            return k;
        }

        var d = Allocate(type, kind, (uint)s->Size);
        Buffer.MemoryCopy(s->Data, (byte*)d + PayloadOffset, s->Size, s->Size);
        return d;
    }

    [UnmanagedCallersOnly]
    private static void ToSer(nint d, nuint off, nuint sz, nint buf) =>
        Buffer.MemoryCopy((byte*)d + PayloadOffset + off, (void*)buf, sz, sz);

    [UnmanagedCallersOnly]
    private static nint ToSerRef(nint d, nuint off, nuint sz, nint iovRef)
    {
        var vec = (nint*)iovRef;
        vec[0] = d + PayloadOffset + (nint)off;
        vec[1] = (nint)sz;
        Interlocked.Increment(ref Unsafe.AsRef<int>((byte*)d + SerdataRefcOffset));
        return d;
    }

    [UnmanagedCallersOnly]
    private static void ToSerUnref(nint d, nint iovRef) => Native.SerdataUnref(d);

    [UnmanagedCallersOnly]
    private static byte ToSample(nint d, nint sample, nint bufptr, nint buflim) => 0; // only the cdr calls are used

    [UnmanagedCallersOnly]
    private static nint ToUntyped(nint d)
    {
        var type = *(nint*)((byte*)d + SerdataTypeOffset);
        var k = Allocate(type, KindKey, 4);
        WriteEmptyHeader(k);
        *(nint*)((byte*)k + SerdataTypeOffset) = 0; // untyped, as the contract asks
        return k;
    }

    [UnmanagedCallersOnly]
    private static byte UntypedToSample(nint type, nint d, nint sample, nint bufptr, nint buflim) => 1; // no key fields

    [UnmanagedCallersOnly]
    private static void FreeSerdata(nint d)
    {
        if (*(uint*)((byte*)d + TrackedOffset) != 0)
        {
            Interlocked.Decrement(ref _trackedLive);
        }

        NativeMemory.Free((void*)d);
    }

    [UnmanagedCallersOnly]
    private static nuint Print(nint type, nint d, nint buf, nuint size)
    {
        if (size > 0)
        {
            *(byte*)buf = 0;
        }

        return 0;
    }

    [UnmanagedCallersOnly]
    private static void GetKeyhash(nint d, nint buf, byte forceMd5) => new Span<byte>((void*)buf, 16).Clear();

    // ---- sertype operations ----

    [UnmanagedCallersOnly]
    private static void FreeSertype(nint tp)
    {
        Native.SertypeFini(tp);
        NativeMemory.Free((void*)tp);
    }

    [UnmanagedCallersOnly]
    private static void ZeroSamples(nint tp, nint samples, nuint count) =>
        new Span<byte>((void*)samples, (int)count * sizeof(RawSample)).Clear();

    [UnmanagedCallersOnly]
    private static void ReallocSamples(nint* ptrs, nint tp, nint old, nuint oldCount, nuint count)
    {
        var size = (nuint)sizeof(RawSample);
        var p = (byte*)NativeMemory.Realloc((void*)old, count * size);
        if (count > oldCount)
        {
            new Span<byte>(p + (oldCount * size), (int)((count - oldCount) * size)).Clear();
        }

        for (nuint i = 0; i < count; i++)
        {
            ptrs[i] = (nint)(p + (i * size));
        }
    }

    [UnmanagedCallersOnly]
    private static void FreeSamples(nint tp, nint* ptrs, nuint count, int op)
    {
        const int freeAllBit = 0x04;
        if ((op & freeAllBit) != 0 && count > 0)
        {
            NativeMemory.Free((void*)ptrs[0]);
        }
    }

    [UnmanagedCallersOnly]
    private static byte SertypeEqual(nint a, nint b) => 1; // same name and ops means the same raw type

    [UnmanagedCallersOnly]
    private static uint SertypeHash(nint tp) => 0;

    [UnmanagedCallersOnly]
    private static nuint GetSerializedSize(nint tp, nint sample) => ((RawSample*)sample)->Size;

    [UnmanagedCallersOnly]
    private static byte SerializeInto(nint tp, nint sample, nint dst, nuint dstSize)
    {
        var s = (RawSample*)sample;
        if (s->Size > dstSize)
        {
            return 0;
        }

        Buffer.MemoryCopy(s->Data, (void*)dst, dstSize, s->Size);
        return 1;
    }

    private static void WriteEmptyHeader(nint d)
    {
        var p = (byte*)d + PayloadOffset;
        p[0] = 0;
        p[1] = 1;
        p[2] = 0;
        p[3] = 0;
    }
}

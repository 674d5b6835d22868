using System.Runtime.InteropServices;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// Where the node's memory is, for <c>/diagnostics</c>: the managed GC heap (live size and what the GC keeps
/// committed), and the C heap that Cyclone DDS and
/// ONNX Runtime allocate from (glibc's <c>mallinfo2</c>: bytes in use, and bytes freed but still held by the
/// allocator). Resident size alone cannot tell a leak (in use grows) from allocator fragmentation (free grows).
/// </summary>
public static partial class ProcessMemory
{
    /// <summary>
    /// One reading; the C heap figures are -1 where glibc's mallinfo2 is not there (musl, glibc before 2.33). Free
    /// bytes are counted before trimming gives their pages back, so they show fragmentation, not resident memory.
    /// </summary>
    public readonly record struct Snapshot(long ManagedHeapBytes, long ManagedCommittedBytes, long NativeInUseBytes, long NativeFreeBytes);

    // Set once a function is found missing (each on its own: glibc before 2.33 has malloc_trim and mallopt, not mallinfo2).
    private static int _noMallinfo2;
    private static int _noMallocTrim;
    private static int _noMallopt;

    public static Snapshot Read()
    {
        var gc = GC.GetGCMemoryInfo();
        long managed = gc.HeapSizeBytes, committed = gc.TotalCommittedBytes;
        // In use: small and large chunks handed out, plus mmapped ones; free: what the arenas hold unused.
        return Glibc(ref _noMallinfo2, static () => (MallInfo2Struct?)MallInfo2(), null) is { } m
            ? new Snapshot(managed, committed, (long)(m.Uordblks + m.Hblkhd), (long)m.Fordblks)
            : new Snapshot(managed, committed, -1, -1);
    }

    /// <summary>
    /// A full, blocking, compacting collection. Once warm the node allocates little, but what it does allocate (log
    /// lines, diagnostics, DDS listeners) is promoted now and then and dies in gen2, which is collected rarely; the GC
    /// meanwhile commits more of its regions (a soak showed one 4 MiB region's committed part grow by ~3 KiB/s while the
    /// heap stayed at 4 MiB). Compacting now and then lets it give that back (the 55-minute soak after it: +0.6 MiB).
    /// </summary>
    public static void CompactManagedHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>
    /// Hands the C heap's free pages back to the kernel (glibc's <c>malloc_trim(0)</c>); false where it is not there.
    /// Frames of a megabyte are freed by other threads than the ones that allocated them (DDS receive, the worker, DDS
    /// writers), and glibc keeps such memory in its per-thread arenas, so without this the resident size creeps up
    /// over hours although nothing leaks (measured: in-use flat, free +11 MiB in 10 minutes).
    /// </summary>
    public static bool TrimNativeHeap() => Glibc(ref _noMallocTrim, static () => MallocTrim(0) >= 0, false);

    /// <summary>
    /// Makes glibc serve every block of 128 KiB or more with its own mapping, returned to the kernel when freed. By
    /// default glibc raises that threshold to the size of the first large block freed, after which megabyte frames
    /// (each DDS sample is one) come from the arenas and fragment them between small allocations. A frame's mapping
    /// costs a few hundred page faults, a fraction of a millisecond against inference. Call once, before the model
    /// loads (ONNX Runtime's arena is allocated once, either way).
    /// </summary>
    public static bool MapLargeBlocks()
    {
        const int mmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h; setting it also fixes the trim threshold
        return Glibc(ref _noMallopt, static () => MallOpt(mmapThreshold, 128 * 1024) == 1, false);
    }

    // A glibc call on Linux; the fallback where the process has no glibc (musl) or an older one without the function,
    // remembered in `missing` so that later calls do not try again.
    private static T Glibc<T>(ref int missing, Func<T> call, T fallback)
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref missing) != 0)
        {
            return fallback;
        }

        try
        {
            return call();
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref missing, 1);
            return fallback;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int MallOpt(int param, int value);

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    /// <summary>glibc's struct mallinfo2: ten size_t fields (man 3 mallinfo2).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2Struct
    {
        public nuint Arena;
        public nuint Ordblks;
        public nuint Smblks;
        public nuint Hblks;
        public nuint Hblkhd;
        public nuint Usmblks;
        public nuint Fsmblks;
        public nuint Uordblks;
        public nuint Fordblks;
        public nuint Keepcost;
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static partial MallInfo2Struct MallInfo2();
}

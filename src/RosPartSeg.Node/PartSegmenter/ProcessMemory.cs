using System.Runtime.InteropServices;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// Where the node's memory is, for <c>/diagnostics</c>: the managed GC heap, and the C heap that Cyclone DDS and
/// ONNX Runtime allocate from (glibc's <c>mallinfo2</c>: bytes in use, and bytes freed but still held by the
/// allocator). Resident size alone cannot tell a leak (in use grows) from allocator fragmentation (free grows).
/// </summary>
public static partial class ProcessMemory
{
    /// <summary>
    /// One reading; the C heap figures are -1 where glibc's mallinfo2 is not there (musl, glibc before 2.33). Free
    /// bytes are counted before trimming gives their pages back, so they show fragmentation, not resident memory.
    /// </summary>
    public readonly record struct Snapshot(long ManagedHeapBytes, long NativeInUseBytes, long NativeFreeBytes);

    private static int _noMallinfo;

    public static Snapshot Read()
    {
        long managed = GC.GetGCMemoryInfo().HeapSizeBytes;
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref _noMallinfo) != 0)
        {
            return new Snapshot(managed, -1, -1);
        }

        try
        {
            var m = MallInfo2();
            // In use: small and large chunks handed out, plus mmapped ones; free: what the arenas hold unused.
            return new Snapshot(managed, (long)(m.Uordblks + m.Hblkhd), (long)m.Fordblks);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref _noMallinfo, 1);
            return new Snapshot(managed, -1, -1);
        }
    }

    /// <summary>
    /// Hands the C heap's free pages back to the kernel (glibc's <c>malloc_trim(0)</c>); false where it is not there.
    /// Frames of a megabyte are freed by other threads than the ones that allocated them (DDS receive, the worker, DDS
    /// writers), and glibc keeps such memory in its per-thread arenas, so without this the resident size creeps up
    /// over hours although nothing leaks (measured: in-use flat, free +11 MiB in 10 minutes).
    /// </summary>
    public static bool TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref _noMallinfo) != 0)
        {
            return false;
        }

        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref _noMallinfo, 1);
            return false;
        }
    }

    /// <summary>
    /// Makes glibc serve every block of 128 KiB or more with its own mapping, returned to the kernel when freed. By
    /// default glibc raises that threshold to the size of the first large block freed, after which megabyte frames
    /// (each DDS sample is one) come from the arenas and fragment them between small allocations. A frame's mapping
    /// costs a few hundred page faults, a fraction of a millisecond against inference. Call once, before the model
    /// loads (ONNX Runtime's arena is allocated once, either way).
    /// </summary>
    public static bool MapLargeBlocks()
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref _noMallinfo) != 0)
        {
            return false;
        }

        try
        {
            const int mmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h; setting it also fixes the trim threshold
            return MallOpt(mmapThreshold, 128 * 1024) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref _noMallinfo, 1);
            return false;
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

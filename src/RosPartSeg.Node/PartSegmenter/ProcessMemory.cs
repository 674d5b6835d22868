using System.Runtime.InteropServices;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// Where the node's memory is, for <c>/diagnostics</c>: the managed GC heap, and the C heap that Cyclone DDS and
/// ONNX Runtime allocate from (glibc's <c>mallinfo2</c>: bytes in use, and bytes freed but still held by the
/// allocator). Resident size alone cannot tell a leak (in use grows) from allocator fragmentation (free grows).
/// </summary>
public static partial class ProcessMemory
{
    /// <summary>One reading; the C heap figures are -1 where glibc's mallinfo2 is not there (musl, glibc before 2.33).</summary>
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

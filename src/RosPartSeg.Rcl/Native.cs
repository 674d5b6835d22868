using System.Runtime.InteropServices;

namespace RosPartSeg.Rcl;

/// <summary>
/// The few C functions rcldotnet does not wrap: CDR (de)serialization of a C message (rmw) and matched endpoint
/// counts (rcl). All are stable C API on Humble and later; the libraries come from the sourced ROS installation.
/// </summary>
internal static unsafe partial class Native
{
    private const string Rmw = "rmw";

    static Native() => NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);

    /// <summary>rcutils_allocator_t: four function pointers and a state pointer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Allocator
    {
        public nint Allocate;
        public nint Deallocate;
        public nint Reallocate;
        public nint ZeroAllocate;
        public nint State;
    }

    /// <summary>rcutils_uint8_array_t, which is rmw_serialized_message_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SerializedMessage
    {
        public byte* Buffer;
        public nuint Length;
        public nuint Capacity;
        public Allocator Allocator;
    }

    [LibraryImport("librcutils.so", EntryPoint = "rcutils_get_default_allocator")]
    internal static partial Allocator DefaultAllocator();

    [LibraryImport("librcutils.so", EntryPoint = "rcutils_uint8_array_init")]
    internal static partial int Uint8ArrayInit(SerializedMessage* array, nuint capacity, Allocator* allocator);

    [LibraryImport("librcutils.so", EntryPoint = "rcutils_uint8_array_fini")]
    internal static partial int Uint8ArrayFini(SerializedMessage* array);

    [LibraryImport(Rmw, EntryPoint = "rmw_serialize")]
    internal static partial int Serialize(nint rosMessage, nint typeSupport, SerializedMessage* serialized);

    [LibraryImport(Rmw, EntryPoint = "rmw_deserialize")]
    internal static partial int Deserialize(SerializedMessage* serialized, nint typeSupport, nint rosMessage);

    [LibraryImport("librcl.so", EntryPoint = "rcl_node_resolve_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int NodeResolveName(nint node, string inputName, Allocator allocator,
        [MarshalAs(UnmanagedType.U1)] bool isService, [MarshalAs(UnmanagedType.U1)] bool onlyExpand, out byte* outputName);

    [LibraryImport("librcl.so", EntryPoint = "rcl_publisher_get_subscription_count")]
    internal static partial int PublisherSubscriptionCount(nint publisher, out nuint count);

    [LibraryImport("librcl.so", EntryPoint = "rcl_subscription_get_publisher_count")]
    internal static partial int SubscriptionPublisherCount(nint subscription, out nuint count);
}

internal static unsafe partial class Native
{
    // rmw functions live in librmw_implementation.so, which loads the RMW named by RMW_IMPLEMENTATION; a ROS
    // built with a single RMW has no such library and rcl links that RMW directly, so fall back to it.
    private static nint Resolve(string name, System.Reflection.Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Rmw)
        {
            return 0;
        }

        if (NativeLibrary.TryLoad("librmw_implementation.so", out var h))
        {
            return h;
        }

        var rmw = Environment.GetEnvironmentVariable("RMW_IMPLEMENTATION") is { Length: > 0 } r ? r : "rmw_cyclonedds_cpp";
        return NativeLibrary.Load($"lib{rmw}.so");
    }
}

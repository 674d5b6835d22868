using System.Runtime.InteropServices;

namespace RosPartSeg.Dds.Interop;

/// <summary>QoS objects (dds_public_qos.h). Enum values follow dds_public_qosdefs.h.</summary>
internal static partial class Native
{
    [LibraryImport(Library, EntryPoint = "dds_create_qos")]
    internal static partial nint CreateQos();

    [LibraryImport(Library, EntryPoint = "dds_delete_qos")]
    internal static partial void DeleteQos(nint qos);

    [LibraryImport(Library, EntryPoint = "dds_qset_reliability")]
    internal static partial void QsetReliability(nint qos, int kind, long maxBlockingNs);

    [LibraryImport(Library, EntryPoint = "dds_qset_history")]
    internal static partial void QsetHistory(nint qos, int kind, int depth);

    [LibraryImport(Library, EntryPoint = "dds_qset_durability")]
    internal static partial void QsetDurability(nint qos, int kind);

    [LibraryImport(Library, EntryPoint = "dds_qset_lifespan")]
    internal static partial void QsetLifespan(nint qos, long lifespanNs);

    [LibraryImport(Library, EntryPoint = "dds_qset_userdata")]
    internal static unsafe partial void QsetUserdata(nint qos, byte* value, nuint size);

    [LibraryImport(Library, EntryPoint = "dds_qset_prop", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void QsetProp(nint qos, string name, string value);

    [LibraryImport(Library, EntryPoint = "dds_qset_writer_data_lifecycle")]
    internal static partial void QsetWriterDataLifecycle(nint qos, [MarshalAs(UnmanagedType.U1)] bool autodispose);

    [LibraryImport(Library, EntryPoint = "dds_qset_data_representation")]
    internal static unsafe partial void QsetDataRepresentation(nint qos, uint n, short* values);

    [LibraryImport(Library, EntryPoint = "dds_qget_reliability")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool QgetReliability(nint qos, out int kind, out long maxBlockingNs);

    [LibraryImport(Library, EntryPoint = "dds_qget_history")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool QgetHistory(nint qos, out int kind, out int depth);

    [LibraryImport(Library, EntryPoint = "dds_qget_durability")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool QgetDurability(nint qos, out int kind);

    [LibraryImport(Library, EntryPoint = "dds_qget_userdata")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static unsafe partial bool QgetUserdata(nint qos, nint* value, nuint* size);

    [LibraryImport(Library, EntryPoint = "dds_free")]
    internal static partial void Free(nint ptr);
}

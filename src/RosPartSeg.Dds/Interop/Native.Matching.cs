using System.Runtime.InteropServices;

namespace RosPartSeg.Dds.Interop;

/// <summary>Matched endpoints of a reader or writer (dds.h): instance handles and their discovery data.</summary>
internal static partial class Native
{
    [LibraryImport(Library, EntryPoint = "dds_get_matched_subscriptions")]
    internal static unsafe partial int GetMatchedSubscriptions(int writer, ulong* handles, nuint count);

    [LibraryImport(Library, EntryPoint = "dds_get_matched_subscription_data")]
    internal static partial nint GetMatchedSubscriptionData(int writer, ulong handle);

    [LibraryImport(Library, EntryPoint = "dds_get_matched_publication_data")]
    internal static partial nint GetMatchedPublicationData(int reader, ulong handle);

    [LibraryImport(Library, EntryPoint = "dds_builtintopic_free_endpoint")]
    internal static partial void BuiltinTopicFreeEndpoint(nint endpoint);
}

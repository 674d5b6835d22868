using System.Runtime.InteropServices;

namespace RosPartSeg.Dds.Interop;

/// <summary>Communication status reads (dds_public_status.h).</summary>
internal static partial class Native
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct MatchedStatus
    {
        public uint TotalCount;
        public int TotalCountChange;
        public uint CurrentCount;
        public int CurrentCountChange;
        public ulong LastHandle;
    }

    [LibraryImport(Library, EntryPoint = "dds_get_publication_matched_status")]
    internal static partial int GetPublicationMatchedStatus(int writer, out MatchedStatus status);

    [LibraryImport(Library, EntryPoint = "dds_get_subscription_matched_status")]
    internal static partial int GetSubscriptionMatchedStatus(int reader, out MatchedStatus status);
}

using System.Runtime.InteropServices;

namespace RosPartSeg.Dds.Interop;

/// <summary>Entity lifecycle: participants, topics, readers, writers, conditions and waitsets.</summary>
internal static partial class Native
{
    internal const uint DomainDefault = 0xffffffffu;
    internal const uint AnyState = 1u | 2u | 4u | 8u | 16u | 32u | 64u;

    [LibraryImport(Library, EntryPoint = "dds_create_participant")]
    internal static partial int CreateParticipant(uint domain, nint qos, nint listener);

    [LibraryImport(Library, EntryPoint = "dds_create_topic_sertype", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int CreateTopicSertype(int participant, string name, nint* sertype, nint qos, nint listener, nint sedpPlist);

    [LibraryImport(Library, EntryPoint = "dds_create_reader")]
    internal static partial int CreateReader(int participant, int topic, nint qos, nint listener);

    [LibraryImport(Library, EntryPoint = "dds_create_writer")]
    internal static partial int CreateWriter(int participant, int topic, nint qos, nint listener);

    [LibraryImport(Library, EntryPoint = "dds_delete")]
    internal static partial int Delete(int entity);

    [LibraryImport(Library, EntryPoint = "dds_get_guid")]
    internal static unsafe partial int GetGuid(int entity, byte* guid16);

    [LibraryImport(Library, EntryPoint = "dds_get_domainid")]
    internal static partial int GetDomainId(int entity, out uint domain);

    [LibraryImport(Library, EntryPoint = "dds_create_readcondition")]
    internal static partial int CreateReadCondition(int reader, uint mask);

    [LibraryImport(Library, EntryPoint = "dds_create_guardcondition")]
    internal static partial int CreateGuardCondition(int participant);

    [LibraryImport(Library, EntryPoint = "dds_set_guardcondition")]
    internal static partial int SetGuardCondition(int guard, [MarshalAs(UnmanagedType.U1)] bool triggered);

    [LibraryImport(Library, EntryPoint = "dds_create_waitset")]
    internal static partial int CreateWaitset(int participant);

    [LibraryImport(Library, EntryPoint = "dds_waitset_attach")]
    internal static partial int WaitsetAttach(int waitset, int entity, nint x);

    [LibraryImport(Library, EntryPoint = "dds_waitset_detach")]
    internal static partial int WaitsetDetach(int waitset, int entity);

    [LibraryImport(Library, EntryPoint = "dds_waitset_wait")]
    internal static unsafe partial int WaitsetWait(int waitset, nint* xs, nuint nxs, long relTimeoutNs);

    [LibraryImport(Library, EntryPoint = "dds_strretcode")]
    internal static partial nint StrRetCode(int rc);
}

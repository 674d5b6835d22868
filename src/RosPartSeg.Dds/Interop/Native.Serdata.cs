using System.Runtime.InteropServices;

namespace RosPartSeg.Dds.Interop;

/// <summary>
/// Serialized-data plumbing (ddsi_sertype.h, ddsi_serdata.h, dds.h "cdr" calls) used by the raw CDR type,
/// plus the loaned-sample take used for the built-in discovery topics.
/// </summary>
internal static partial class Native
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct SampleInfo
    {
        public uint SampleState;
        public uint ViewState;
        public uint InstanceState;
        [MarshalAs(UnmanagedType.U1)] public bool ValidData;
        public long SourceTimestamp;
        public ulong InstanceHandle;
        public ulong PublicationHandle;
        public uint DisposedGenerationCount;
        public uint NoWritersGenerationCount;
        public uint SampleRank;
        public uint GenerationRank;
        public uint AbsoluteGenerationRank;
    }

    [LibraryImport(Library, EntryPoint = "ddsi_sertype_init_flags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void SertypeInitFlags(nint sertype, string typeName, nint sertypeOps, nint serdataOps, uint flags);

    [LibraryImport(Library, EntryPoint = "ddsi_sertype_fini")]
    internal static partial void SertypeFini(nint sertype);

    [LibraryImport(Library, EntryPoint = "ddsi_sertype_ref")]
    internal static partial nint SertypeRef(nint sertype);

    [LibraryImport(Library, EntryPoint = "ddsi_sertype_unref")]
    internal static partial void SertypeUnref(nint sertype);

    [LibraryImport(Library, EntryPoint = "ddsi_serdata_init")]
    internal static partial void SerdataInit(nint serdata, nint sertype, int kind);

    [LibraryImport(Library, EntryPoint = "ddsi_serdata_unref")]
    internal static partial void SerdataUnref(nint serdata);

    [LibraryImport(Library, EntryPoint = "ddsi_serdata_size")]
    internal static partial uint SerdataSize(nint serdata);

    [LibraryImport(Library, EntryPoint = "ddsi_serdata_to_ser")]
    internal static unsafe partial void SerdataToSer(nint serdata, nuint offset, nuint size, byte* buffer);

    [LibraryImport(Library, EntryPoint = "dds_writecdr")]
    internal static partial int WriteCdr(int writer, nint serdata);

    [LibraryImport(Library, EntryPoint = "dds_takecdr")]
    internal static unsafe partial int TakeCdr(int readerOrCondition, nint* buffers, uint maxSamples, SampleInfo* infos, uint mask);

    [LibraryImport(Library, EntryPoint = "dds_take")]
    internal static unsafe partial int Take(int readerOrCondition, nint* buffers, SampleInfo* infos, nuint bufferSize, uint maxSamples);

    [LibraryImport(Library, EntryPoint = "dds_return_loan")]
    internal static unsafe partial int ReturnLoan(int readerOrCondition, nint* buffers, int bufferSize);
}

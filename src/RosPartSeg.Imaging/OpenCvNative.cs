using System.Runtime.InteropServices;

namespace RosPartSeg.Imaging;

/// <summary>
/// The few entry points of OpenCvSharp's native library that decoding needs, called directly: OpenCvSharp's own
/// wrappers allocate a managed <c>Mat</c> (and array proxies) per call, and the live node's compressed input must
/// allocate nothing per frame once warm. Each returns OpenCvSharp's exception status (0: none).
/// </summary>
internal static partial class OpenCvNative
{
    private const string Library = "OpenCvSharpExtern";

    [LibraryImport(Library, EntryPoint = "imgcodecs_imdecode_vector")]
    internal static unsafe partial int ImDecode(byte* buffer, int length, int flags, out nint mat);

    [LibraryImport(Library, EntryPoint = "core_Mat_delete")]
    internal static partial int MatDelete(nint mat);

    [LibraryImport(Library, EntryPoint = "core_Mat_rows")]
    internal static partial int MatRows(nint mat, out int rows);

    [LibraryImport(Library, EntryPoint = "core_Mat_cols")]
    internal static partial int MatCols(nint mat, out int cols);

    [LibraryImport(Library, EntryPoint = "core_Mat_type")]
    internal static partial int MatType(nint mat, out int type);

    [LibraryImport(Library, EntryPoint = "core_Mat_data")]
    internal static partial int MatData(nint mat, out nint data);

    [LibraryImport(Library, EntryPoint = "core_Mat_step")]
    internal static partial int MatStep(nint mat, out nint step);
}

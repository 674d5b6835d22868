using System.Runtime.InteropServices;

namespace RosPartSeg.Imaging.Interop;

/// <summary>
/// libpng's simplified read API (<c>png_image_*</c>, libpng 1.6) from the system's <c>libpng16.so.16</c>. Unlike
/// the classic API it reports errors in the <see cref="PngImage"/> instead of longjmp-ing out of a callback, which
/// managed code could not survive.
/// </summary>
internal static unsafe partial class LibPngNative
{
    internal const string Library = "libpng16.so.16";

    internal const uint ImageVersion = 1; // PNG_IMAGE_VERSION

    internal const uint FormatFlagAlpha = 0x01, FormatFlagColor = 0x02, FormatFlagBgr = 0x10;

    internal const uint ErrorBit = 2; // PNG_IMAGE_ERROR in warning_or_error

    [LibraryImport(Library, EntryPoint = "png_image_begin_read_from_memory")]
    internal static partial int BeginReadFromMemory(PngImage* image, byte* memory, nuint size);

    [LibraryImport(Library, EntryPoint = "png_image_finish_read")]
    internal static partial int FinishRead(PngImage* image, void* background, byte* buffer, int rowStride, void* colormap);

    [LibraryImport(Library, EntryPoint = "png_image_free")]
    internal static partial void Free(PngImage* image);

    [LibraryImport(Library, EntryPoint = "png_access_version_number")]
    internal static partial uint VersionNumber();
}

/// <summary>png.h's <c>png_image</c>: zeroed, with <see cref="Version"/> set, before the first call.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PngImage
{
    public nint Opaque;
    public uint Version;
    public uint Width;
    public uint Height;
    public uint Format;
    public uint Flags;
    public uint ColormapEntries;
    public uint WarningOrError;
    public fixed byte Message[64];
}

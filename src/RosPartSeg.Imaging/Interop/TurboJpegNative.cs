using System.Runtime.InteropServices;

namespace RosPartSeg.Imaging.Interop;

/// <summary>
/// The decompression half of the TurboJPEG API of the system's libjpeg-turbo (<c>libturbojpeg.so.0</c>), the 2.x
/// functions that 3.x keeps too (Debian 12 and JetPack 5 ship 2.0-2.1, Ubuntu 24.04 3.0). Loaded by soname, so the
/// library must be installed (Debian/Ubuntu: libturbojpeg0); <see cref="NativeLibraries"/> checks that first.
/// </summary>
internal static partial class TurboJpegNative
{
    internal const string Library = "libturbojpeg.so.0";

    /// <summary>TJPF_BGR: 3 bytes a pixel, blue first (the node's bgr8).</summary>
    internal const int PixelFormatBgr = 1;

    /// <summary>TJPF_GRAY: 1 byte a pixel.</summary>
    internal const int PixelFormatGray = 6;

    /// <summary>TJCS_GRAY, as the header reports a greyscale JPEG.</summary>
    internal const int ColorspaceGray = 2;

    /// <summary>TJCS_CMYK and TJCS_YCCK: four-component JPEGs that TurboJPEG 2.x cannot turn into BGR.</summary>
    internal const int ColorspaceCmyk = 3, ColorspaceYcck = 4;

    /// <summary>TJERR_WARNING: the image was decoded (e.g. data ended early and was padded), but something was wrong.</summary>
    internal const int ErrorWarning = 0;

    [LibraryImport(Library, EntryPoint = "tjInitDecompress")]
    internal static partial TurboJpegHandle InitDecompress();

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    internal static partial int Destroy(nint handle);

    [LibraryImport(Library, EntryPoint = "tjDecompressHeader3")]
    internal static unsafe partial int DecompressHeader(TurboJpegHandle handle, byte* jpeg, nuint size, out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(Library, EntryPoint = "tjDecompress2")]
    internal static unsafe partial int Decompress(TurboJpegHandle handle, byte* jpeg, nuint size, byte* destination, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    internal static partial nint ErrorText(TurboJpegHandle handle);

    [LibraryImport(Library, EntryPoint = "tjGetErrorCode")]
    internal static partial int ErrorCode(TurboJpegHandle handle);
}

/// <summary>A TurboJPEG decompressor (not thread-safe: one per thread), destroyed with <c>tjDestroy</c>.</summary>
internal sealed class TurboJpegHandle : SafeHandle
{
    public TurboJpegHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => TurboJpegNative.Destroy(handle) == 0;
}

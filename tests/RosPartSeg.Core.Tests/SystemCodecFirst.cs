using System.Runtime.CompilerServices;
using RosPartSeg.Imaging;

namespace RosPartSeg.Core.Tests;

/// <summary>
/// Loads the system's libjpeg-turbo and libpng before any test can load OpenCV directly (OpenCvSharp's own types):
/// a system libpng first loaded under OpenCV has its calls taken over by OpenCV's libpng (see SystemBackend.Probe).
/// </summary>
internal static class SystemCodecFirst
{
    [ModuleInitializer]
    internal static void Init() => _ = ImageCodec.SystemLibraries.IsAvailable;
}

using System.Reflection;
using System.Runtime.InteropServices;

namespace RosPartSeg.Dds.Interop;

/// <summary>
/// Locates Cyclone DDS's C library. Debian names it <c>libddsc.so.0debian</c>; ROS 2 installs
/// (<c>ros-&lt;distro&gt;-cyclonedds</c>) and upstream builds name it <c>libddsc.so.0</c>.
/// </summary>
internal static partial class Native
{
    internal const string Library = "ddsc";

    private static readonly string[] Candidates = ["libddsc.so.0", "libddsc.so.0debian", "libddsc.so", "ddsc"];
    private static readonly Lock LoadLock = new();
    private static nint _handle;
    private static bool _resolverSet;

    /// <summary>Loads the library once (and installs the import resolver); throws <see cref="DdsLibraryMissingException"/>.</summary>
    internal static nint EnsureLoaded()
    {
        lock (LoadLock)
        {
            if (_handle != 0)
            {
                return _handle;
            }

            var overridePath = Environment.GetEnvironmentVariable("ROSPARTSEG_DDSC_LIBRARY");
            _handle = Load(string.IsNullOrEmpty(overridePath) ? Candidates : [overridePath, .. Candidates]);

            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
                _resolverSet = true;
            }

            return _handle;
        }
    }

    /// <summary>Loads the first of <paramref name="names"/> that exists and has the 0.10 entry points.</summary>
    internal static nint Load(IEnumerable<string> names)
    {
        var tried = new List<string>();
        foreach (var name in names)
        {
            tried.Add(name);
            if (NativeLibrary.TryLoad(name, out var h))
            {
                // Reject a library too old or too new for the struct layouts compiled in here.
                if (NativeLibrary.TryGetExport(h, "ddsi_sertype_init_flags", out _) &&
                    NativeLibrary.TryGetExport(h, "dds_create_topic_sertype", out _) &&
                    NativeLibrary.TryGetExport(h, "ddsi_sertype_v0", out _))
                {
                    return h;
                }

                throw new DdsLibraryMissingException(tried, incompatible: true);
            }
        }

        throw new DdsLibraryMissingException(tried);
    }

    /// <summary>Address of an exported symbol (data or function).</summary>
    internal static nint Export(string name) => NativeLibrary.GetExport(EnsureLoaded(), name);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Library ? EnsureLoaded() : 0;
}

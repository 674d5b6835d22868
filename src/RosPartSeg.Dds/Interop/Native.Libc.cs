using System.Runtime.InteropServices;

namespace RosPartSeg.Dds.Interop;

/// <summary>libc's setenv: .NET's Environment.SetEnvironmentVariable does not reach native getenv on Unix.</summary>
internal static partial class Native
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SetEnv(string name, string value, int overwrite);
}

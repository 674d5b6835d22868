using System.Runtime.InteropServices;
using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>Cyclone DDS return codes (ddsrt/retcode.h) that callers may want to tell apart.</summary>
public enum DdsReturnCode
{
    Ok = 0,
    Error = -1,
    Unsupported = -2,
    BadParameter = -3,
    PreconditionNotMet = -4,
    OutOfResources = -5,
    NotEnabled = -6,
    ImmutablePolicy = -7,
    InconsistentPolicy = -8,
    AlreadyDeleted = -9,
    Timeout = -10,
    NoData = -11,
    IllegalOperation = -12,
    NotAllowedBySecurity = -13,
}

/// <summary>A Cyclone DDS call failed; <see cref="Code"/> is its return code.</summary>
public sealed class DdsException : Exception
{
    public DdsException()
    {
    }

    public DdsException(string message)
        : base(message)
    {
    }

    public DdsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal DdsException(string operation, int code)
        : base($"{operation} failed: {Describe(code)} ({code})")
    {
        Code = (DdsReturnCode)code;
        Operation = operation;
    }

    public DdsReturnCode Code { get; }

    public string Operation { get; } = "";

    /// <summary>The one check every native return value goes through; returns the value when it is not an error.</summary>
    internal static int Check(int rc, string operation) => rc < 0 ? Throw(rc, operation) : rc;

    private static int Throw(int rc, string operation) => throw new DdsException(operation, rc);

    private static string Describe(int code)
    {
        try
        {
            var p = Native.StrRetCode(code);
            return p == 0 ? "unknown error" : Marshal.PtrToStringUTF8(p) ?? "unknown error";
        }
        catch (DllNotFoundException)
        {
            return "unknown error";
        }
    }
}

/// <summary>Cyclone DDS's C library could not be loaded, or it lacks the entry points this build needs.</summary>
public sealed class DdsLibraryMissingException : Exception
{
    public DdsLibraryMissingException()
        : this([])
    {
    }

    public DdsLibraryMissingException(string message)
        : base(message)
    {
    }

    public DdsLibraryMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal DdsLibraryMissingException(IReadOnlyList<string> tried, bool incompatible = false)
        : base(incompatible
            ? $"The Cyclone DDS library found ({string.Join(", ", tried)}) lacks entry points of the 0.10 series " +
              "(ddsi_sertype_init_flags, dds_create_topic_sertype). Install Cyclone DDS 0.10.x: on Debian the package " +
              "'libddsc0debian', on a ROS 2 machine 'ros-<distro>-cyclonedds' (and source /opt/ros/<distro>/setup.bash)."
            : $"Cyclone DDS's C library was not found (tried {string.Join(", ", tried)}). Install it: on Debian/Ubuntu " +
              "'apt install libddsc0debian', on a ROS 2 machine 'apt install ros-<distro>-cyclonedds' and source " +
              "/opt/ros/<distro>/setup.bash so LD_LIBRARY_PATH finds libddsc.so.0; or set ROSPARTSEG_DDSC_LIBRARY to its path.")
    {
    }
}

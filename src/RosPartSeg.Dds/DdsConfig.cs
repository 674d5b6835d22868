using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>Cyclone DDS configuration helpers (CYCLONEDDS_URI).</summary>
public static class DdsConfig
{
    /// <summary>Restricts Cyclone DDS to the loopback interface with unicast discovery (tests and benchmarks).</summary>
    public const string Loopback =
        "<CycloneDDS><Domain Id=\"any\"><General><Interfaces><NetworkInterface name=\"lo\"/></Interfaces>" +
        "<AllowMulticast>false</AllowMulticast></General><Discovery><ParticipantIndex>auto</ParticipantIndex>" +
        "<MaxAutoParticipantIndex>50</MaxAutoParticipantIndex><Peers><Peer address=\"127.0.0.1\"/></Peers>" +
        "</Discovery></Domain></CycloneDDS>";

    /// <summary>
    /// Sets CYCLONEDDS_URI for this process (native environment too, so Cyclone sees it) and for child processes.
    /// Takes effect for domains created afterwards.
    /// </summary>
    public static void UseForThisProcess(string xml)
    {
        Environment.SetEnvironmentVariable("CYCLONEDDS_URI", xml);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            if (Native.SetEnv("CYCLONEDDS_URI", xml, 1) != 0)
            {
                throw new InvalidOperationException("setenv(CYCLONEDDS_URI) failed");
            }
        }
    }
}

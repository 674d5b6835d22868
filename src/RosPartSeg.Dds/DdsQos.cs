using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>Reliability kinds, values as in dds_public_qosdefs.h.</summary>
public enum DdsReliability
{
    BestEffort = 0,
    Reliable = 1,
}

/// <summary>Durability kinds used by ROS 2 (volatile, transient local).</summary>
public enum DdsDurability
{
    Volatile = 0,
    TransientLocal = 1,
}

/// <summary>
/// The QoS subset ROS 2 maps onto DDS for topics. <paramref name="Depth"/> 0 means KEEP_ALL; a zero
/// <paramref name="Lifespan"/> means samples never expire (/rosout's writer keeps them 10 s).
/// </summary>
public readonly record struct DdsQos(DdsReliability Reliability, int Depth, DdsDurability Durability, TimeSpan Lifespan = default)
{
    /// <summary>How long a reliable writer may block on a full history before the write fails.</summary>
    public static readonly TimeSpan MaxBlockingTime = TimeSpan.FromMilliseconds(200);

    internal DdsQosHandle ToNative(bool xcdr1Only)
    {
        var q = DdsQosHandle.Create();
        Native.QsetReliability(q.Pointer, (int)Reliability, MaxBlockingTime.Ticks * 100);
        Native.QsetHistory(q.Pointer, Depth > 0 ? 0 : 1, Depth > 0 ? Depth : 1);
        Native.QsetDurability(q.Pointer, (int)Durability);
        if (Lifespan > TimeSpan.Zero)
        {
            Native.QsetLifespan(q.Pointer, Lifespan.Ticks * 100);
        }
        if (xcdr1Only)
        {
            // ROS 2 peers (rmw_cyclonedds) only accept plain CDR (XCDR1).
            unsafe
            {
                short xcdr1 = 0;
                Native.QsetDataRepresentation(q.Pointer, 1, &xcdr1);
            }
        }

        return q;
    }
}

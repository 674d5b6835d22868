using System.Runtime.InteropServices;
using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>
/// Owns one Cyclone DDS entity (participant, topic, reader, writer, condition, waitset). Release deletes it with
/// <c>dds_delete</c>; deleting a parent deletes its children first, which Cyclone reports as ALREADY_DELETED
/// for the child afterwards, and that is not a failure.
/// </summary>
internal sealed class DdsEntityHandle : SafeHandle
{
    private DdsEntityHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle <= 0;

    /// <summary>The DDS entity id as the C API wants it.</summary>
    public int Entity => (int)handle;

    internal static DdsEntityHandle Create(int rc, string operation)
    {
        var entity = DdsException.Check(rc, operation);
        var h = new DdsEntityHandle();
        h.SetHandle(entity);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        var rc = Native.Delete((int)handle);
        return rc >= 0 || rc == (int)DdsReturnCode.AlreadyDeleted || rc == (int)DdsReturnCode.BadParameter;
    }
}

/// <summary>Owns a <c>dds_qos_t</c>.</summary>
internal sealed class DdsQosHandle : SafeHandle
{
    private DdsQosHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal nint Pointer => handle;

    internal static DdsQosHandle Create()
    {
        Native.EnsureLoaded();
        var h = new DdsQosHandle();
        var p = Native.CreateQos();
        if (p == 0)
        {
            throw new DdsException("dds_create_qos", (int)DdsReturnCode.OutOfResources);
        }

        h.SetHandle(p);
        return h;
    }

    protected override bool ReleaseHandle()
    {
        Native.DeleteQos(handle);
        return true;
    }
}

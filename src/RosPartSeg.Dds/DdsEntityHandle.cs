using System.Runtime.InteropServices;
using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>
/// Owns one Cyclone DDS entity (participant, topic, reader, writer, condition, waitset). Release deletes it with
/// <c>dds_delete</c>; deleting a parent deletes its children first, which Cyclone reports as ALREADY_DELETED
/// for the child afterwards, and that is not a failure.
/// </summary>
/// <remarks>
/// Lifetimes are reference counts, so that no native call ever runs on a deleted entity: each call on an entity is
/// made between <see cref="TryEnter"/> and <see cref="Exit"/>, and an entity holds a reference on the entities it
/// was created from (its participant, its topic) and on its sertype. Disposing a handle while a call is in flight
/// (a publish racing shutdown) only marks it closed; the entity is deleted when that call returns, and its parents
/// after it. Without this a write raced with shutdown hit a deleted writer, which fails without taking the sample
/// (so it leaked), or a freed sertype.
/// </remarks>
internal sealed class DdsEntityHandle : SafeHandle
{
    private DdsEntityHandle[] _dependsOn = [];
    private nint _sertype;

    private DdsEntityHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle <= 0;

    /// <summary>The DDS entity id as the C API wants it.</summary>
    public int Entity => (int)handle;

    /// <summary>
    /// Takes ownership of the entity <paramref name="rc"/> (or throws for an error code), keeping
    /// <paramref name="dependsOn"/> and a reference to <paramref name="sertype"/> (when not 0) alive until it is deleted.
    /// </summary>
    internal static DdsEntityHandle Create(int rc, string operation, ReadOnlySpan<DdsEntityHandle> dependsOn = default, nint sertype = 0)
    {
        var entity = DdsException.Check(rc, operation);
        var h = new DdsEntityHandle();
        h.SetHandle(entity);
        var taken = 0;
        try
        {
            foreach (var parent in dependsOn)
            {
                var added = false;
                parent.DangerousAddRef(ref added);
                taken++;
            }
        }
        catch (ObjectDisposedException)
        {
            // A parent closed meanwhile (its owner is being disposed): give back what was taken and the entity.
            for (var i = 0; i < taken; i++)
            {
                dependsOn[i].DangerousRelease();
            }

            h.SetHandleAsInvalid();
            Native.Delete(entity);
            throw;
        }

        h._dependsOn = dependsOn.ToArray();
        if (sertype != 0)
        {
            h._sertype = Native.SertypeRef(sertype);
        }

        return h;
    }

    /// <summary>
    /// Takes a reference for one native call: false once the handle is closed. A true return must be paired with
    /// <see cref="Exit"/> (in a finally); until then the entity is not deleted, whoever disposes the handle.
    /// </summary>
    internal bool TryEnter()
    {
        if (IsClosed)
        {
            return false;
        }

        var added = false;
        try
        {
            DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false; // closed between the check and the reference
        }

        return added;
    }

    /// <summary>Gives back the reference <see cref="TryEnter"/> took; the last one out deletes a closed entity.</summary>
    internal void Exit() => DangerousRelease();

    protected override bool ReleaseHandle()
    {
        var rc = Native.Delete((int)handle);
        if (_sertype != 0)
        {
            Native.SertypeUnref(_sertype); // after the entity, and before its participant (the sertype's domain) goes
        }

        for (var i = _dependsOn.Length - 1; i >= 0; i--)
        {
            _dependsOn[i].DangerousRelease(); // the topic before the participant: children go first
        }

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

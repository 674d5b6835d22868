using System.Runtime.InteropServices;
using ROS2;

namespace RosPartSeg.Rcl;

/// <summary>
/// An rcldotnet message that carries serialized CDR instead of generated fields. rcldotnet finds a message's
/// type support through static methods of the .NET type (by reflection, cached per type), so each ROS type gets
/// its own closed type <c>RawMessage&lt;TKey&gt;</c>: <see cref="RawTypes"/> binds a free key to a ROS type at run time.
/// </summary>
internal sealed unsafe class RawMessage<TKey> : IRosMessage
    where TKey : class
{
    private byte* _cdr;
    private int _length;

    /// <summary>The ROS type this key is bound to; set once, before rcldotnet first looks at this type.</summary>
    internal static RosidlType? Type { get; set; }

    /// <summary>Points this (publishing) message at <paramref name="cdr"/>, which must stay pinned until the publish returns.</summary>
    internal void Point(byte* cdr, int length)
    {
        _cdr = cdr;
        _length = length;
    }

    // rcl publishes the C struct: rmw turns our CDR into it (the pixels in one copy) and back into CDR on the wire.
    void IRosMessage.__WriteToHandle(nint messageHandle) => Bound.Deserialize(new ReadOnlySpan<byte>(_cdr, _length), messageHandle);

    // rcl took a C struct: serialize it into the type's reused buffer, which the subscription callback reads.
    void IRosMessage.__ReadFromHandle(nint messageHandle) => Bound.SerializeReceived(messageHandle);

    private static RosidlType Bound => Type ?? throw new InvalidOperationException($"{typeof(TKey).Name} is bound to no ROS type");

#pragma warning disable IDE0051 // called by rcldotnet through reflection
    private static nint __GetTypeSupport() => Bound.TypeSupport;

    private static SafeHandle __CreateMessageHandle() => Bound.Create();
#pragma warning restore IDE0051
}

using System.Runtime.InteropServices;

namespace RosPartSeg.Rcl;

/// <summary>
/// A ROS message type as its C libraries provide it: the rosidl_typesupport_c handle rcl needs, and the
/// create/destroy functions of the C struct. Found by name in the sourced installation, so no generated .NET
/// message types are needed; the node's own CDR is converted to and from the C struct by rmw.
/// </summary>
internal sealed unsafe class RosidlType : IDisposable
{
    private readonly delegate* unmanaged<nint> _create;
    private readonly delegate* unmanaged<nint, void> _destroy;
    private Native.SerializedMessage _received; // spin thread only

    private RosidlType(string rosType, nint typeSupport, nint create, nint destroy)
    {
        RosType = rosType;
        TypeSupport = typeSupport;
        _create = (delegate* unmanaged<nint>)create;
        _destroy = (delegate* unmanaged<nint, void>)destroy;
        var allocator = Native.DefaultAllocator();
        fixed (Native.SerializedMessage* r = &_received)
        {
            Check(Native.Uint8ArrayInit(r, 0, &allocator), "rcutils_uint8_array_init");
        }
    }

    public string RosType { get; }

    /// <summary>The <c>rosidl_message_type_support_t*</c> of the C type support.</summary>
    public nint TypeSupport { get; }

    /// <summary>The CDR of the last message <see cref="SerializeReceived"/> converted (spin thread only).</summary>
    public ReadOnlySpan<byte> Received => new(_received.Buffer, (int)_received.Length);

    /// <summary>Loads <c>pkg/msg/Type</c> from <c>libpkg__rosidl_typesupport_c.so</c> and <c>libpkg__rosidl_generator_c.so</c>.</summary>
    public static RosidlType Load(string rosType)
    {
        var (pkg, kind, name) = Node.RosNames.SplitTypeName(rosType);
        var c = $"{pkg}__{kind}__{name}";
        var support = Export($"lib{pkg}__rosidl_typesupport_c.so", $"rosidl_typesupport_c__get_message_type_support_handle__{c}");
        var generator = $"lib{pkg}__rosidl_generator_c.so";
        var typeSupport = ((delegate* unmanaged<nint>)support)();
        return new RosidlType(rosType, typeSupport, Export(generator, c + "__create"), Export(generator, c + "__destroy"));
    }

    /// <summary>A new zero-initialized C message, destroyed with its handle.</summary>
    public SafeHandle Create() => new MessageHandle(this, _create());

    /// <summary>Fills the C message <paramref name="message"/> from CDR (encapsulation header included).</summary>
    public void Deserialize(ReadOnlySpan<byte> cdr, nint message)
    {
        fixed (byte* p = cdr)
        {
            var s = new Native.SerializedMessage { Buffer = p, Length = (nuint)cdr.Length, Capacity = (nuint)cdr.Length, Allocator = Native.DefaultAllocator() };
            Check(Native.Deserialize(&s, TypeSupport, message), "rmw_deserialize");
        }
    }

    /// <summary>Serializes the C message into the reused native buffer behind <see cref="Received"/>.</summary>
    public void SerializeReceived(nint message)
    {
        fixed (Native.SerializedMessage* r = &_received)
        {
            Check(Native.Serialize(message, TypeSupport, r), "rmw_serialize");
        }
    }

    public void Dispose()
    {
        fixed (Native.SerializedMessage* r = &_received)
        {
            _ = Native.Uint8ArrayFini(r);
        }
    }

    private void Check(int ret, string what)
    {
        if (ret != 0)
        {
            throw new InvalidOperationException($"{what} failed for {RosType} (rmw/rcutils return {ret})");
        }
    }

    private static nint Export(string library, string symbol)
    {
        if (!NativeLibrary.TryLoad(library, out var lib))
        {
            throw new DllNotFoundException($"{library} not found: is the package's ROS installation sourced?");
        }

        return NativeLibrary.TryGetExport(lib, symbol, out var f) ? f : throw new EntryPointNotFoundException($"{symbol} not in {library}");
    }

    private sealed class MessageHandle : SafeHandle
    {
        private readonly RosidlType _type;

        public MessageHandle(RosidlType type, nint message)
            : base(0, ownsHandle: true)
        {
            _type = type;
            SetHandle(message);
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            _type._destroy(handle);
            return true;
        }
    }
}

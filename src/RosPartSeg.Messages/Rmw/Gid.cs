using System.Buffers.Binary;
using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Rmw;

/// <summary>
/// <c>rmw_dds_common/msg/Gid</c>: a DDS endpoint or participant GUID. On the wire it is <c>char[24]</c> on Humble
/// (the 16-byte GUID then 8 zero bytes) and <c>char[16]</c> on Iron and later (<see cref="GidLayout"/>). Held here
/// as 24 bytes; the 16-byte layout writes the first 16 and reads the last 8 as zero.
/// </summary>
public readonly record struct Gid(ulong Part0, ulong Part1, ulong Part2)
{
    /// <summary>Bytes on the wire for a layout.</summary>
    public static int SizeOf(GidLayout layout) => layout == GidLayout.Humble24 ? 24 : 16;

    public static MessageType TypeFor(GidLayout layout) => MessageRegistry.GetRmw("Gid", layout);

    /// <summary>A Gid from a 16-byte DDS GUID (prefix then entity id), padded with zeros.</summary>
    public static Gid FromGuid(ReadOnlySpan<byte> guid16)
    {
        if (guid16.Length != 16)
        {
            throw new ArgumentException($"a DDS GUID has 16 bytes, got {guid16.Length}", nameof(guid16));
        }
        return FromBytes(guid16);
    }

    /// <summary>A Gid from 16 or 24 bytes as they appear on the wire.</summary>
    public static Gid FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is not (16 or 24))
        {
            throw new ArgumentException($"a Gid has 16 or 24 bytes, got {bytes.Length}", nameof(bytes));
        }
        Span<byte> all = stackalloc byte[24];
        all.Clear();
        bytes.CopyTo(all);
        return new Gid(BinaryPrimitives.ReadUInt64LittleEndian(all), BinaryPrimitives.ReadUInt64LittleEndian(all[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(all[16..]));
    }

    /// <summary>Copies the 24 bytes (GUID first) into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Part0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Part1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], Part2);
    }

    public byte[] ToArray(GidLayout layout)
    {
        var all = new byte[24];
        CopyTo(all);
        return layout == GidLayout.Humble24 ? all : all[..16];
    }

    public void Write(CdrWriter writer, GidLayout layout)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> all = stackalloc byte[24];
        CopyTo(all);
        writer.WriteRaw(all[..SizeOf(layout)]);
    }

    public static Gid Read(ref CdrReader reader, GidLayout layout)
    {
        Span<byte> bytes = stackalloc byte[SizeOf(layout)];
        reader.ReadFixedBytes(bytes);
        return FromBytes(bytes);
    }

    public override string ToString()
    {
        Span<byte> all = stackalloc byte[24];
        CopyTo(all);
        return Convert.ToHexStringLower(all);
    }
}

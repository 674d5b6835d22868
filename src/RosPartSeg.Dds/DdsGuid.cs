using System.Globalization;

namespace RosPartSeg.Dds;

/// <summary>A 16-byte DDS GUID (12-byte prefix, 4-byte entity id).</summary>
public readonly struct DdsGuid : IEquatable<DdsGuid>
{
    private readonly ulong _a;
    private readonly ulong _b;

    public DdsGuid(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 16)
        {
            throw new ArgumentException("a DDS GUID has 16 bytes", nameof(bytes));
        }

        _a = BitConverter.ToUInt64(bytes[..8]);
        _b = BitConverter.ToUInt64(bytes[8..16]);
    }

    /// <summary>Writes the 16 bytes into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BitConverter.TryWriteBytes(destination[..8], _a);
        BitConverter.TryWriteBytes(destination[8..16], _b);
    }

    public byte[] ToArray()
    {
        var b = new byte[16];
        CopyTo(b);
        return b;
    }

    /// <summary>The 12-byte prefix shared by a participant and all its endpoints.</summary>
    public bool SamePrefix(DdsGuid other) => _a == other._a && (uint)_b == (uint)other._b;

    public bool Equals(DdsGuid other) => _a == other._a && _b == other._b;

    public override bool Equals(object? obj) => obj is DdsGuid g && Equals(g);

    public override int GetHashCode() => HashCode.Combine(_a, _b);

    public override string ToString() => Convert.ToHexString(ToArray()).ToLower(CultureInfo.InvariantCulture);

    public static bool operator ==(DdsGuid left, DdsGuid right) => left.Equals(right);

    public static bool operator !=(DdsGuid left, DdsGuid right) => !left.Equals(right);
}

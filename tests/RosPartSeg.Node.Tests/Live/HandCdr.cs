using System.Buffers.Binary;
using System.Text;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// CDR written and read by hand for the live parameter tests, on purpose apart from RosPartSeg.Messages (which the
/// node uses): XCDR1 little-endian after <c>00 01 00 00</c>, each primitive aligned to its size counted from the
/// byte after that header, strings as length-with-NUL, bytes, NUL.
/// </summary>
internal sealed class HandCdr
{
    private readonly List<byte> _b = [0x00, 0x01, 0x00, 0x00];

    public byte[] ToArray() => [.. _b];

    public HandCdr U8(byte v)
    {
        _b.Add(v);
        return this;
    }

    public HandCdr U32(uint v)
    {
        Pad(4);
        _b.AddRange(BitConverter.GetBytes(v));
        return this;
    }

    public HandCdr U64(ulong v)
    {
        Pad(8);
        _b.AddRange(BitConverter.GetBytes(v));
        return this;
    }

    public HandCdr F64(double v)
    {
        Pad(8);
        _b.AddRange(BitConverter.GetBytes(v));
        return this;
    }

    public HandCdr Str(string s)
    {
        U32((uint)Encoding.UTF8.GetByteCount(s) + 1);
        _b.AddRange(Encoding.UTF8.GetBytes(s));
        _b.Add(0);
        return this;
    }

    public HandCdr Strings(params string[] items)
    {
        U32((uint)items.Length);
        foreach (var s in items)
        {
            Str(s);
        }

        return this;
    }

    /// <summary>rmw_cyclonedds' request header: client guid, sequence number.</summary>
    public HandCdr Header(ulong guid, long seq) => U64(guid).U64((ulong)seq);

    /// <summary>A rcl_interfaces/Parameter: name, then a ParameterValue with one slot used.</summary>
    public HandCdr Parameter(string name, byte type, bool b = false, long i = 0, double d = 0, string s = "")
    {
        Str(name).U8(type).U8(b ? (byte)1 : (byte)0).U64((ulong)i).F64(d).Str(s);
        for (var k = 0; k < 5; k++)
        {
            U32(0); // the five empty arrays
        }

        return this;
    }

    private void Pad(int size)
    {
        while ((_b.Count - 4) % size != 0)
        {
            _b.Add(0);
        }
    }

    /// <summary>Reads a sample the same way, from just after the encapsulation header.</summary>
    internal ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _d = data;
        private int _p = 4;

        public byte U8() => _d[_p++];

        public bool Bool() => U8() != 0;

        public uint U32()
        {
            Align(4);
            var v = BinaryPrimitives.ReadUInt32LittleEndian(_d[_p..]);
            _p += 4;
            return v;
        }

        public ulong U64()
        {
            Align(8);
            var v = BinaryPrimitives.ReadUInt64LittleEndian(_d[_p..]);
            _p += 8;
            return v;
        }

        public double F64() => BitConverter.Int64BitsToDouble((long)U64());

        public string Str()
        {
            var n = (int)U32();
            var s = Encoding.UTF8.GetString(_d.Slice(_p, n - 1));
            _p += n;
            return s;
        }

        public string[] Strings()
        {
            var items = new string[U32()];
            for (var k = 0; k < items.Length; k++)
            {
                items[k] = Str();
            }

            return items;
        }

        /// <summary>A ParameterValue: its type and the slot that type uses (arrays skipped, they must be empty).</summary>
        public (byte Type, object? Value) Value()
        {
            var type = U8();
            var b = Bool();
            var i = (long)U64();
            var d = F64();
            var s = Str();
            for (var k = 0; k < 5; k++)
            {
                Assert.Equal(0u, U32());
            }

            return (type, type switch { 1 => b, 2 => i, 3 => d, 4 => s, _ => null });
        }

        private void Align(int size)
        {
            while ((_p - 4) % size != 0)
            {
                _p++;
            }
        }
    }
}

using System.Text;

namespace RosPartSeg.Messages.Cdr;

/// <summary>
/// Remembers a few recently decoded strings with their UTF-8 bytes, so the same frame id or encoding arriving in
/// every message is returned without allocating. Not thread-safe: one per decoding thread.
/// </summary>
public sealed class Utf8StringCache
{
    private readonly byte[][] _bytes;
    private readonly string[] _strings;
    private readonly int _maxLength;
    private int _next;

    /// <param name="capacity">How many distinct strings to remember (replaced round-robin).</param>
    /// <param name="maxLength">Longer strings are decoded but not remembered.</param>
    public Utf8StringCache(int capacity = 16, int maxLength = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _bytes = new byte[capacity][];
        _strings = new string[capacity];
        _maxLength = maxLength;
        for (int i = 0; i < capacity; i++)
        {
            _bytes[i] = [];
            _strings[i] = string.Empty;
        }
    }

    /// <summary>Returns the string for these UTF-8 bytes, reusing a remembered instance when the bytes match.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }
        for (int i = 0; i < _bytes.Length; i++)
        {
            if (utf8.SequenceEqual(_bytes[i]))
            {
                return _strings[i];
            }
        }
        string s = Encoding.UTF8.GetString(utf8);
        if (utf8.Length <= _maxLength)
        {
            _bytes[_next] = utf8.ToArray();
            _strings[_next] = s;
            _next = (_next + 1) % _bytes.Length;
        }
        return s;
    }
}

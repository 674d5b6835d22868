using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages;

/// <summary>A ROS message that knows its type and writes and reads its fields in CDR.</summary>
public interface IRosMessage<TSelf> where TSelf : IRosMessage<TSelf>
{
    /// <summary>Names and definition of the type.</summary>
    static abstract MessageType Type { get; }

    /// <summary>Writes the fields (no encapsulation header: it may be nested in another message).</summary>
    void Write(CdrWriter writer);

    /// <summary>Reads the fields at the reader's position.</summary>
    static abstract TSelf Read(ref CdrReader reader);
}

/// <summary>Whole-message encoding and decoding: encapsulation header plus fields.</summary>
public static class RosMessage
{
    /// <summary>Encodes a message into <paramref name="writer"/> (reset first); the bytes are its written span.</summary>
    public static void Encode<T>(T message, CdrWriter writer) where T : IRosMessage<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Reset();
        message.Write(writer);
    }

    /// <summary>Encodes a message into a new array.</summary>
    public static byte[] EncodeToArray<T>(T message) where T : IRosMessage<T>
    {
        var writer = new CdrWriter();
        Encode(message, writer);
        return writer.ToArray();
    }

    /// <summary>Decodes a message; byte sequences in it alias <paramref name="data"/> (no copy).
    /// Trailing bytes (DDS pads messages to 4 bytes) are ignored.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> data, CdrLimits? limits = null, Utf8StringCache? strings = null) where T : IRosMessage<T>
    {
        var reader = new CdrReader(data, limits, strings);
        return T.Read(ref reader);
    }

    /// <summary>Decodes a message from a span; byte sequences in it are copied.</summary>
    public static T Decode<T>(ReadOnlySpan<byte> data, CdrLimits? limits = null) where T : IRosMessage<T>
    {
        var reader = new CdrReader(data, limits);
        return T.Read(ref reader);
    }
}

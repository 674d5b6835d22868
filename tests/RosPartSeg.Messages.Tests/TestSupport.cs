using System.Text.Json;
using System.Text.Json.Serialization;
using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Tests;

internal static class TestSupport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>Deep structural form of a message (lists and byte payloads included) for equality checks.</summary>
    public static string Deep<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>Encodes, decodes from memory and from a span, and checks both equal the original in depth.</summary>
    public static T RoundTrip<T>(T message) where T : IRosMessage<T>
    {
        var bytes = RosMessage.EncodeToArray(message);
        var fromMemory = RosMessage.Decode<T>(bytes.AsMemory());
        var fromSpan = RosMessage.Decode<T>(bytes.AsSpan());
        Assert.Equal(Deep(message), Deep(fromMemory));
        Assert.Equal(Deep(message), Deep(fromSpan));
        // Re-encoding the decoded message gives the same bytes.
        Assert.Equal(bytes, RosMessage.EncodeToArray(fromMemory));
        return fromMemory;
    }

    /// <summary>Strings as they survive UTF-8 (lone surrogates become U+FFFD), as any ROS string would.</summary>
    public static string Utf8Clean(string? s) => s is null ? "" : System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(s));

    public static CdrException DecodeFails<T>(byte[] bytes) where T : IRosMessage<T>
        => Assert.Throws<CdrException>(() => RosMessage.Decode<T>(bytes.AsMemory()));
}

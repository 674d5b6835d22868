namespace RosPartSeg.Core;

/// <summary>Shortening of native libraries' error messages for one-line log entries.</summary>
public static class ErrorText
{
    /// <summary>The first line, trimmed: ONNX Runtime and .NET's loader put paths and stack details on later lines.</summary>
    public static string FirstLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}

using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Std;

/// <summary><c>std_msgs/msg/String</c>: string data. (Named StdString to keep clear of <see cref="string"/>.)</summary>
public sealed record StdString(string Data) : IRosMessage<StdString>
{
    public static MessageType Type { get; } = MessageRegistry.Get("std_msgs/msg/String");

    public void Write(CdrWriter writer) => writer.WriteString(Data);

    public static StdString Read(ref CdrReader reader) => new(reader.ReadString());
}

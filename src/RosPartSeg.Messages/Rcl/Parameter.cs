using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Builtin;
using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Rcl;

/// <summary><c>rcl_interfaces/msg/Parameter</c>: string name, ParameterValue value.</summary>
public sealed record Parameter(string Name, ParameterValue Value) : IRosMessage<Parameter>
{
    public const int MinSize = 5 + ParameterValue.MinSize;

    public static MessageType Type { get; } = MessageRegistry.Get("rcl_interfaces/msg/Parameter");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(Name);
        Value.Write(writer);
    }

    public static Parameter Read(ref CdrReader reader) => new(reader.ReadString(), ParameterValue.Read(ref reader));
}

/// <summary>
/// <c>rcl_interfaces/msg/ParameterEvent</c> (on <c>/parameter_events</c>): Time stamp, string node (the node's fully
/// qualified name), Parameter[] new_parameters, changed_parameters, deleted_parameters.
/// </summary>
public sealed record ParameterEvent : IRosMessage<ParameterEvent>
{
    public static MessageType Type { get; } = MessageRegistry.Get("rcl_interfaces/msg/ParameterEvent");

    public Timestamp Stamp { get; init; }

    public string Node { get; init; } = "";

    public IReadOnlyList<Parameter> NewParameters { get; init; } = [];

    public IReadOnlyList<Parameter> ChangedParameters { get; init; } = [];

    public IReadOnlyList<Parameter> DeletedParameters { get; init; } = [];

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Time.Write(writer, Stamp);
        writer.WriteString(Node);
        CdrSequences.Write(writer, NewParameters);
        CdrSequences.Write(writer, ChangedParameters);
        CdrSequences.Write(writer, DeletedParameters);
    }

    public static ParameterEvent Read(ref CdrReader reader) => new()
    {
        Stamp = Time.ReadTimestamp(ref reader),
        Node = reader.ReadString(),
        NewParameters = CdrSequences.Read<Parameter>(ref reader, Parameter.MinSize),
        ChangedParameters = CdrSequences.Read<Parameter>(ref reader, Parameter.MinSize),
        DeletedParameters = CdrSequences.Read<Parameter>(ref reader, Parameter.MinSize),
    };
}

/// <summary><c>rcl_interfaces/msg/SetParametersResult</c>: bool successful, string reason.</summary>
public sealed record SetParametersResult(bool Successful, string Reason) : IRosMessage<SetParametersResult>
{
    public const int MinSize = 1 + 5;

    public static MessageType Type { get; } = MessageRegistry.Get("rcl_interfaces/msg/SetParametersResult");

    public static SetParametersResult Success { get; } = new(true, "");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBool(Successful);
        writer.WriteString(Reason);
    }

    public static SetParametersResult Read(ref CdrReader reader) => new(reader.ReadBool(), reader.ReadString());
}

/// <summary><c>rcl_interfaces/msg/ListParametersResult</c>: string[] names, string[] prefixes.</summary>
public sealed record ListParametersResult(IReadOnlyList<string> Names, IReadOnlyList<string> Prefixes) : IRosMessage<ListParametersResult>
{
    public static MessageType Type { get; } = MessageRegistry.Get("rcl_interfaces/msg/ListParametersResult");

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        RclStrings.Write(writer, Names);
        RclStrings.Write(writer, Prefixes);
    }

    public static ListParametersResult Read(ref CdrReader reader) =>
        new(RclStrings.Read(ref reader, "names"), RclStrings.Read(ref reader, "prefixes"));
}

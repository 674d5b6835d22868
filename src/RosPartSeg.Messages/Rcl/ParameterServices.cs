using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Rcl;

/// <summary>
/// The six parameter services every rclcpp node offers under its fully qualified name (<c>/ns/node/get_parameters</c>):
/// their names and ROS service types. The requests and responses below are the <c>.srv</c> halves, written and read
/// without any transport header (rmw_cyclonedds' request header is the transport's business).
/// </summary>
public static class ParameterServices
{
    public const string List = "list_parameters";
    public const string Describe = "describe_parameters";
    public const string Get = "get_parameters";
    public const string GetTypes = "get_parameter_types";
    public const string Set = "set_parameters";
    public const string SetAtomically = "set_parameters_atomically";

    /// <summary>Service name to ROS service type (<c>rcl_interfaces/srv/GetParameters</c>), in rclcpp's order.</summary>
    public static IReadOnlyList<(string Name, string Type)> All { get; } =
    [
        (Describe, "rcl_interfaces/srv/DescribeParameters"),
        (GetTypes, "rcl_interfaces/srv/GetParameterTypes"),
        (Get, "rcl_interfaces/srv/GetParameters"),
        (List, "rcl_interfaces/srv/ListParameters"),
        (Set, "rcl_interfaces/srv/SetParameters"),
        (SetAtomically, "rcl_interfaces/srv/SetParametersAtomically"),
    ];

    // The fields of each .srv half (what a type hash covers: no comments, no constants), keyed pkg/srv/Name_Request.
    private static readonly Dictionary<string, string> Halves = new(StringComparer.Ordinal)
    {
        ["rcl_interfaces/srv/DescribeParameters_Request"] = "string[] names",
        ["rcl_interfaces/srv/DescribeParameters_Response"] = "ParameterDescriptor[] descriptors",
        ["rcl_interfaces/srv/GetParameterTypes_Request"] = "string[] names",
        ["rcl_interfaces/srv/GetParameterTypes_Response"] = "uint8[] types",
        ["rcl_interfaces/srv/GetParameters_Request"] = "string[] names",
        ["rcl_interfaces/srv/GetParameters_Response"] = "ParameterValue[] values",
        ["rcl_interfaces/srv/ListParameters_Request"] = "string[] prefixes\nuint64 depth",
        ["rcl_interfaces/srv/ListParameters_Response"] = "ListParametersResult result",
        ["rcl_interfaces/srv/SetParameters_Request"] = "Parameter[] parameters",
        ["rcl_interfaces/srv/SetParameters_Response"] = "SetParametersResult[] results",
        ["rcl_interfaces/srv/SetParametersAtomically_Request"] = "Parameter[] parameters",
        ["rcl_interfaces/srv/SetParametersAtomically_Response"] = "SetParametersResult result",
    };

    /// <summary>
    /// The REP 2011 hashes of a service's request and response messages (<c>pkg/srv/Name_Request</c>,
    /// <c>_Response</c>), which Jazzy's rmw_cyclonedds announces on the request and reply endpoints.
    /// </summary>
    public static (string Request, string Response) TypeHashes(string serviceType)
    {
        string? TextOf(string type) => Halves.TryGetValue(type, out var t) ? t : MessageDefinitions.TryGetText(type, out var m) ? m : null;
        return (Messages.TypeHashes.Compute(serviceType + "_Request", TextOf), Messages.TypeHashes.Compute(serviceType + "_Response", TextOf));
    }
}

/// <summary><c>ListParameters</c> request: string[] prefixes, uint64 depth (0: recursive).</summary>
public sealed record ListParametersRequest(IReadOnlyList<string> Prefixes, ulong Depth)
{
    public const ulong DepthRecursive = 0;

    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        RclStrings.Write(writer, Prefixes);
        writer.WriteUInt64(Depth);
    }

    public static ListParametersRequest Read(ref CdrReader reader) => new(RclStrings.Read(ref reader, "prefixes"), reader.ReadUInt64());
}

/// <summary><c>ListParameters</c> response: ListParametersResult result.</summary>
public sealed record ListParametersResponse(ListParametersResult Result)
{
    public void Write(CdrWriter writer) => Result.Write(writer);

    public static ListParametersResponse Read(ref CdrReader reader) => new(ListParametersResult.Read(ref reader));
}

/// <summary>The request of <c>DescribeParameters</c>, <c>GetParameters</c> and <c>GetParameterTypes</c>: string[] names.</summary>
public sealed record ParameterNamesRequest(IReadOnlyList<string> Names)
{
    public void Write(CdrWriter writer) => RclStrings.Write(writer, Names);

    public static ParameterNamesRequest Read(ref CdrReader reader) => new(RclStrings.Read(ref reader, "names"));
}

/// <summary><c>DescribeParameters</c> response: ParameterDescriptor[] descriptors.</summary>
public sealed record DescribeParametersResponse(IReadOnlyList<ParameterDescriptor> Descriptors)
{
    public void Write(CdrWriter writer) => CdrSequences.Write(writer, Descriptors);

    public static DescribeParametersResponse Read(ref CdrReader reader) => new(CdrSequences.Read<ParameterDescriptor>(ref reader, ParameterDescriptor.MinSize));
}

/// <summary><c>GetParameters</c> response: ParameterValue[] values.</summary>
public sealed record GetParametersResponse(IReadOnlyList<ParameterValue> Values)
{
    public void Write(CdrWriter writer) => CdrSequences.Write(writer, Values);

    public static GetParametersResponse Read(ref CdrReader reader) => new(CdrSequences.Read<ParameterValue>(ref reader, ParameterValue.MinSize));
}

/// <summary><c>GetParameterTypes</c> response: uint8[] types.</summary>
public sealed record GetParameterTypesResponse(IReadOnlyList<byte> Types)
{
    public void Write(CdrWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByteSequence(Types is byte[] a ? a : [.. Types]);
    }

    public static GetParameterTypesResponse Read(ref CdrReader reader) => new(reader.ReadByteSequence().ToArray());
}

/// <summary>The request of <c>SetParameters</c> and <c>SetParametersAtomically</c>: Parameter[] parameters.</summary>
public sealed record SetParametersRequest(IReadOnlyList<Parameter> Parameters)
{
    public void Write(CdrWriter writer) => CdrSequences.Write(writer, Parameters);

    public static SetParametersRequest Read(ref CdrReader reader) => new(CdrSequences.Read<Parameter>(ref reader, Parameter.MinSize));
}

/// <summary><c>SetParameters</c> response: SetParametersResult[] results (one per parameter, in order).</summary>
public sealed record SetParametersResponse(IReadOnlyList<SetParametersResult> Results)
{
    public void Write(CdrWriter writer) => CdrSequences.Write(writer, Results);

    public static SetParametersResponse Read(ref CdrReader reader) => new(CdrSequences.Read<SetParametersResult>(ref reader, SetParametersResult.MinSize));
}

/// <summary><c>SetParametersAtomically</c> response: SetParametersResult result.</summary>
public sealed record SetParametersAtomicallyResponse(SetParametersResult Result)
{
    public void Write(CdrWriter writer) => Result.Write(writer);

    public static SetParametersAtomicallyResponse Read(ref CdrReader reader) => new(SetParametersResult.Read(ref reader));
}

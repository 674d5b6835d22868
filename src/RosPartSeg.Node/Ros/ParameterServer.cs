using System.Globalization;
using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Rcl;

namespace RosPartSeg.Node;

/// <summary>
/// What the six parameter services answer, as rclcpp's parameter service does, over the node's declared parameters:
/// list, describe, get and get types (an empty answer when any name is undeclared), set (each parameter on its own)
/// and set atomically (all or none). A set is refused with a reason, changing nothing, for an undeclared or read-only
/// parameter, a value of another type (no conversion at run time, as in rclcpp) and one out of range or not among
/// the choices. Accepted changes are handed to the node in one call and announced as one <see cref="ParameterEvent"/>.
/// Thread-safe: requests are answered one at a time.
/// </summary>
public sealed class ParameterServer
{
    private readonly NodeParameters _parameters;
    private readonly IReadOnlyList<ParameterDescriptor> _table;
    private readonly Action<IReadOnlyList<(string Name, object Value)>> _apply;
    private readonly Lock _gate = new();
    private long _refused;

    /// <param name="parameters">The declared parameters and their current values.</param>
    /// <param name="table">The declarations in order (what list answers, in that order).</param>
    /// <param name="node">The node's fully qualified name (the <c>node</c> of every event).</param>
    /// <param name="apply">Takes accepted changes into effect (validated, typed as declared).</param>
    public ParameterServer(NodeParameters parameters, IReadOnlyList<ParameterDescriptor> table, string node, Action<IReadOnlyList<(string Name, object Value)>> apply)
    {
        _parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        _table = table ?? throw new ArgumentNullException(nameof(table));
        Node = node ?? throw new ArgumentNullException(nameof(node));
        _apply = apply ?? throw new ArgumentNullException(nameof(apply));
    }

    public string Node { get; }

    /// <summary>Where each <see cref="ParameterEvent"/> goes (<c>/parameter_events</c>); called under the server's lock.</summary>
    public Action<ParameterEvent>? Events { get; set; }

    /// <summary>Parameters refused by set and set_parameters_atomically so far.</summary>
    public long RefusedSets => Interlocked.Read(ref _refused);

    /// <summary>The event that announces every declared parameter with its value (sent once, at start).</summary>
    public ParameterEvent Declared()
    {
        lock (_gate)
        {
            return new ParameterEvent { Stamp = Now(), Node = Node, NewParameters = [.. _table.Select(d => new Parameter(d.Name, ToValue(_parameters.Get(d.Name))))] };
        }
    }

    /// <summary>
    /// Names under <paramref name="prefixes"/> (all when none; a prefix matches itself and names after a '.'),
    /// at most <paramref name="depth"/> levels below it (0: any depth), with the dotted prefixes of the names found.
    /// </summary>
    public ListParametersResult List(IReadOnlyList<string> prefixes, ulong depth)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var names = new List<string>();
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var d in _table)
        {
            var name = d.Name;
            var under = prefixes.Count == 0 ? "" : prefixes.FirstOrDefault(p => name == p || name.StartsWith(p + ".", StringComparison.Ordinal));
            if (under is null)
            {
                continue;
            }

            var rest = under.Length == 0 ? name : name[under.Length..].TrimStart('.');
            if (depth != ListParametersRequest.DepthRecursive && (ulong)rest.Count(c => c == '.') >= depth)
            {
                continue;
            }

            names.Add(name);
            var dot = name.LastIndexOf('.');
            if (dot > 0)
            {
                found.Add(name[..dot]);
            }
        }

        return new ListParametersResult(names, [.. found]);
    }

    public IReadOnlyList<Messages.Rcl.ParameterDescriptor> Describe(IReadOnlyList<string> names) =>
        AllDeclared(names) ? [.. names.Select(n => ToMessage(_parameters.Find(n)!))] : [];

    public IReadOnlyList<ParameterValue> Get(IReadOnlyList<string> names)
    {
        lock (_gate)
        {
            return AllDeclared(names) ? [.. names.Select(n => ToValue(_parameters.Get(n)))] : [];
        }
    }

    public IReadOnlyList<byte> GetTypes(IReadOnlyList<string> names) =>
        AllDeclared(names) ? [.. names.Select(n => TypeOf(_parameters.Find(n)!.Type))] : [];

    /// <summary>Sets each parameter on its own: one result per parameter, one event per accepted one.</summary>
    public IReadOnlyList<SetParametersResult> Set(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var results = new SetParametersResult[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            results[i] = SetAtomically([parameters[i]]);
        }

        return results;
    }

    /// <summary>Sets all of <paramref name="parameters"/> or, when any one is refused, none (the reason names it).</summary>
    public SetParametersResult SetAtomically(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var accepted = new List<(string Name, object Value)>(parameters.Count);
        foreach (var p in parameters)
        {
            if (!TryAccept(p, out var value, out var reason))
            {
                Interlocked.Add(ref _refused, parameters.Count);
                return new SetParametersResult(false, reason);
            }

            accepted.Add((p.Name, value));
        }

        lock (_gate)
        {
            foreach (var (name, value) in accepted)
            {
                _parameters.Store(name, value);
            }

            _apply(accepted);
            Events?.Invoke(new ParameterEvent
            {
                Stamp = Now(), Node = Node, ChangedParameters = [.. accepted.Select(a => new Parameter(a.Name, ToValue(a.Value)))],
            });
        }

        return SetParametersResult.Success;
    }

    /// <summary>The rcl_interfaces descriptor of a declaration: ranges for numbers, choices as additional constraints.</summary>
    public static Messages.Rcl.ParameterDescriptor ToMessage(ParameterDescriptor d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new Messages.Rcl.ParameterDescriptor
        {
            Name = d.Name,
            Kind = TypeOf(d.Type),
            Description = d.Description,
            AdditionalConstraints = d.Choices is { Count: > 0 } ? "one of: " + d.Constraint : "",
            ReadOnly = !d.Dynamic,
            FloatingPointRange = d.Type == ParameterType.Double && (d.Min is not null || d.Max is not null)
                ? new FloatingPointRange(d.Min ?? double.NegativeInfinity, d.Max ?? double.PositiveInfinity, 0)
                : null,
            IntegerRange = d.Type == ParameterType.Integer && (d.Min is not null || d.Max is not null)
                ? new IntegerRange(d.Min is { } min ? (long)min : long.MinValue, d.Max is { } max ? (long)max : long.MaxValue, 0)
                : null,
        };
    }

    /// <summary>A declared value (bool, long, double or string) as a ParameterValue.</summary>
    public static ParameterValue ToValue(object value) => value switch
    {
        bool b => ParameterValue.Of(b),
        long l => ParameterValue.Of(l),
        double d => ParameterValue.Of(d),
        string s => ParameterValue.Of(s),
        _ => throw new ArgumentException($"not a parameter value: {value}", nameof(value)),
    };

    public static byte TypeOf(ParameterType type) => type switch
    {
        ParameterType.Bool => ParameterTypes.Bool,
        ParameterType.Integer => ParameterTypes.Integer,
        ParameterType.Double => ParameterTypes.Double,
        _ => ParameterTypes.String,
    };

    private static Timestamp Now() => Timestamp.FromNanoseconds((DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100);

    private bool AllDeclared(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.All(n => _parameters.Find(n) is not null);
    }

    private bool TryAccept(Parameter p, out object value, out string reason)
    {
        value = false;
        var d = _parameters.Find(p.Name);
        if (d is null)
        {
            reason = $"parameter '{p.Name}' cannot be set because it was not declared";
            return false;
        }

        if (!d.Dynamic)
        {
            reason = $"parameter '{p.Name}' cannot be set because it is read-only (it takes effect at start: restart the node with the new value)";
            return false;
        }

        if (p.Value.Kind != TypeOf(d.Type))
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"parameter '{p.Name}' is of type {ParameterTypes.Name(TypeOf(d.Type))}, setting it to {ParameterTypes.Name(p.Value.Kind)} is not allowed");
            return false;
        }

        value = d.Type switch
        {
            ParameterType.Bool => p.Value.BoolValue,
            ParameterType.Integer => p.Value.IntegerValue,
            ParameterType.Double => p.Value.DoubleValue,
            _ => p.Value.StringValue,
        };
        return NodeParameters.TryValidate(d, value, out reason);
    }
}

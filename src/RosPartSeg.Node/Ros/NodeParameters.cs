using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RosPartSeg.Node;

/// <summary>ROS 2 parameter types used by this node.</summary>
public enum ParameterType
{
    Bool,
    Integer,
    Double,
    String,
}

/// <summary>
/// A declared parameter: name, type, default, description and, for numbers, an inclusive range; for strings, an
/// optional set of allowed values. <paramref name="Dynamic"/> parameters may be set while the node runs (through
/// the parameter services); the others are read-only once it has started.
/// </summary>
public sealed record ParameterDescriptor(
    string Name,
    ParameterType Type,
    object Default,
    string Description,
    double? Min = null,
    double? Max = null,
    IReadOnlyList<string>? Choices = null,
    bool Dynamic = false)
{
    /// <summary>The range or choices in words, for docs and errors.</summary>
    public string Constraint =>
        Choices is { Count: > 0 } ? string.Join(" | ", Choices)
        : Min is not null || Max is not null ? $"[{Fmt(Min) ?? "-inf"}, {Fmt(Max) ?? "inf"}]"
        : "";

    private static string? Fmt(double? v) => v?.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A parameter value is invalid or malformed; the message names the parameter.</summary>
public sealed class ParameterException : Exception
{
    public ParameterException()
    {
    }

    public ParameterException(string message)
        : base(message)
    {
    }

    public ParameterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The node's parameters: declared first (with descriptions and ranges), then set from params files
/// (<c>/**:</c> or <c>/node_name:</c> with <c>ros__parameters</c>) and <c>-p</c> overrides in command-line order.
/// Values of undeclared names are collected in <see cref="Unknown"/>; invalid values throw.
/// </summary>
public sealed class NodeParameters
{
    private readonly Dictionary<string, ParameterDescriptor> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly List<string> _unknown = [];
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ParameterDescriptor> Declared => _declared.Values;

    /// <summary>Names given a value but never declared ("where it came from: name").</summary>
    public IReadOnlyList<string> Unknown => _unknown;

    public void Declare(ParameterDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        _declared.Add(descriptor.Name, descriptor);
        _values[descriptor.Name] = Validate(descriptor, descriptor.Default);
    }

    /// <summary>Applies every source in <paramref name="args"/> for the node <paramref name="fullyQualifiedNode"/>.</summary>
    public void Apply(RosArguments args, string fullyQualifiedNode)
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var s in args.ParameterSources)
        {
            if (s.File is not null)
            {
                ApplyFile(s.File, fullyQualifiedNode);
            }
            else
            {
                Set(s.Name!, ParseScalar(s.Value!, quoted: false), $"-p {s.Name}");
            }
        }
    }

    /// <summary>The declaration of <paramref name="name"/>, or null when it was never declared.</summary>
    public ParameterDescriptor? Find(string name) => _declared.GetValueOrDefault(name);

    /// <summary>The current value (bool, long, double or string) of a declared parameter.</summary>
    public object Get(string name) => _values[name];

    /// <summary>
    /// Checks <paramref name="value"/> against <paramref name="descriptor"/>'s range or choices without storing it;
    /// the value must already have the declared type (a run-time set is not converted, as in rclcpp).
    /// </summary>
    public static bool TryValidate(ParameterDescriptor descriptor, object value, out string reason)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        try
        {
            Validate(descriptor, value);
            reason = "";
            return true;
        }
        catch (ParameterException e)
        {
            reason = e.Message;
            return false;
        }
    }

    /// <summary>Stores a value already checked with <see cref="TryValidate"/> (a run-time set).</summary>
    public void Store(string name, object value)
    {
        _values[name] = value;
        _set.Add(name);
    }

    public bool GetBool(string name) => (bool)_values[name];

    public long GetInteger(string name) => (long)_values[name];

    public double GetDouble(string name) => (double)_values[name];

    public string GetString(string name) => (string)_values[name];

    /// <summary>Sets a value from a file or the command line (converted and range-checked).</summary>
    public void Set(string name, object value, string origin)
    {
        if (!_declared.TryGetValue(name, out var d))
        {
            _unknown.Add($"{origin}: {name}");
            return;
        }

        _values[name] = Validate(d, value);
        _set.Add(name);
    }

    /// <summary>Whether a value was given (command line or params file), as opposed to the declared default.</summary>
    public bool IsSet(string name) => _set.Contains(name);

    private void ApplyFile(string path, string node)
    {
        YamlStream yaml = [];
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            yaml.Load(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlException)
        {
            throw new ParameterException($"params file '{path}': {e.Message}", e);
        }

        foreach (var doc in yaml.Documents)
        {
            if (doc.RootNode is not YamlMappingNode root)
            {
                throw new ParameterException($"params file '{path}': the top level must map node names to ros__parameters");
            }

            foreach (var (key, value) in root.Children)
            {
                var pattern = ((YamlScalarNode)key).Value ?? "";
                if (!NodeMatches(pattern, node))
                {
                    continue;
                }

                if (value is not YamlMappingNode section ||
                    !section.Children.TryGetValue(new YamlScalarNode("ros__parameters"), out var p) ||
                    p is not YamlMappingNode parameters)
                {
                    throw new ParameterException($"params file '{path}': '{pattern}' has no ros__parameters mapping");
                }

                Flatten(parameters, "", path);
            }
        }
    }

    private void Flatten(YamlMappingNode map, string prefix, string path)
    {
        foreach (var (k, v) in map.Children)
        {
            var name = prefix + ((YamlScalarNode)k).Value;
            switch (v)
            {
                case YamlMappingNode nested:
                    Flatten(nested, name + ".", path);
                    break;
                case YamlScalarNode s:
                    Set(name, ParseScalar(s.Value ?? "", s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted), $"{path}");
                    break;
                default:
                    if (_declared.ContainsKey(name))
                    {
                        throw new ParameterException($"parameter '{name}' in '{path}': arrays are not accepted for this parameter");
                    }

                    _unknown.Add($"{path}: {name}");
                    break;
            }
        }
    }

    /// <summary>rcl's node-name matching for params files: <c>/**</c>, <c>*</c> per token, optional leading slash.</summary>
    public static bool NodeMatches(string pattern, string fullyQualifiedNode)
    {
        var p = pattern.StartsWith('/') ? pattern : "/" + pattern;
        var pt = p.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nt = fullyQualifiedNode.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return Match(pt, 0, nt, 0);

        static bool Match(string[] pt, int i, string[] nt, int j)
        {
            if (i == pt.Length)
            {
                return j == nt.Length;
            }

            if (pt[i] == "**")
            {
                for (var k = j; k <= nt.Length; k++)
                {
                    if (Match(pt, i + 1, nt, k))
                    {
                        return true;
                    }
                }

                return false;
            }

            return j < nt.Length && (pt[i] == "*" || pt[i] == nt[j]) && Match(pt, i + 1, nt, j + 1);
        }
    }

    /// <summary>A YAML scalar as ROS reads it: bool, integer, double, or string (always string when quoted).</summary>
    internal static object ParseScalar(string text, bool quoted)
    {
        if (quoted)
        {
            return text;
        }

        var t = text.Trim();
        if (t is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (t is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        if (t.Length >= 2 && ((t[0] == '"' && t[^1] == '"') || (t[0] == '\'' && t[^1] == '\'')))
        {
            return t[1..^1];
        }

        return t;
    }

    private static object Validate(ParameterDescriptor d, object value)
    {
        object v = (d.Type, value) switch
        {
            (ParameterType.Bool, bool b) => b,
            (ParameterType.Integer, long l) => l,
            (ParameterType.Integer, int i) => (long)i,
            (ParameterType.Double, double x) => x,
            (ParameterType.Double, long l) => (double)l,
            (ParameterType.Double, int i) => (double)i,
            (ParameterType.String, string s) => s,
            (ParameterType.String, bool or long or double) => Convert.ToString(value, CultureInfo.InvariantCulture)!,
            _ => throw new ParameterException(
                $"parameter '{d.Name}' must be {TypeName(d.Type)}, got '{Convert.ToString(value, CultureInfo.InvariantCulture)}' ({d.Description})"),
        };

        var number = v switch { long l => (double?)l, double x => x, _ => null };
        if (number is { } n && ((d.Min is { } min && n < min) || (d.Max is { } max && n > max) || double.IsNaN(n)))
        {
            throw new ParameterException($"parameter '{d.Name}' = {Convert.ToString(v, CultureInfo.InvariantCulture)} is out of range {d.Constraint} ({d.Description})");
        }

        if (v is string str && d.Choices is { Count: > 0 } choices && !choices.Contains(str))
        {
            throw new ParameterException($"parameter '{d.Name}' = '{str}' is not one of {d.Constraint} ({d.Description})");
        }

        return v;
    }

    private static string TypeName(ParameterType t) => t switch
    {
        ParameterType.Bool => "a bool",
        ParameterType.Integer => "an integer",
        ParameterType.Double => "a double",
        _ => "a string",
    };
}

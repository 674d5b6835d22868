namespace RosPartSeg.Node;

/// <summary>A remap rule <c>[node:]from:=to</c>.</summary>
public sealed record RemapRule(string? NodeName, string From, string To);

/// <summary>One parameter source, in command-line order: a params file or a <c>-p name:=value</c> override.</summary>
public sealed record ParameterSource(string? File, string? Name, string? Value);

/// <summary>A malformed ROS argument; the message names it.</summary>
public sealed class RosArgumentException : Exception
{
    public RosArgumentException()
    {
    }

    public RosArgumentException(string message)
        : base(message)
    {
    }

    public RosArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The ROS 2 command-line arguments (<c>--ros-args ... [--]</c>): remaps (<c>-r</c>), node name and namespace
/// (<c>__node:=</c>, <c>__ns:=</c>), parameters (<c>-p</c>, <c>--params-file</c>) and log level. Arguments outside
/// <c>--ros-args</c> sections are kept for the program.
/// </summary>
public sealed class RosArguments
{
    private readonly List<RemapRule> _remaps = [];
    private readonly List<ParameterSource> _parameters = [];
    private readonly List<string> _others = [];

    private RosArguments()
    {
    }

    public IReadOnlyList<string> NonRosArguments => _others;

    public IReadOnlyList<RemapRule> Remaps => _remaps;

    public IReadOnlyList<ParameterSource> ParameterSources => _parameters;

    /// <summary><c>__node:=</c> (or the older <c>__name:=</c>) for this node, if given.</summary>
    public string? NodeName { get; private set; }

    /// <summary><c>__ns:=</c> for this node, if given (normalized to start with a slash).</summary>
    public string? Namespace { get; private set; }

    public RosLogLevel? LogLevel { get; private set; }

    /// <summary><c>--enclave</c> (or <c>-e</c>): the SROS2 enclave, an absolute name; rcl's default is <c>/</c>.</summary>
    public string Enclave { get; private set; } = "/";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="RosArgumentException"/> for a malformed ROS argument.</summary>
    public static RosArguments Parse(IReadOnlyList<string> args)
    {
        var r = new RosArguments();
        var inRos = false;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--ros-args")
            {
                inRos = true;
                continue;
            }

            if (!inRos)
            {
                r._others.Add(a);
                continue;
            }

            switch (a)
            {
                case "--":
                    inRos = false;
                    break;
                case "-r" or "--remap":
                    r.AddRemap(Next(args, ref i, a));
                    break;
                case "-p" or "--param":
                    var (name, value) = SplitAssignment(Next(args, ref i, a), a);
                    r._parameters.Add(new ParameterSource(null, name, value));
                    break;
                case "--params-file":
                    r._parameters.Add(new ParameterSource(Next(args, ref i, a), null, null));
                    break;
                case "--log-level":
                    r.SetLogLevel(Next(args, ref i, a));
                    break;
                case "-e" or "--enclave":
                    r.SetEnclave(Next(args, ref i, a));
                    break;
                case "--log-config-file" or "--log-file-name":
                    Next(args, ref i, a); // accepted; log files are not used by this node
                    break;
                case "--enable-rosout-logs" or "--disable-rosout-logs" or "--enable-stdout-logs" or "--disable-stdout-logs"
                    or "--enable-external-lib-logs" or "--disable-external-lib-logs":
                    break;
                default:
                    throw new RosArgumentException($"unknown ROS argument '{a}' (expected -r, -p, --params-file, --log-level, --enclave or --)");
            }
        }

        return r;
    }

    /// <summary>The remap rules that apply to node <paramref name="nodeName"/>, in order.</summary>
    public IEnumerable<RemapRule> RemapsFor(string nodeName) =>
        _remaps.Where(m => m.NodeName is null || m.NodeName == nodeName);

    /// <summary>Applies the first matching remap rule to a fully qualified topic name (rcl semantics).</summary>
    public string ApplyRemaps(string fullTopic, string ns, string nodeName)
    {
        foreach (var m in RemapsFor(nodeName))
        {
            if (m.From.StartsWith("__", StringComparison.Ordinal))
            {
                continue;
            }

            if (RosNames.Expand(m.From, ns, nodeName) == fullTopic)
            {
                return RosNames.Expand(m.To, ns, nodeName);
            }
        }

        return fullTopic;
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string flag)
    {
        if (i + 1 >= args.Count)
        {
            throw new RosArgumentException($"'{flag}' needs a value");
        }

        return args[++i];
    }

    private static (string Name, string Value) SplitAssignment(string s, string flag)
    {
        var at = s.IndexOf(":=", StringComparison.Ordinal);
        if (at <= 0)
        {
            throw new RosArgumentException($"'{flag} {s}': expected name:=value");
        }

        return (s[..at], s[(at + 2)..]);
    }

    private void AddRemap(string s)
    {
        var (lhs, to) = SplitAssignment(s, "-r");
        string? node = null;
        var from = lhs;
        var colon = lhs.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            node = lhs[..colon];
            from = lhs[(colon + 1)..];
        }

        if (to.Length == 0)
        {
            throw new RosArgumentException($"'-r {s}': the replacement is empty");
        }

        switch (from)
        {
            case "__node" or "__name":
                if (!RosNames.IsValidNodeName(to))
                {
                    throw new RosArgumentException($"'-r {s}': '{to}' is not a valid node name");
                }

                if (node is null)
                {
                    NodeName = to;
                }
                else
                {
                    _remaps.Add(new RemapRule(node, from, to));
                }

                break;
            case "__ns":
                var ns = RosNames.NormalizeNamespace(to);
                if (!RosNames.IsValidNamespace(ns))
                {
                    throw new RosArgumentException($"'-r {s}': '{to}' is not a valid namespace");
                }

                if (node is null)
                {
                    Namespace = ns;
                }
                else
                {
                    _remaps.Add(new RemapRule(node, from, ns));
                }

                break;
            default:
                _remaps.Add(new RemapRule(node, from, to));
                break;
        }
    }

    private void SetEnclave(string s)
    {
        if (!RosNames.IsValidNamespace(s))
        {
            throw new RosArgumentException($"'--enclave {s}': an enclave is an absolute name such as /part_segmenter");
        }

        Enclave = s;
    }

    private void SetLogLevel(string s)
    {
        var v = s;
        var at = s.IndexOf(":=", StringComparison.Ordinal);
        if (at >= 0)
        {
            v = s[(at + 2)..]; // logger-specific: this node has one logger
        }

        LogLevel = v.ToUpperInvariant() switch
        {
            "DEBUG" => RosLogLevel.Debug,
            "INFO" => RosLogLevel.Info,
            "WARN" or "WARNING" => RosLogLevel.Warn,
            "ERROR" => RosLogLevel.Error,
            "FATAL" => RosLogLevel.Fatal,
            _ => throw new RosArgumentException($"'--log-level {s}': expected debug, info, warn, error or fatal"),
        };
    }

    /// <summary>The node name after node-specific <c>node:__node:=</c> remaps for <paramref name="defaultName"/>.</summary>
    public string ResolveNodeName(string defaultName)
    {
        var specific = _remaps.LastOrDefault(m => m.NodeName == defaultName && m.From is "__node" or "__name");
        return specific?.To ?? NodeName ?? defaultName;
    }

    /// <summary>The namespace for <paramref name="defaultName"/> (node-specific <c>__ns</c> first).</summary>
    public string ResolveNamespace(string defaultName)
    {
        var specific = _remaps.LastOrDefault(m => m.NodeName == defaultName && m.From == "__ns");
        return specific?.To ?? Namespace ?? "/";
    }
}

namespace RosPartSeg.Node;

/// <summary>
/// ROS 2 name rules: validation of node names and namespaces, and expansion of topic names (absolute, relative to
/// the namespace, <c>~</c> private to the node, <c>{node}</c>/<c>{ns}</c> substitutions) as rcl does it.
/// </summary>
public static class RosNames
{
    /// <summary>A node name: letters, digits and underscores, not starting with a digit.</summary>
    public static bool IsValidNodeName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>A namespace: absolute, tokens valid, no trailing slash (except the root <c>/</c>).</summary>
    public static bool IsValidNamespace(string ns) =>
        ns == "/" || (ns.StartsWith('/') && !ns.EndsWith('/') && ns[1..].Split('/').All(IsValidToken));

    /// <summary>
    /// Splits a ROS type name <c>package/msg/Type</c> into its three parts; throws <see cref="ArgumentException"/>
    /// for anything else. The transports build their type names from these parts.
    /// </summary>
    public static (string Package, string Kind, string Name) SplitTypeName(string rosType)
    {
        var parts = rosType.Split('/');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            throw new ArgumentException($"'{rosType}' is not a ROS type name (package/msg/Type)", nameof(rosType));
        }

        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>Normalizes a namespace as rcl does: a missing leading slash is added, a trailing one removed.</summary>
    public static string NormalizeNamespace(string ns)
    {
        var n = ns.Trim();
        if (!n.StartsWith('/'))
        {
            n = "/" + n;
        }

        return n.Length > 1 ? n.TrimEnd('/') : n;
    }

    /// <summary>
    /// Expands <paramref name="name"/> to a fully qualified topic name for the node <paramref name="node"/> in
    /// <paramref name="ns"/>; throws <see cref="ArgumentException"/> naming what is wrong.
    /// </summary>
    public static string Expand(string name, string ns, string node)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var n = name.Replace("{node}", node, StringComparison.Ordinal).Replace("{ns}", ns, StringComparison.Ordinal)
            .Replace("{namespace}", ns, StringComparison.Ordinal);
        string full;
        if (n == "~" || n.StartsWith("~/", StringComparison.Ordinal))
        {
            var priv = Join(ns, node);
            full = n.Length == 1 ? priv : Join(priv, n[2..]);
        }
        else if (n.StartsWith('/'))
        {
            full = n;
        }
        else
        {
            full = Join(ns, n);
        }

        if (full.Length < 2 || full.EndsWith('/') || !full[1..].Split('/').All(IsValidToken))
        {
            throw new ArgumentException($"'{name}' is not a valid topic name (expanded to '{full}')", nameof(name));
        }

        return full;
    }

    private static string Join(string ns, string rest) => ns == "/" ? "/" + rest : ns + "/" + rest;

    private static bool IsValidToken(string token) =>
        token.Length > 0 && !char.IsAsciiDigit(token[0]) && token.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

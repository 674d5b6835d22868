using System.Collections.Frozen;
using System.Reflection;
using System.Text;

namespace RosPartSeg.Messages;

/// <summary>
/// The <c>.msg</c> texts embedded in this assembly and the rosbag2 rule that joins a type's text with its
/// dependencies. The rule is the one of rosbag2's message definition cache (Humble's <c>rosbag2_storage_mcap</c>,
/// Jazzy's <c>rosbag2_cpp</c>): the root text, then depth-first for each not yet seen dependency, in sorted order,
/// a newline, a line of 80 <c>=</c>, a line <c>MSG: package/Name</c> and that dependency's text (recursively).
/// </summary>
public static class MessageDefinitions
{
    /// <summary>The line that separates definitions (80 '=' characters).</summary>
    public static readonly string Separator = new('=', 80);

    private const string ResourcePrefix = "msgdef:";

    private static readonly FrozenSet<string> Primitives = FrozenSet.ToFrozenSet(
    [
        "bool", "byte", "char", "float32", "float64", "int8", "uint8", "int16", "uint16",
        "int32", "uint32", "int64", "uint64", "string",
    ], StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, string>> Embedded = new(LoadEmbedded);

    /// <summary>Every embedded text by key: <c>package/Name</c>, or <c>package/Name.variant</c> for the distro
    /// variants (<c>rmw_dds_common/Gid.humble</c>, <c>rmw_dds_common/Gid.jazzy</c>).</summary>
    public static IReadOnlyDictionary<string, string> Texts => Embedded.Value;

    /// <summary>Looks up an embedded text by <c>package/Name</c> or <c>package/msg/Name</c>.</summary>
    public static bool TryGetText(string type, out string text)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Embedded.Value.TryGetValue(ToShortName(type), out text!);
    }

    /// <summary><c>package/msg/Name</c> or <c>package/Name</c> to <c>package/Name</c>.</summary>
    public static string ToShortName(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        int first = type.IndexOf('/', StringComparison.Ordinal);
        int last = type.LastIndexOf('/');
        return first >= 0 && last > first && type.AsSpan(first + 1, last - first - 1).SequenceEqual("msg")
            ? string.Concat(type.AsSpan(0, first), type.AsSpan(last))
            : type;
    }

    /// <summary>
    /// The types a <c>.msg</c> text refers to, as <c>package/Name</c>, sorted ordinally and without duplicates.
    /// A field line starts (after blanks) with a type, optionally followed by <c>[...]</c>, then blanks; names
    /// without a package belong to <paramref name="package"/>. Comment lines and bounded strings are not types.
    /// </summary>
    public static IReadOnlyList<string> ParseDependencies(string text, string package)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.AsSpan().TrimStart();
            int end = 0;
            while (end < line.Length && IsTypeChar(line[end]))
            {
                end++;
            }
            if (end == 0)
            {
                continue;
            }
            int after = end;
            if (after < line.Length && line[after] == '[')
            {
                int close = line[after..].IndexOf(']');
                if (close < 0)
                {
                    continue;
                }
                after += close + 1;
            }
            if (after >= line.Length || !char.IsWhiteSpace(line[after]))
            {
                continue;
            }
            string type = line[..end].ToString();
            if (Primitives.Contains(type))
            {
                continue;
            }
            found.Add(type.Contains('/', StringComparison.Ordinal) ? type : $"{package}/{type}");
        }
        return [.. found];
    }

    private static bool IsTypeChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '/';

    /// <summary>
    /// Joins <paramref name="rootType"/>'s text with its dependencies by the rosbag2 rule. <paramref name="textOf"/>
    /// gives the text of a <c>package/Name</c>; a dependency it does not know is an error naming it.
    /// </summary>
    public static string BuildFullText(string rootType, Func<string, string?> textOf)
    {
        ArgumentNullException.ThrowIfNull(textOf);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sb = new StringBuilder();
        Append(ToShortName(rootType), 0);
        return sb.ToString();

        void Append(string type, int depth)
        {
            if (depth > 50)
            {
                throw new InvalidOperationException($"message definition of {rootType} nests deeper than 50 levels");
            }
            string text = textOf(type) ?? throw new KeyNotFoundException($"no .msg definition known for {type} (needed by {rootType})");
            sb.Append(text);
            int slash = type.IndexOf('/', StringComparison.Ordinal);
            foreach (var dep in ParseDependencies(text, type[..slash]))
            {
                if (seen.Add(dep))
                {
                    sb.Append('\n').Append(Separator).Append('\n').Append("MSG: ").Append(dep).Append('\n');
                    Append(dep, depth + 1);
                }
            }
        }
    }

    private static FrozenDictionary<string, string> LoadEmbedded()
    {
        var asm = typeof(MessageDefinitions).Assembly;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in asm.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".msg", StringComparison.Ordinal))
            {
                continue;
            }
            string key = name[ResourcePrefix.Length..^4].Replace('\\', '/');
            texts[key] = ReadResource(asm, name);
        }
        return texts.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ReadResource(Assembly asm, string name)
    {
        using var stream = asm.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded message definition {name} is missing");
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
        return reader.ReadToEnd();
    }
}

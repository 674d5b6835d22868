using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RosPartSeg.Messages;

/// <summary>
/// ROS 2 type hashes (REP 2011, "RIHS01"), as Iron and Jazzy put them in endpoint USER_DATA (<c>typehash=...;</c>)
/// and in bag metadata. The hash is the SHA-256 of the type description (the type's fields and, sorted by name,
/// every type it references, without constants, comments or default values) written as compact JSON with
/// <c>", "</c> and <c>": "</c> separators, exactly as rosidl_generator_type_description does.
/// </summary>
public static class TypeHashes
{
    private const int NestedType = 1;
    private const int ArrayOffset = 48;
    private const int BoundedSequenceOffset = 96;
    private const int UnboundedSequenceOffset = 144;
    private const int BoundedString = 21;
    private const int BoundedWString = 22;

    // type_description_interfaces/FieldType ids of the .msg primitives (char is uint8 and byte is octet in ROS 2).
    private static readonly Dictionary<string, int> PrimitiveIds = new(StringComparer.Ordinal)
    {
        ["int8"] = 2, ["uint8"] = 3, ["char"] = 3, ["int16"] = 4, ["uint16"] = 5, ["int32"] = 6, ["uint32"] = 7,
        ["int64"] = 8, ["uint64"] = 9, ["float32"] = 10, ["float64"] = 11, ["bool"] = 15, ["byte"] = 16,
        ["string"] = 17, ["wstring"] = 18,
    };

    private readonly record struct Field(string Name, int TypeId, int Capacity, int StringCapacity, string NestedTypeName);

    /// <summary>
    /// <c>RIHS01_</c> and 64 hex digits for <paramref name="rootType"/> (<c>pkg/Name</c> or <c>pkg/msg/Name</c>);
    /// <paramref name="textOf"/> gives the <c>.msg</c> text of a <c>pkg/Name</c>.
    /// </summary>
    public static string Compute(string rootType, Func<string, string?> textOf)
    {
        ArgumentNullException.ThrowIfNull(textOf);
        string root = MessageDefinitions.ToShortName(rootType);
        var described = new SortedDictionary<string, List<Field>>(StringComparer.Ordinal);
        var rootFields = Describe(root, textOf, described);
        var json = new StringBuilder(1024);
        json.Append("{\"type_description\": ");
        AppendIndividual(json, LongName(root), rootFields);
        json.Append(", \"referenced_type_descriptions\": [");
        bool first = true;
        foreach (var (name, fields) in described)
        {
            if (name == LongName(root))
            {
                continue;
            }
            if (!first)
            {
                json.Append(", ");
            }
            first = false;
            AppendIndividual(json, name, fields);
        }
        json.Append("]}");
        return "RIHS01_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json.ToString())));
    }

    private static List<Field> Describe(string type, Func<string, string?> textOf, SortedDictionary<string, List<Field>> described)
    {
        string text = textOf(type) ?? throw new KeyNotFoundException($"no .msg definition known for {type}");
        int slash = type.IndexOf('/', StringComparison.Ordinal);
        var fields = ParseFields(text, type[..slash], type);
        described[LongName(type)] = fields;
        foreach (var f in fields)
        {
            if (f.NestedTypeName.Length > 0 && !described.ContainsKey(f.NestedTypeName))
            {
                Describe(MessageDefinitions.ToShortName(f.NestedTypeName), textOf, described);
            }
        }
        return fields;
    }

    // pkg/Name is a message (pkg/msg/Name); a name that already says its kind (pkg/srv/Name_Request) stays as it is.
    private static string LongName(string shortName)
    {
        int slash = shortName.IndexOf('/', StringComparison.Ordinal);
        return shortName.IndexOf('/', slash + 1) > 0 ? shortName : $"{shortName[..slash]}/msg/{shortName[(slash + 1)..]}";
    }

    private static List<Field> ParseFields(string text, string package, string typeForErrors)
    {
        var fields = new List<Field>();
        foreach (var raw in text.Split('\n'))
        {
            int hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                throw new FormatException($"{typeForErrors}: cannot read the field line '{line}'");
            }
            if (parts[1].Contains('=', StringComparison.Ordinal) || (parts.Length > 2 && parts[2].StartsWith('=')))
            {
                continue; // a constant: not part of the type description
            }
            fields.Add(ParseField(parts[0], parts[1], package, typeForErrors));
        }
        if (fields.Count == 0)
        {
            // rosidl gives an empty message one placeholder member.
            fields.Add(new Field("structure_needs_at_least_one_member", PrimitiveIds["uint8"], 0, 0, ""));
        }
        return fields;
    }

    private static Field ParseField(string typeToken, string name, string package, string typeForErrors)
    {
        string baseType = typeToken;
        int offset = 0;
        int capacity = 0;
        int bracket = typeToken.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            baseType = typeToken[..bracket];
            string inside = typeToken[(bracket + 1)..].TrimEnd(']');
            if (inside.Length == 0)
            {
                offset = UnboundedSequenceOffset;
            }
            else if (inside.StartsWith("<=", StringComparison.Ordinal))
            {
                offset = BoundedSequenceOffset;
                capacity = int.Parse(inside[2..], CultureInfo.InvariantCulture);
            }
            else
            {
                offset = ArrayOffset;
                capacity = int.Parse(inside, CultureInfo.InvariantCulture);
            }
        }
        int stringCapacity = 0;
        int id;
        string nested = "";
        int bound = baseType.IndexOf("<=", StringComparison.Ordinal);
        if (bound >= 0)
        {
            stringCapacity = int.Parse(baseType[(bound + 2)..], CultureInfo.InvariantCulture);
            id = baseType[..bound] switch
            {
                "string" => BoundedString,
                "wstring" => BoundedWString,
                _ => throw new FormatException($"{typeForErrors}: bounded type '{baseType}' is not a string"),
            };
        }
        else if (PrimitiveIds.TryGetValue(baseType, out int primitive))
        {
            id = primitive;
        }
        else
        {
            id = NestedType;
            nested = LongName(baseType.Contains('/', StringComparison.Ordinal) ? baseType : $"{package}/{baseType}");
        }
        return new Field(name, id + offset, capacity, stringCapacity, nested);
    }

    private static void AppendIndividual(StringBuilder json, string typeName, List<Field> fields)
    {
        json.Append("{\"type_name\": ");
        AppendString(json, typeName);
        json.Append(", \"fields\": [");
        for (int i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            if (i > 0)
            {
                json.Append(", ");
            }
            json.Append("{\"name\": ");
            AppendString(json, f.Name);
            json.Append(CultureInfo.InvariantCulture,
                $", \"type\": {{\"type_id\": {f.TypeId}, \"capacity\": {f.Capacity}, \"string_capacity\": {f.StringCapacity}, \"nested_type_name\": ");
            AppendString(json, f.NestedTypeName);
            json.Append("}}");
        }
        json.Append("]}");
    }

    private static void AppendString(StringBuilder json, string s)
    {
        json.Append('"');
        foreach (char c in s)
        {
            if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7E)
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }
        json.Append('"');
    }
}

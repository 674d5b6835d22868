namespace RosPartSeg.Cli.Commands;

/// <summary>
/// A small parser for <c>--name value</c> options, <c>--flag</c> switches and positional arguments.
/// Unknown options are errors, so a typo never silently falls back to a default.
/// </summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    private CliArgs(List<string> positional) => Positional = positional;

    public IReadOnlyList<string> Positional { get; }

    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>; <paramref name="valued"/> take a value, <paramref name="flags"/> do not.</summary>
    public static CliArgs Parse(string[] args, IReadOnlyCollection<string> valued, IReadOnlyCollection<string>? flags = null)
    {
        var result = new CliArgs([]);
        var positional = (List<string>)result.Positional;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a is "-h" or "--help")
            {
                result.Help = true;
            }
            else if (a.StartsWith("--", StringComparison.Ordinal))
            {
                string name = a, value = "";
                int eq = a.IndexOf('=', StringComparison.Ordinal);
                bool inline = eq > 0;
                if (inline)
                {
                    name = a[..eq];
                    value = a[(eq + 1)..];
                }
                if (valued.Contains(name))
                {
                    if (!inline)
                    {
                        if (i + 1 >= args.Length)
                        {
                            throw new UsageException($"option {name} needs a value");
                        }
                        value = args[++i];
                    }
                    result._options[name] = value;
                }
                else if (flags?.Contains(name) == true && !inline)
                {
                    result._options[name] = null;
                }
                else
                {
                    throw new UsageException($"unknown option {name}");
                }
            }
            else
            {
                positional.Add(a);
            }
        }
        return result;
    }

    public string? Get(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public bool Has(string name) => _options.ContainsKey(name);

    public int GetInt(string name, int fallback, int min, int max)
    {
        var v = Get(name);
        if (v is null)
        {
            return fallback;
        }
        return int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new UsageException($"{name} must be a whole number from {min} to {max} (got '{v}')");
    }

    public double GetDouble(string name, double fallback, double min, double max)
    {
        var v = Get(name);
        if (v is null)
        {
            return fallback;
        }
        return double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) && d >= min && d <= max
            ? d
            : throw new UsageException($"{name} must be a number from {min} to {max} (got '{v}')");
    }

    /// <summary>Parses <c>WxH</c>.</summary>
    public (int Width, int Height) GetSize(string name, int width, int height)
    {
        var v = Get(name);
        if (v is null)
        {
            return (width, height);
        }
        var parts = v.Split('x', 'X');
        return parts.Length == 2 && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out int w) && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out int h) && w > 0 && h > 0 && w <= 8192 && h <= 8192
            ? (w, h)
            : throw new UsageException($"{name} must be WIDTHxHEIGHT, e.g. 640x480 (got '{v}')");
    }
}

/// <summary>Bad command-line usage; the message is shown with the command's help hint.</summary>
internal sealed class UsageException : Exception
{
    public UsageException() { }

    public UsageException(string message) : base(message) { }

    public UsageException(string message, Exception inner) : base(message, inner) { }
}

namespace RosPartSeg.Core.Processing;

/// <summary>
/// The body's tree (head - torso - upper arm - lower arm - hand, torso - upper leg - lower leg - foot) over a model's
/// class ids, found from the class names ("left_"/"right_" prefixes and common synonyms accepted). Splitting people
/// grows each person from its head outwards along this tree, so a hand that touches someone else's torso cannot
/// carry that torso into its own person.
/// </summary>
public sealed class BodyStructure
{
    private enum Part { None, Head, Torso, UpperArm, LowerArm, Hand, UpperLeg, LowerLeg, Foot }

    private static readonly Dictionary<string, Part> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["head"] = Part.Head, ["face"] = Part.Head, ["hair"] = Part.Head,
        ["torso"] = Part.Torso, ["body"] = Part.Torso, ["upper_body"] = Part.Torso, ["chest"] = Part.Torso,
        ["upper_arm"] = Part.UpperArm, ["arm"] = Part.UpperArm,
        ["lower_arm"] = Part.LowerArm, ["forearm"] = Part.LowerArm,
        ["hand"] = Part.Hand,
        ["upper_leg"] = Part.UpperLeg, ["thigh"] = Part.UpperLeg, ["leg"] = Part.UpperLeg,
        ["lower_leg"] = Part.LowerLeg, ["shin"] = Part.LowerLeg, ["calf"] = Part.LowerLeg,
        ["foot"] = Part.Foot, ["feet"] = Part.Foot,
    };

    private static readonly Part[] ParentOf =
        [Part.None, Part.None, Part.Head, Part.Torso, Part.UpperArm, Part.LowerArm, Part.Torso, Part.UpperLeg, Part.LowerLeg];

    private readonly Part[] _part = new Part[256];
    private readonly bool[] _outward = new bool[256 * 256];

    public BodyStructure(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        for (int i = 1; i < classNames.Count && i < 256; i++)
        {
            _part[i] = Names.GetValueOrDefault(Strip(classNames[i]), Part.None);
        }
        for (int a = 1; a < 256; a++)
        {
            for (int b = 1; b < 256; b++)
            {
                _outward[(a << 8) | b] = a == b || (_part[b] != Part.None && ParentOf[(int)_part[b]] == _part[a] && _part[a] != Part.None);
            }
        }
        HasHeads = _part.Contains(Part.Head);
        HasTorsos = _part.Contains(Part.Torso);
    }

    /// <summary>Whether any class is a head; without heads or torsos there is nothing to seed people with.</summary>
    public bool HasHeads { get; }

    public bool HasTorsos { get; }

    public bool IsHead(byte classId) => _part[classId] == Part.Head;

    public bool IsTorso(byte classId) => _part[classId] == Part.Torso;

    /// <summary>True when a person may grow from a cell of class <paramref name="from"/> into one of <paramref name="to"/>:
    /// the same class, or the next part away from the head (torso from head, upper arm from torso, ...).</summary>
    public bool Outward(byte from, byte to) => _outward[(from << 8) | to];

    private static string Strip(string name)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["left_", "right_", "l_", "r_"])
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return name[prefix.Length..];
            }
        }
        return name;
    }
}

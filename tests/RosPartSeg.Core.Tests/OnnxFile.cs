using System.Text;

namespace RosPartSeg.Core.Tests;

/// <summary>
/// Rewrites the metadata_props (field 14 of ONNX's ModelProto) of a model file, leaving every other top-level field
/// byte for byte, so tests can make models without metadata or with wrong metadata from the real one.
/// </summary>
internal static class OnnxFile
{
    private const int MetadataField = 14;

    public static string BundledModel()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "models", "fchardnet70_parts.onnx");
            if (File.Exists(p))
            {
                return p;
            }
        }
        throw new FileNotFoundException("models/fchardnet70_parts.onnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Writes a copy of <paramref name="source"/> whose metadata is exactly <paramref name="metadata"/>.</summary>
    public static string WithMetadata(string source, IReadOnlyDictionary<string, string> metadata, string path)
    {
        var input = File.ReadAllBytes(source);
        using var output = new MemoryStream();
        int pos = 0;
        while (pos < input.Length)
        {
            int start = pos;
            ulong tag = ReadVarint(input, ref pos);
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            switch (wire)
            {
                case 0: ReadVarint(input, ref pos); break;
                case 1: pos += 8; break;
                case 5: pos += 4; break;
                case 2:
                    int length = checked((int)ReadVarint(input, ref pos));
                    pos += length;
                    break;
                default: throw new InvalidDataException($"unexpected wire type {wire} at {start}");
            }
            if (field != MetadataField)
            {
                output.Write(input, start, pos - start);
            }
        }
        foreach (var (key, value) in metadata)
        {
            var entry = new MemoryStream();
            WriteBytes(entry, 1, Encoding.UTF8.GetBytes(key));
            WriteBytes(entry, 2, Encoding.UTF8.GetBytes(value));
            WriteBytes(output, MetadataField, entry.ToArray());
        }
        File.WriteAllBytes(path, output.ToArray());
        return path;
    }

    private static ulong ReadVarint(byte[] b, ref int pos)
    {
        ulong v = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte x = b[pos++];
            v |= (ulong)(x & 0x7F) << shift;
            if (x < 0x80)
            {
                return v;
            }
        }
    }

    private static void WriteVarint(Stream s, ulong v)
    {
        while (v >= 0x80)
        {
            s.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        s.WriteByte((byte)v);
    }

    private static void WriteBytes(Stream s, int field, byte[] data)
    {
        WriteVarint(s, ((ulong)field << 3) | 2);
        WriteVarint(s, (ulong)data.Length);
        s.Write(data);
    }
}

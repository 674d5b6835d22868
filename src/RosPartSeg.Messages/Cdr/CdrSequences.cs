namespace RosPartSeg.Messages.Cdr;

/// <summary>Sequences of nested messages: count, then each element.</summary>
public static class CdrSequences
{
    /// <summary>
    /// Reads a sequence of messages. <paramref name="minElementSize"/> is the fewest bytes one element can take,
    /// so a count that cannot fit in the rest of the message is refused before anything is allocated.
    /// </summary>
    public static T[] Read<T>(ref CdrReader reader, int minElementSize) where T : IRosMessage<T>
    {
        int count = reader.ReadSequenceCount(minElementSize, T.Type.Name);
        if (count == 0)
        {
            return [];
        }
        var items = new T[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = T.Read(ref reader);
        }
        return items;
    }

    public static void Write<T>(CdrWriter writer, IReadOnlyList<T>? items) where T : IRosMessage<T>
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (items is null)
        {
            writer.WriteSequenceCount(0);
            return;
        }
        writer.WriteSequenceCount(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            items[i].Write(writer);
        }
    }
}

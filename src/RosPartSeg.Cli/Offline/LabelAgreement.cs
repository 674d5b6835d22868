using RosPartSeg.Bags;
using RosPartSeg.Core.Frames;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Cli.Offline;

/// <summary>How many pixels of one label image equal the other's.</summary>
public readonly record struct FrameAgreement(Timestamp Stamp, string FrameId, long Pixels, long Agreeing)
{
    public double Share => Pixels == 0 ? 1 : (double)Agreeing / Pixels;
}

/// <summary>The per-frame agreements of two bags' label topics and their total.</summary>
public sealed record LabelAgreementSummary(string Topic, IReadOnlyList<FrameAgreement> Frames)
{
    public long Pixels => Frames.Sum(f => f.Pixels);

    public long Agreeing => Frames.Sum(f => f.Agreeing);

    public double Share => Pixels == 0 ? 1 : (double)Agreeing / Pixels;
}

/// <summary>
/// Per-pixel agreement of the label images in two bags made from the same input (by two machines, builds, models
/// or precisions). The bags must hold the same frames in the same order: each pair must carry the same header and
/// size, else the comparison stops saying where they part, since agreement of unrelated frames means nothing.
/// </summary>
public static class LabelAgreement
{
    public const string DefaultTopic = "/part_segmenter/labels";

    public static LabelAgreementSummary Compare(string bagA, string bagB, string topic = DefaultTopic)
    {
        using var a = BagReader.Open(bagA);
        using var b = BagReader.Open(bagB);
        RequireTopic(a, bagA, topic);
        RequireTopic(b, bagB, topic);
        using var ea = a.ReadMessages(t => t.Name == topic).GetEnumerator();
        using var eb = b.ReadMessages(t => t.Name == topic).GetEnumerator();
        var frames = new List<FrameAgreement>();
        while (true)
        {
            bool moreA = ea.MoveNext(), moreB = eb.MoveNext();
            if (moreA != moreB)
            {
                throw new BagProcessException($"'{(moreA ? bagB : bagA)}' has only {frames.Count} messages on {topic}, the other more");
            }
            if (!moreA)
            {
                break;
            }
            frames.Add(Compare(RosMessage.Decode<Image>(ea.Current.Data), RosMessage.Decode<Image>(eb.Current.Data), frames.Count));
        }
        if (frames.Count == 0)
        {
            throw new BagProcessException($"no messages on {topic} in either bag");
        }
        return new LabelAgreementSummary(topic, frames);
    }

    private static FrameAgreement Compare(Image x, Image y, int index)
    {
        if (x.Header != y.Header)
        {
            throw new BagProcessException($"message {index} differs in its header: {x.Header.Stamp} '{x.Header.FrameId}' and {y.Header.Stamp} '{y.Header.FrameId}'");
        }
        if ((x.Width, x.Height, x.Encoding) != (y.Width, y.Height, y.Encoding) || x.Encoding is not ("mono8" or "8UC1"))
        {
            throw new BagProcessException($"message {index} is {x.Width}x{x.Height} {x.Encoding} and {y.Width}x{y.Height} {y.Encoding}; both must be the same size and mono8");
        }
        int width = (int)x.Width, height = (int)x.Height;
        if (x.Data.Length < (long)x.Step * height || y.Data.Length < (long)y.Step * height || x.Step < width || y.Step < width)
        {
            throw new BagProcessException($"message {index} holds less data than its size and step say");
        }
        long agreeing = 0;
        var dx = x.Data.Span;
        var dy = y.Data.Span;
        for (int row = 0; row < height; row++)
        {
            var rx = dx.Slice(row * (int)x.Step, width);
            var ry = dy.Slice(row * (int)y.Step, width);
            for (int i = 0; i < width; i++)
            {
                agreeing += rx[i] == ry[i] ? 1 : 0;
            }
        }
        return new FrameAgreement(x.Header.Stamp, x.Header.FrameId, (long)width * height, agreeing);
    }

    private static void RequireTopic(BagReader reader, string path, string topic)
    {
        if (!reader.Info.Topics.Any(t => t.Topic.Name == topic))
        {
            throw new BagProcessException($"'{path}' has no topic {topic} (topics: {string.Join(", ", reader.Info.Topics.Select(t => t.Topic.Name))})");
        }
    }
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Cli.Offline;

/// <summary>
/// Pairs a bag's colour frames with its aligned depth images by stamp (nearest within the slop) and the newest
/// CameraInfo's K, in the bag's order. A colour frame whose depth comes later in the bag waits (one frame at most)
/// until that depth, the next colour frame or the end of the bag; so frames go through the pipeline, and the
/// tracker, in time order. Messages are copied: the reader's buffers are reused.
/// </summary>
internal sealed class BagDepthPairing(TimeSpan slop)
{
    private const int Kept = 8;

    private readonly long _slopNs = slop.Ticks * 100;
    private readonly List<(long Stamp, byte[] Data)> _depths = [];
    private CameraIntrinsics? _k;
    private (int Width, int Height) _infoSize;

    /// <summary>A colour message waiting for its depth.</summary>
    public (byte[] Data, long LogTime, long PublishTime)? Pending { get; set; }

    /// <summary>Depth images that could not be used (encoding, geometry, another size than the colour frame).</summary>
    public int Refused { get; private set; }

    /// <summary>Colour frames processed without depth (none within the slop, or no CameraInfo yet).</summary>
    public int WithoutDepth { get; private set; }

    /// <summary>The first refusal, for the summary.</summary>
    public string? FirstRefusal { get; private set; }

    public void OfferInfo(ReadOnlyMemory<byte> message)
    {
        try
        {
            var (_, width, height, k) = DepthMessages.ReadIntrinsics(message.Span);
            if (k.IsValid)
            {
                (_k, _infoSize) = (k, (width, height));
            }
        }
        catch (CdrException)
        {
            // A malformed CameraInfo changes nothing.
        }
    }

    /// <summary>Keeps a copy of a depth message; returns its stamp (nanoseconds), or null when it has none readable.</summary>
    public long? OfferDepth(ReadOnlyMemory<byte> message)
    {
        long stamp;
        try
        {
            stamp = Header.ReadStamp(message.Span).TotalNanoseconds;
        }
        catch (CdrException)
        {
            Refuse("a depth message is not well-formed CDR");
            return null;
        }
        if (_depths.Count == Kept)
        {
            _depths.RemoveAt(0);
        }
        _depths.Add((stamp, message.ToArray()));
        return stamp;
    }

    /// <summary>Whether a depth of this stamp pairs with a colour stamp.</summary>
    public bool Pairs(long depthStamp, Timestamp colour) => Math.Abs(depthStamp - colour.TotalNanoseconds) <= _slopNs;

    /// <summary>Whether a kept depth pairs with <paramref name="colour"/>.</summary>
    public bool HasDepthFor(Timestamp colour) => _depths.Exists(d => Pairs(d.Stamp, colour));

    /// <summary>The depth input for a decoded colour frame, or none (counted, the reason kept).</summary>
    public DepthInput DepthFor(in ImageFrame frame)
    {
        long target = frame.Stamp.TotalNanoseconds;
        int best = -1;
        for (int i = 0; i < _depths.Count; i++)
        {
            if (Math.Abs(_depths[i].Stamp - target) <= _slopNs && (best < 0 || Math.Abs(_depths[i].Stamp - target) < Math.Abs(_depths[best].Stamp - target)))
            {
                best = i;
            }
        }
        if (best < 0 || _k is null)
        {
            WithoutDepth++;
            return default;
        }
        if (!DepthMessages.TryDecodeDepth(_depths[best].Data, null, out _, out var depth, out var error))
        {
            return Refuse(error!);
        }
        if (depth.Width != frame.Width || depth.Height != frame.Height)
        {
            return Refuse($"depth image of {depth.Width}x{depth.Height} is not the colour frame's {frame.Width}x{frame.Height} (depth must be aligned to the colour image)");
        }
        if (_infoSize.Width != 0 && _infoSize.Height != 0 && _infoSize != (frame.Width, frame.Height))
        {
            return Refuse($"CameraInfo is for {_infoSize.Width}x{_infoSize.Height}, the colour frame is {frame.Width}x{frame.Height}");
        }
        return new DepthInput(depth, _k.Value);
    }

    private DepthInput Refuse(string reason)
    {
        Refused++;
        FirstRefusal ??= reason;
        return default;
    }
}

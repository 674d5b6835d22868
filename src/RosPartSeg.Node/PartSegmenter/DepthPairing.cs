using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// Pairs each colour frame with the aligned depth image of the same stamp (exact, or the nearest within the slop)
/// and the newest CameraInfo's K. The transport thread copies each depth message into one of a few reused slots
/// (the oldest is overwritten: no queue grows, however fast depth arrives); the worker checks the best slot out
/// for one frame and gives it back. Knows the ROS messages, not the pipeline.
/// </summary>
public sealed class DepthPairing
{
    // Depth usually arrives within a frame of its colour image; four slots cover a worker a few frames behind.
    private const int Slots = 4;

    private readonly Lock _lock = new();
    private readonly byte[][] _buffers = new byte[Slots][];
    private readonly int[] _lengths = new int[Slots];
    private readonly long[] _stamps = new long[Slots];
    private readonly long[] _arrived = new long[Slots];
    private readonly long _slopNs;
    private int _inUse = -1;
    private long _sequence;
    private CameraIntrinsics _k;
    private int _infoWidth;
    private int _infoHeight;
    private bool _hasInfo;
    private long _depthReceived;
    private long _infoReceived;
    private long _unpaired;

    public DepthPairing(TimeSpan slop)
    {
        _slopNs = slop.Ticks * 100;
        for (int i = 0; i < Slots; i++)
        {
            _buffers[i] = new byte[1 << 16];
            _stamps[i] = long.MinValue;
        }
    }

    /// <summary>Depth messages received.</summary>
    public long DepthReceived => Interlocked.Read(ref _depthReceived);

    /// <summary>CameraInfo messages received.</summary>
    public long InfoReceived => Interlocked.Read(ref _infoReceived);

    /// <summary>Colour frames that found no depth within the slop, or no CameraInfo yet (published without 3D).</summary>
    public long Unpaired => Interlocked.Read(ref _unpaired);

    /// <summary>Bytes the depth slots hold.</summary>
    public long BufferBytes
    {
        get
        {
            lock (_lock)
            {
                return _buffers.Sum(b => (long)b.Length);
            }
        }
    }

    /// <summary>Transport thread: keeps a copy of a depth Image in the oldest slot not in use.</summary>
    public void OfferDepth(ReadOnlySpan<byte> message)
    {
        Interlocked.Increment(ref _depthReceived);
        long stamp;
        try
        {
            stamp = Header.ReadStamp(message).TotalNanoseconds;
        }
        catch (CdrException)
        {
            stamp = long.MinValue; // kept so the worker reports it when its frame asks; never pairs by stamp
        }
        lock (_lock)
        {
            int slot = -1;
            for (int i = 0; i < Slots; i++)
            {
                if (i != _inUse && (slot < 0 || _arrived[i] < _arrived[slot]))
                {
                    slot = i;
                }
            }
            if (_buffers[slot].Length < message.Length)
            {
                _buffers[slot] = new byte[Math.Max(message.Length, _buffers[slot].Length * 2)];
            }
            message.CopyTo(_buffers[slot]);
            _lengths[slot] = message.Length;
            _stamps[slot] = stamp;
            _arrived[slot] = ++_sequence;
        }
    }

    /// <summary>Transport thread: keeps the newest CameraInfo's K; a malformed or unusable one is ignored (and counted when asked).</summary>
    public void OfferInfo(ReadOnlySpan<byte> message)
    {
        Interlocked.Increment(ref _infoReceived);
        try
        {
            var (_, width, height, k) = DepthMessages.ReadIntrinsics(message);
            if (!k.IsValid)
            {
                return;
            }
            lock (_lock)
            {
                (_k, _infoWidth, _infoHeight, _hasInfo) = (k, width, height, true);
            }
        }
        catch (CdrException)
        {
            // A malformed CameraInfo changes nothing: the previous K stays.
        }
    }

    /// <summary>
    /// Worker: the serialized depth message nearest to <paramref name="stamp"/> within the slop, checked out until
    /// <see cref="Release"/>, with the newest K and the CameraInfo's image size; false when there is none (counted).
    /// </summary>
    public bool TryCheckOut(Timestamp stamp, out ReadOnlyMemory<byte> depthMessage, out CameraIntrinsics k, out int infoWidth, out int infoHeight)
    {
        long target = stamp.TotalNanoseconds;
        lock (_lock)
        {
            int best = -1;
            long bestGap = long.MaxValue;
            for (int i = 0; i < Slots; i++)
            {
                if (_stamps[i] == long.MinValue || _lengths[i] == 0)
                {
                    continue;
                }
                long gap = Math.Abs(_stamps[i] - target);
                if (gap <= _slopNs && gap < bestGap)
                {
                    (best, bestGap) = (i, gap);
                }
            }
            if (best < 0 || !_hasInfo)
            {
                Interlocked.Increment(ref _unpaired);
                (depthMessage, k, infoWidth, infoHeight) = (default, default, 0, 0);
                return false;
            }
            _inUse = best;
            depthMessage = _buffers[best].AsMemory(0, _lengths[best]);
            (k, infoWidth, infoHeight) = (_k, _infoWidth, _infoHeight);
            return true;
        }
    }

    /// <summary>Worker: gives the checked-out slot back to the transport thread.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _inUse = -1;
        }
    }
}

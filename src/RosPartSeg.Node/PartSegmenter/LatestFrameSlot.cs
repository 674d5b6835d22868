using System.Diagnostics;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// Hands the newest serialized frame from the transport thread to the worker: a frame that arrives while the
/// previous one is still waiting replaces it (counted as dropped), so the worker never falls behind a queue.
/// Two reused buffers swap between the sides; the only copy is the one out of the transport's memory.
/// </summary>
public sealed class LatestFrameSlot : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _ready = new(0, 1);
    private byte[] _pending = new byte[1 << 16];
    private byte[] _working = new byte[1 << 16];
    private int _pendingLength;
    private long _pendingArrival;
    private bool _hasPending;
    private long _dropped;
    private long _received;
    private long _lastArrival;

    /// <summary>Frames replaced before the worker took them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Frames offered.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>When the newest frame arrived (<see cref="Stopwatch.GetTimestamp"/>), or 0 before the first.</summary>
    public long LastArrival => Interlocked.Read(ref _lastArrival);

    /// <summary>Stores a copy of <paramref name="message"/> as the newest frame (transport thread).</summary>
    public void Offer(ReadOnlySpan<byte> message)
    {
        var arrival = Stopwatch.GetTimestamp();
        bool signal;
        lock (_lock)
        {
            Interlocked.Increment(ref _received);
            if (_hasPending)
            {
                Interlocked.Increment(ref _dropped);
            }

            if (_pending.Length < message.Length)
            {
                _pending = new byte[Math.Max(message.Length, _pending.Length * 2)];
            }

            message.CopyTo(_pending);
            _pendingLength = message.Length;
            _pendingArrival = arrival;
            Interlocked.Exchange(ref _lastArrival, arrival);
            signal = !_hasPending;
            _hasPending = true;
        }

        if (signal)
        {
            _ready.Release();
        }
    }

    /// <summary>
    /// Waits for a frame; the returned memory stays valid until the next call (worker thread only). Returns false
    /// when cancelled or when <paramref name="timeout"/> passes without a frame.
    /// </summary>
    public bool TryTake(TimeSpan timeout, CancellationToken cancel, out ReadOnlyMemory<byte> frame, out long arrivalTimestamp)
    {
        frame = default;
        arrivalTimestamp = 0;
        try
        {
            if (!_ready.Wait(timeout, cancel))
            {
                return false;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        lock (_lock)
        {
            (_pending, _working) = (_working, _pending);
            frame = _working.AsMemory(0, _pendingLength);
            arrivalTimestamp = _pendingArrival;
            _hasPending = false;
        }

        return true;
    }

    /// <summary>Bytes held by the two buffers (each as large as the largest frame so far).</summary>
    public long BufferBytes => (long)Volatile.Read(ref _pending).Length + Volatile.Read(ref _working).Length;

    /// <summary>
    /// Replaces buffers larger than <paramref name="bytes"/> with ones of that size (worker thread, between frames:
    /// the memory of the last taken frame is invalid afterwards). A frame still waiting keeps its buffer.
    /// </summary>
    public void Shrink(int bytes)
    {
        lock (_lock)
        {
            if (_working.Length > bytes)
            {
                _working = new byte[bytes];
            }

            if (!_hasPending && _pending.Length > bytes)
            {
                _pending = new byte[bytes];
            }
        }
    }

    public void Dispose() => _ready.Dispose();
}

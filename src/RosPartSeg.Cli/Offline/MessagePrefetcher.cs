using System.Buffers;
using System.Collections.Concurrent;
using RosPartSeg.Bags;

namespace RosPartSeg.Cli.Offline;

/// <summary>
/// Reads (and decompresses) a bag's messages on a background thread a few messages ahead, so storage work overlaps
/// the pipeline. Each message is copied once into a pooled buffer, handed over, and returned to the pool when the
/// consumer moves on. A reader failure is rethrown to the consumer.
/// </summary>
internal sealed class MessagePrefetcher : IDisposable
{
    private readonly BlockingCollection<Item> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _failure;
    private byte[]? _current;

    public MessagePrefetcher(IEnumerable<BagMessage> source, int depth = 4)
    {
        _queue = new BlockingCollection<Item>(depth);
        _thread = new Thread(() => Produce(source)) { IsBackground = true, Name = "bag prefetch" };
        _thread.Start();
    }

    /// <summary>The messages in order; each one's data is valid until the next is taken.</summary>
    public IEnumerable<BagMessage> Messages()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            Release();
            _current = item.Buffer;
            yield return item.Message;
        }
        Release();
        if (_failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        while (_queue.TryTake(out var item))
        {
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
        _thread.Join();
        while (_queue.TryTake(out var item))
        {
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
        Release();
        _queue.Dispose();
        _stop.Dispose();
    }

    private void Release()
    {
        if (_current is not null)
        {
            ArrayPool<byte>.Shared.Return(_current);
            _current = null;
        }
    }

    private void Produce(IEnumerable<BagMessage> source)
    {
        try
        {
            foreach (var m in source)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, m.Data.Length));
                m.Data.Span.CopyTo(buffer);
                var copy = m with { Data = buffer.AsMemory(0, m.Data.Length) };
                try
                {
                    _queue.Add(new Item(copy, buffer), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failure = e;
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }

    private readonly record struct Item(BagMessage Message, byte[] Buffer);
}

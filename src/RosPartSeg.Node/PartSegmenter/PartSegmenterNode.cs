using System.Diagnostics;
using System.Globalization;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Imaging;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Diagnostic;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// The part segmenter node: wires the input topic to the pipeline and the pipeline to the output topics. The
/// transport thread only copies the newest frame into a <see cref="LatestFrameSlot"/>; one worker decodes,
/// segments and publishes, computing only the outputs somebody subscribes to; a timer publishes /diagnostics and
/// warns when no image arrives. Bad frames are logged (rate-limited per cause) and counted; the node keeps running.
/// </summary>
public sealed partial class PartSegmenterNode : IDisposable
{
    private static readonly TimeSpan BadFrameLogInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan NoImageRepeat = TimeSpan.FromSeconds(30);

    // Buffers grown for a frame at least this many times the area of the frames since are let go after this many of
    // them: one large frame must not keep its memory for good, and a camera that alternates sizes must not churn.
    private const int ShrinkAreaRatio = 4;
    private const int ShrinkAfterFrames = 100;

    private readonly NodeSettings _settings;
    private readonly SegmentationPipeline _pipeline;
    private readonly IRosTransport _transport;
    private readonly RosLogger _log;
    private readonly LatestFrameSlot _slot = new();
    private readonly NodeStatistics _stats = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Utf8StringCache _strings = new();
    private readonly ImageDecoder _decoder; // the compressed input's pixels, reused from frame to frame
    private readonly Func<string> _describeOversize;
    private readonly CdrWriter _out = new(1 << 20);
    private readonly CdrWriter _diagOut = new();
    private readonly Lock _diagLock = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Func<string> _describeRefused;
    // detections_include_people may change at run time: one settings object per value, made once, chosen per frame.
    private readonly FrameOutputSettings _outputSettingsWithPeople;
    private readonly FrameOutputSettings _outputSettingsWithoutPeople;
    private IRosPublisher?[] _outputs = []; // one per FrameOutputs.All entry, same order; null: not advertised (3D without depth_topic)
    private IRosPublisher? _labelInfo;
    private IRosPublisher? _diagnostics;
    private IRosSubscription? _input;
    private Thread? _worker;
    private Timer? _timer;
    private string? _lastLabelInfoFrameId;
    private long _lastBad;
    private ReadOnlyMemory<byte> _refused; // the last refused message, explained only when a log line is due
    private long _lastTrim = Stopwatch.GetTimestamp();
    private int _trims;
    private long _workerAllocated;
    private long _lastReportedAllocated;
    private long _largestArea; // pixels of the largest frame since the buffers were last let go
    private int _smallFrames; // frames in a row at most 1/ShrinkAreaRatio of that
    private int _oversizeWidth;
    private int _oversizeHeight;
    private bool _inputStalled; // the timer's view: input stopped for no_image_warning after frames had arrived
    private long _lastStallLog;
    private bool _disposed;
    private volatile RuntimeSettings _runtime; // the dynamic parameters, swapped whole on a set (see Reconfigure)
    private ParameterServer? _parameterServer;
    private ParameterEndpoints? _parameterEndpoints;

    /// <param name="codec">The compressed input's JPEG/PNG library; null: the process's choice (<see cref="ImageCodec.Backend"/>).</param>
    public PartSegmenterNode(NodeSettings settings, SegmentationPipeline pipeline, IRosTransport transport, RosLogger log, ImageCodecBackend? codec = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _describeRefused = DescribeRefused;
        _describeOversize = DescribeOversize;
        _outputSettingsWithPeople = new FrameOutputSettings { DetectionsIncludePeople = true, Palette = pipeline.Model.Palette };
        _outputSettingsWithoutPeople = _outputSettingsWithPeople with { DetectionsIncludePeople = false };
        _depth = settings.DepthTopic.Length > 0 ? new DepthPairing(settings.DepthSlop) : null;
        _decoder = new ImageDecoder { MaxSide = settings.MaxInputSide, Codec = codec ?? ImageCodec.Backend };
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _runtime = RuntimeSettings.From(settings, pipeline.Options);
    }

    /// <summary>The dynamic parameters the next frame will use.</summary>
    public RuntimeSettings Runtime => _runtime;

    /// <summary>The parameter services' logic (null before <see cref="Start"/>).</summary>
    public ParameterServer? Parameters => _parameterServer;

    /// <summary>Service requests that could not be read, all parameter services together.</summary>
    public long MalformedServiceRequests => _parameterEndpoints?.MalformedRequests ?? 0;

    /// <summary>Frames received on the input topic.</summary>
    public long Received => _slot.Received;

    /// <summary>Frames replaced by newer ones before processing.</summary>
    public long Dropped => _slot.Dropped;

    public long Processed => _stats.Processed;

    public long BadFrames => _stats.BadFrames;

    /// <summary>Outputs whose publish failed (counted apart from bad frames: the frame itself was processed).</summary>
    public long PublishFailed => _stats.PublishFailed;

    /// <summary>Bad frames per cause.</summary>
    public BadFrameCounts BadByCause => _stats.BadByCause;

    /// <summary>
    /// How long <see cref="Dispose"/> waits for the frame in flight. A frame that takes longer is hung (a stuck GPU
    /// driver, a DDS write that never returns): Dispose then gives up, leaves the pipeline and the DDS entities alone
    /// (the worker may still be inside them) and says so; <see cref="WorkerStopped"/> is false.
    /// </summary>
    public TimeSpan ShutdownFrameWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>False after a <see cref="Dispose"/> that gave up on a hung frame: the pipeline must not be freed.</summary>
    public bool WorkerStopped { get; private set; } = true;

    /// <summary>Managed bytes the worker thread has allocated so far (updated after each frame).</summary>
    public long WorkerAllocatedBytes => Interlocked.Read(ref _workerAllocated);

    /// <summary>Creates the publishers and the subscription and starts the worker and the diagnostics timer.</summary>
    public void Start()
    {
        var s = _settings;
        _log.Sink = new RosoutPublisher(_transport).Publish;
        _outputs = [.. FrameOutputs.All.Select(o => o.NeedsDepth && _depth is null ? null : _transport.Advertise(s.OutputTopic(o.Name), o.Type.RosName, s.OutputQos))];
        _labelInfo = _transport.Advertise(s.LabelInfoTopic, "vision_msgs/msg/LabelInfo", s.LabelInfoQos);
        _diagnostics = _transport.Advertise(s.DiagnosticsTopic, "diagnostic_msgs/msg/DiagnosticArray", s.DiagnosticsQos);
        PublishLabelInfo(Now(), "");

        _worker = new Thread(WorkLoop) { IsBackground = true, Name = "part-segmenter" };
        _worker.Start();
        _input = _transport.Subscribe(s.InputTopic, s.InputType, s.InputQos, _slot.Offer);
        SubscribeDepth();
        // After the inputs: where SROS2 permissions refuse both, the error names the input topic first.
        RuntimeSettings.ReportEffective(s.Parameters, _pipeline.Options);
        _parameterServer = new ParameterServer(s.Parameters, NodeSettings.Descriptors, s.FullyQualifiedName, Reconfigure);
        _parameterEndpoints = new ParameterEndpoints(_transport, _parameterServer, _log);
        _timer = new Timer(_ => OnTimer(), null, _runtime.DiagnosticsPeriod, _runtime.DiagnosticsPeriod);

        var m = _pipeline.Model;
        _log.Info($"model {m.Name} ({m.InputWidth}x{m.InputHeight}, {m.ClassCount} classes), execution provider {_pipeline.Provider}");
        _log.Info($"subscribed to {s.InputTopic} ({s.InputType}) with QoS {s.InputQos}");
        _log.Info($"publishing {string.Join(", ", _outputs.OfType<IRosPublisher>().Select(o => o.Topic))} " +
                  $"with QoS {s.OutputQos}; {s.LabelInfoTopic} ({s.LabelInfoQos}); {s.DiagnosticsTopic} every {s.DiagnosticsPeriod.TotalSeconds:0.###} s");
    }

    /// <summary>
    /// Stops the diagnostics timer (waiting for a callback in flight) and the worker (after the frame in flight) and
    /// shuts the transport down (all native handles released).
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        // A diagnostics callback may be publishing: wait until it returns, so no publish overlaps the transport's
        // shutdown. One stuck longer (a reliable write that blocks) is left behind; the DDS transport then deletes
        // that writer when its write returns.
        if (_timer is not null && !_timer.DisposeAsync().AsTask().Wait(ShutdownFrameWait))
        {
            _log.Warn($"a diagnostics callback did not finish within {ShutdownFrameWait.TotalSeconds:0.#} s; shutting down without it");
        }

        // The worker stops between frames. Never leave it inside the pipeline: the host disposes the pipeline (the
        // ONNX Runtime session) next, and a slow frame (a CPU-only board, an emulator) would run on freed memory.
        if (_worker is not null && !_worker.Join(TimeSpan.FromSeconds(2)))
        {
            _log.Info($"waiting for the frame in flight to finish (at most {ShutdownFrameWait.TotalSeconds:0.#} s)");
            if (!_worker.Join(ShutdownFrameWait))
            {
                WorkerStopped = false;
                _log.Error($"the frame in flight did not finish within {(ShutdownFrameWait + TimeSpan.FromSeconds(2)).TotalSeconds:0.#} s: " +
                           "exiting without releasing the model and the DDS entities the worker may still be using");
                return;
            }
        }

        _input?.Dispose();
        DisposeDepth();
        _log.Sink = null;
        _parameterEndpoints?.Dispose();
        _transport.Shutdown();
        _slot.Dispose();
        _stop.Dispose();
    }

    // A service thread, one set at a time: the new snapshot is built aside and swapped in whole; the worker picks it
    // up at its next frame, the timer at once.
    private void Reconfigure(IReadOnlyList<(string Name, object Value)> changes)
    {
        var before = _runtime;
        var next = before;
        foreach (var (name, value) in changes)
        {
            next = next.With(name, value);
        }

        _runtime = next;
        if (next.DiagnosticsPeriod != before.DiagnosticsPeriod && !_disposed)
        {
            try
            {
                _timer?.Change(next.DiagnosticsPeriod, next.DiagnosticsPeriod);
            }
            catch (ObjectDisposedException)
            {
                // a set that raced with Dispose: the node is stopping, its timer with it
            }
        }

        _log.Info("parameters set: " + string.Join(", ", changes.Select(c => $"{c.Name} = {Convert.ToString(c.Value, CultureInfo.InvariantCulture)}")));
    }

    private static Timestamp Now() => Timestamp.FromNanoseconds((DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100);

    private void WorkLoop()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            if (!_slot.TryTake(TimeSpan.FromMilliseconds(250), token, out var message, out var arrival))
            {
                continue;
            }

            try
            {
                ProcessOne(message, arrival);
                Interlocked.Exchange(ref _workerAllocated, GC.GetAllocatedBytesForCurrentThread());
            }
            catch (FrameException e)
            {
                Bad(BadFrameCauses.Of(e), $"frame:{e.Error}", $"dropping a bad frame ({e.Error}): {e.Message}");
            }
            catch (CdrException e)
            {
                Bad(BadFrameCause.CdrMalformed, "cdr", $"dropping a malformed {_settings.InputType} message: {e.Message}");
            }
#pragma warning disable CA1031 // the node must survive any one frame
            catch (Exception e)
#pragma warning restore CA1031
            {
                Bad(BadFrameCauses.Of(e), e.GetType().Name, $"dropping a frame that failed: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    // A raw Image refused without an exception: counted; the explaining exception is made only for a log line.
    private void Refuse(BadFrameCause cause, ReadOnlyMemory<byte> message)
    {
        _stats.CountBad(cause);
        _refused = message;
        _log.LogThrottled(RosLogLevel.Warn, cause.Name(), BadFrameLogInterval, _describeRefused);
        _refused = default;
    }

    // A valid frame beyond max_input_side: counted without allocating, explained only when a log line is due.
    private void RefuseOversize(int width, int height)
    {
        _stats.CountBad(BadFrameCause.SizeTooLarge);
        (_oversizeWidth, _oversizeHeight) = (width, height);
        _log.LogThrottled(RosLogLevel.Warn, "max_input_side", BadFrameLogInterval, _describeOversize);
    }

    private string DescribeOversize() =>
        $"dropping a frame of {_oversizeWidth}x{_oversizeHeight}: more than max_input_side {_settings.MaxInputSide} pixels on a side ({_stats.BadFrames} bad frames so far: {_stats.BadByCause})";

    /// <summary>Bytes held in buffers that grow with the input: the frame slot, the output message, the pipeline's and the decoder's.</summary>
    public long FrameBufferBytes => _slot.BufferBytes + _out.Capacity + _pipeline.InputBufferBytes + _decoder.BufferBytes + (_depth?.BufferBytes ?? 0);

    // Worker thread, before the frame is processed: after ShrinkAfterFrames frames in a row of at most a quarter of
    // the largest one's area, every buffer sized by that frame is let go (and the managed heap compacted, so the
    // memory goes back to the system); the buffers are allocated anew at the current size. The current frame's
    // data stays valid: its memory references the old array, which the GC frees once the frame is done.
    private void ShrinkAfterLargeFrame(long area, int messageBytes)
    {
        if (area * ShrinkAreaRatio > _largestArea)
        {
            _largestArea = Math.Max(_largestArea, area);
            _smallFrames = 0;
            return;
        }
        if (++_smallFrames < ShrinkAfterFrames)
        {
            return;
        }

        var before = FrameBufferBytes;
        _slot.Shrink(Math.Max(messageBytes, 1 << 16)); // the current message is in the working buffer: kept by size
        _out.Shrink(1 << 20);
        _pipeline.ReleaseInputBuffers();
        _decoder.Release();
        ProcessMemory.CompactManagedHeap();
        _log.Info($"released {(before - FrameBufferBytes) >> 20} MiB of frame buffers after {ShrinkAfterFrames} frames smaller than the largest so far");
        _largestArea = area;
        _smallFrames = 0;
    }

    private string DescribeRefused()
    {
        string what;
        try
        {
            _ = ImageMessages.DecodeFrame(_refused);
            what = "dropping a frame";
        }
        catch (FrameException e)
        {
            what = $"dropping a bad frame ({e.Error}): {e.Message}";
        }
        catch (CdrException e)
        {
            what = $"dropping a malformed {_settings.InputType} message: {e.Message}";
        }
        return $"{what} ({_stats.BadFrames} bad frames so far: {_stats.BadByCause})";
    }

    private void Bad(BadFrameCause cause, string logKey, string message)
    {
        _stats.CountBad(cause);
        _log.LogThrottled(RosLogLevel.Warn, logKey, BadFrameLogInterval,
            () => $"{message} ({_stats.BadFrames} bad frames so far: {_stats.BadByCause})");
    }

    private void ProcessOne(ReadOnlyMemory<byte> message, long arrival)
    {
        var runtime = _runtime; // one snapshot for the whole frame
        if (!ReferenceEquals(_pipeline.Options, runtime.Pipeline))
        {
            _pipeline.Options = runtime.Pipeline;
        }

        // Outputs nobody subscribes to are not computed. Subscriber counts are read once per frame, so the
        // outputs published below are exactly those the pipeline was asked for.
        var outputs = PipelineOutputs.None;
        uint wanted = 0; // bit i: FrameOutputs.All[i] has a subscriber
        var table = FrameOutputs.All;
        for (int i = 0; i < _outputs.Length; i++)
        {
            if (_outputs[i] is { SubscriberCount: > 0 })
            {
                wanted |= 1u << i;
                outputs |= table[i].Needs;
            }
        }

        ImageFrame frame;
        if (_settings.Compressed)
        {
            frame = DecodeCompressed(message);
        }
        else if (!ImageMessages.TryDecodeFrame(message, _strings, null, out frame, out var cause))
        {
            Refuse(cause, message);
            return;
        }
        if (frame.Width > _settings.MaxInputSide || frame.Height > _settings.MaxInputSide)
        {
            RefuseOversize(frame.Width, frame.Height);
            return;
        }
        ShrinkAfterLargeFrame((long)frame.Width * frame.Height, message.Length);
        if (frame.FrameId != _lastLabelInfoFrameId)
        {
            PublishLabelInfo(frame.Stamp, frame.FrameId);
        }

        if (outputs == PipelineOutputs.None)
        {
            return; // nobody listens: validate the input, compute nothing
        }

        SegmentationResult r;
        try
        {
            r = _pipeline.Process(frame, outputs, PairDepth(frame));
        }
        finally
        {
            _depth?.Release(); // the depth slot is only read inside Process
        }
        // In table order (small outputs first), each publish on its own: a reliable writer that times out behind a
        // subscriber that stopped acknowledging (RViz over a bad link) must cost that output only, never the others.
        var outputSettings = runtime.DetectionsIncludePeople ? _outputSettingsWithPeople : _outputSettingsWithoutPeople;
        for (int i = 0; i < _outputs.Length; i++)
        {
            if ((wanted & (1u << i)) != 0 && (r.Has3D || !table[i].NeedsDepth))
            {
                table[i].Encode(_out, r, outputSettings);
                Publish(_outputs[i]!);
            }
        }

        _stats.Record(Stopwatch.GetElapsedTime(arrival).TotalMilliseconds, _pipeline.LastTimings.InferenceMs);
    }

    // One output's message in _out: a failure is counted (publish_failed) and logged per topic, and the frame goes on.
    private void Publish(IRosPublisher publisher)
    {
        try
        {
            publisher.Publish(_out.WrittenSpan);
        }
#pragma warning disable CA1031 // whatever one writer throws, the other outputs are still published
        catch (Exception e)
#pragma warning restore CA1031
        {
            CountPublishFailure(publisher.Topic, e);
        }
    }

    // Apart from Publish: a lambda there would allocate its closure on every call, failing or not.
    private void CountPublishFailure(string topic, Exception e)
    {
        _stats.CountPublishFailed();
        _log.LogThrottled(RosLogLevel.Warn, "publish " + topic, BadFrameLogInterval,
            () => $"publishing {topic} failed ({_stats.PublishFailed} outputs so far), the other outputs of the frame are published: {e.Message}");
    }

    private ImageFrame DecodeCompressed(ReadOnlyMemory<byte> message)
    {
        var (header, data) = ImageMessages.ReadCompressed(message, _strings);
        return _decoder.Decode(data.Span, header.Stamp, header.FrameId);
    }

    private void PublishLabelInfo(Timestamp stamp, string frameId)
    {
        lock (_diagLock)
        {
            ResultMessages.WriteLabelInfo(_diagOut, stamp, frameId, _pipeline.Model.ClassNames);
            _labelInfo!.Publish(_diagOut.WrittenSpan);
            _lastLabelInfoFrameId = frameId;
        }
    }

    private void OnTimer()
    {
        try
        {
            PublishDiagnostics();
            WarnIfNoImage();
            TrimNativeHeap();
        }
#pragma warning disable CA1031 // a timer callback must not take the process down
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.LogThrottled(RosLogLevel.Error, "diagnostics", TimeSpan.FromSeconds(30), () => $"diagnostics failed: {e.Message}");
        }
    }

    private void PublishDiagnostics()
    {
        var p = _stats.TakePeriod();
        // One snapshot per cause, so bad_frames is exactly their sum in every message.
        var byCause = BadFrameCauses.All.Select(cause => (cause, _stats.BadByCause[cause])).ToArray();
        var bad = byCause.Sum(b => b.Item2);
        var newBad = bad - Interlocked.Exchange(ref _lastBad, bad);
        var received = _slot.Received;
        var allocated = WorkerAllocatedBytes;
        var periodAllocated = allocated - Interlocked.Exchange(ref _lastReportedAllocated, allocated);
        var sinceLast = SinceLastImage();
        var (level, text) = received == 0 ? (DiagnosticLevel.Warn, "no input image yet")
            : IsStalled(sinceLast) ? (DiagnosticLevel.Warn, $"no input image for {sinceLast.TotalSeconds:0.0} s (no_image_warning {_runtime.NoImageWarning.TotalSeconds:0.###} s)")
            : newBad > 0 ? (DiagnosticLevel.Warn, $"{newBad} bad input frames in the last period")
            : p.Frames == 0 ? (DiagnosticLevel.Ok, "idle (no input, or no subscribers)")
            : (DiagnosticLevel.Ok, "ok");
        var c = CultureInfo.InvariantCulture;
        var values = new List<KeyValue>
        {
            new("rate_hz", p.RateHz.ToString("0.00", c)),
            new("latency_ms_mean", p.LatencyMeanMs.ToString("0.00", c)),
            new("latency_ms_max", p.LatencyMaxMs.ToString("0.00", c)),
            new("inference_ms_mean", p.InferenceMeanMs.ToString("0.00", c)),
            new("frames_received", received.ToString(c)),
            new("frames_processed", _stats.Processed.ToString(c)),
            new("frames_dropped", _slot.Dropped.ToString(c)),
            new("bad_frames", bad.ToString(c)),
            new("publish_failed", _stats.PublishFailed.ToString(c)),
            new("frame_buffer_bytes", FrameBufferBytes.ToString(c)),
            new("seconds_since_last_image", received == 0 ? "-1" : sinceLast.TotalSeconds.ToString("0.0", c)),
        };
        foreach (var (cause, count) in byCause)
        {
            values.Add(new KeyValue(cause.Name(), count.ToString(c)));
        }

        AddDepthDiagnostics(values);
        values.Add(new KeyValue("parameter_sets_refused", (_parameterServer?.RefusedSets ?? 0).ToString(c)));
        values.Add(new KeyValue("service_requests_malformed", MalformedServiceRequests.ToString(c)));
        values.Add(new KeyValue("worker_allocated_bytes", periodAllocated.ToString(c)));
        var memory = ProcessMemory.Read();
        values.Add(new KeyValue("managed_heap_bytes", memory.ManagedHeapBytes.ToString(c)));
        values.Add(new KeyValue("managed_committed_bytes", memory.ManagedCommittedBytes.ToString(c)));
        if (memory.NativeInUseBytes >= 0)
        {
            values.Add(new KeyValue("native_heap_in_use_bytes", memory.NativeInUseBytes.ToString(c)));
            values.Add(new KeyValue("native_heap_free_bytes", memory.NativeFreeBytes.ToString(c)));
        }

        values.Add(new KeyValue("execution_provider", _pipeline.Provider));
        values.Add(new KeyValue("model", _pipeline.Model.Name));
        values.Add(new KeyValue("input_topic", _settings.InputTopic));
        var status = new DiagnosticStatus
        {
            Level = level,
            Name = $"{_settings.NodeName}: segmentation",
            Message = text,
            HardwareId = _pipeline.Provider,
            Values = values,
        };
        var array = new DiagnosticArray { Header = new Header(Now(), ""), Status = [status] };
        lock (_diagLock)
        {
            RosMessage.Encode(array, _diagOut);
            _diagnostics!.Publish(_diagOut.WrittenSpan);
        }
    }

    // At most every 10 s: malloc_trim walks the C heap under its locks, and a frame's buffers wait for that. Every
    // sixth time the managed heap is compacted first, so the GC can give back what it committed meanwhile.
    private void TrimNativeHeap()
    {
        if (Stopwatch.GetElapsedTime(_lastTrim) >= TimeSpan.FromSeconds(10))
        {
            if (++_trims % 6 == 0)
            {
                ProcessMemory.CompactManagedHeap();
            }
            ProcessMemory.TrimNativeHeap();
            _lastTrim = Stopwatch.GetTimestamp();
        }
    }

    private TimeSpan SinceLastImage() => _slot.LastArrival == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_slot.LastArrival);

    private bool IsStalled(TimeSpan sinceLast) => _runtime.NoImageWarning is var limit && limit > TimeSpan.Zero && _slot.Received > 0 && sinceLast >= limit;

    // After frames have arrived: a warning when they stop for no_image_warning (repeated every 30 s while they stay
    // away), and a line when they come back. A camera that dies is as worth telling as one that never started.
    private void WarnIfInputStopped()
    {
        var since = SinceLastImage();
        if (!IsStalled(since))
        {
            if (_inputStalled && _slot.Received > 0)
            {
                _inputStalled = false;
                _log.Info($"images arrive on {_settings.InputTopic} again");
            }
            return;
        }

        if (!_inputStalled || Stopwatch.GetElapsedTime(_lastStallLog) >= NoImageRepeat)
        {
            _inputStalled = true;
            _lastStallLog = Stopwatch.GetTimestamp();
            var publishers = _input?.PublisherCount ?? 0;
            _log.Warn($"no image received on {_settings.InputTopic} for {since.TotalSeconds:0.0} s ({_slot.Received} before that); " +
                      (publishers > 0 ? $"{publishers} publisher(s) still matched: has the camera stopped publishing?" : "no publisher is matched any more: has the camera's process gone?"));
        }
    }

    private void WarnIfNoImage()
    {
        var limit = _runtime.NoImageWarning;
        if (limit <= TimeSpan.Zero)
        {
            return;
        }
        if (_slot.Received > 0)
        {
            WarnIfInputStopped();
            return;
        }
        if (Stopwatch.GetElapsedTime(_started) < limit)
        {
            return;
        }

        var s = _settings;
        var publishers = _input?.PublisherCount ?? 0;
        _log.LogThrottled(RosLogLevel.Warn, "no-image", NoImageRepeat, () => publishers > 0
            ? $"no image received on {s.InputTopic} after {Stopwatch.GetElapsedTime(_started).TotalSeconds:0} s although {publishers} publisher(s) matched; is the camera publishing?"
            : $"no image received on {s.InputTopic} after {Stopwatch.GetElapsedTime(_started).TotalSeconds:0} s and no publisher matched. " +
              $"Check the topic name ('ros2 topic list'; remap with -r image:=/camera/image_raw) and the QoS: this node subscribes " +
              $"{s.InputQos}; a publisher listed by 'ros2 topic info -v {s.InputTopic}' with incompatible QoS " +
              (s.InputQos.Reliability == RosReliability.Reliable
                  ? "(a best_effort camera, while input_reliability is reliable) never matches: set input_reliability:=best_effort."
                  : "(e.g. different durability) never matches."));
    }
}

using System.Diagnostics;
using RosPartSeg.Bags;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Std;

namespace RosPartSeg.Cli.Offline;

/// <summary>
/// Segments every image of a bag and writes a new bag holding the input topics unchanged (types it does not know
/// are copied byte for byte) plus the pipeline outputs under the live node's topic names, each output stamped with
/// its input's header and log/publish times. The output appears only when complete: a failed or cancelled run
/// leaves nothing under the output name.
/// </summary>
public static class BagProcessor
{
    public const string ImageType = "sensor_msgs/msg/Image";
    public const string CompressedImageType = "sensor_msgs/msg/CompressedImage";

    /// <summary>Processes <paramref name="inBag"/> into <paramref name="outBag"/>.</summary>
    public static BagProcessSummary Process(string inBag, string outBag, BagProcessOptions options, SegmentationPipeline pipeline,
        IProgress<BagProcessProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipeline);
        var total = Stopwatch.StartNew();
        if (string.Equals(Path.GetFullPath(inBag).TrimEnd('/'), Path.GetFullPath(outBag).TrimEnd('/'), StringComparison.Ordinal))
        {
            throw new BagProcessException("the output bag must not be the input bag");
        }
        using var reader = BagReader.Open(inBag);
        var imageTopic = PickImageTopic(reader.Info, options.ImageTopic);
        bool compressed = imageTopic.Type == CompressedImageType;
        var depthTopic = PickTopic(reader.Info, options.DepthTopic, ImageType, "--depth-topic");
        var infoTopic = PickTopic(reader.Info, options.CameraInfoTopic, "sensor_msgs/msg/CameraInfo", "--camera-info-topic");
        if ((depthTopic is null) != (infoTopic is null))
        {
            throw new BagProcessException("--depth-topic and --camera-info-topic go together: the depth is placed in 3D through the CameraInfo's K");
        }
        if (compressed && !Imaging.ImageCodec.IsAvailable)
        {
            // Refused before anything is written, instead of every frame failing alike.
            throw new BagProcessException($"'{imageTopic.Name}' is a CompressedImage topic, which needs an image codec: {Imaging.ImageCodec.UnavailableReason}");
        }
        if (compressed)
        {
            options.Log?.Invoke(Imaging.ImageCodec.Description);
        }
        string prefix = OutputPrefix(options.Namespace, options.NodeName);

        using var writer = BagWriter.Create(outBag, options.Output);
        bool jazzy = options.Output.MetadataVersion >= 9;
        var handles = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in reader.Info.Topics)
        {
            var definition = reader.FindDefinition(t.Topic.Type) ?? KnownDefinition(t.Topic.Type);
            var topic = t.Topic;
            if (jazzy && topic.TypeDescriptionHash.Length == 0 && MessageRegistry.TryGet(topic.Type, out var known))
            {
                // A Humble input has no type hashes; Jazzy readers expect them for the types they know.
                topic = topic with { TypeDescriptionHash = known.TypeHash };
            }
            handles[t.Topic.Name] = writer.AddTopic(topic, definition);
        }
        var pairing = depthTopic is null ? null : new BagDepthPairing(options.DepthSlop);
        var outputs = new OutputHandles(writer, prefix, jazzy, handles, depth: pairing is not null,
            new FrameOutputSettings { Palette = pipeline.Model.Palette });

        pipeline.ResetTracking(); // one bag is one run: people tracked through it in time order, from no one
        var cdr = new CdrWriter(1 << 20);
        var strings = new Utf8StringCache();
        var decoder = new Imaging.ImageDecoder(); // compressed frames, into one reused buffer
        var regionCounts = new int[pipeline.Model.ClassNames.Count];
        int frames = 0, people = 0;
        var skipped = new BadFrameCounts();
        string? firstSkip = null;
        ulong done = 0, totalMessages = reader.Info.MessageCount;
        var inPipeline = new Stopwatch();
        var lastReport = Stopwatch.StartNew();

        var reading = new Stopwatch();
        var copying = new Stopwatch();
        var decoding = new Stopwatch();
        var writingOutputs = new Stopwatch();
        using var prefetcher = new MessagePrefetcher(reader.ReadMessages());
        using var messages = prefetcher.Messages().GetEnumerator();
        while (true)
        {
            reading.Start();
            bool more = messages.MoveNext();
            reading.Stop();
            if (!more)
            {
                break;
            }
            var message = messages.Current;
            cancellation.ThrowIfCancellationRequested();
            copying.Start();
            writer.Write(handles[message.Topic.Name], message.LogTime, message.PublishTime, message.Data.Span);
            copying.Stop();
            done++;
            if (pairing is not null && message.Topic.Name == infoTopic!.Name)
            {
                pairing.OfferInfo(message.Data);
            }
            else if (pairing is not null && message.Topic.Name == depthTopic!.Name)
            {
                // The colour frame waiting for this depth goes now.
                if (pairing.OfferDepth(message.Data) is long depthStamp && pairing.Pending is { } waiting
                    && TryStamp(waiting.Data, out var waitingStamp) && pairing.Pairs(depthStamp, waitingStamp))
                {
                    pairing.Pending = null;
                    ProcessImage(waiting.Data, waiting.LogTime, waiting.PublishTime);
                }
            }
            else if (message.Topic.Name == imageTopic.Name)
            {
                if (pairing is null)
                {
                    ProcessImage(message.Data, message.LogTime, message.PublishTime);
                }
                else
                {
                    // In time order: a frame still waiting goes first, with what depth there is.
                    if (pairing.Pending is { } earlier)
                    {
                        pairing.Pending = null;
                        ProcessImage(earlier.Data, earlier.LogTime, earlier.PublishTime);
                    }
                    if (TryStamp(message.Data, out var colourStamp) && !pairing.HasDepthFor(colourStamp))
                    {
                        pairing.Pending = (message.Data.ToArray(), message.LogTime, message.PublishTime);
                    }
                    else
                    {
                        ProcessImage(message.Data, message.LogTime, message.PublishTime);
                    }
                }
            }
            if (progress is not null && (lastReport.ElapsedMilliseconds >= 100 || done == 1))
            {
                progress.Report(new BagProcessProgress(done, totalMessages, frames));
                lastReport.Restart();
            }
        }
        cancellation.ThrowIfCancellationRequested();
        if (pairing?.Pending is { } last)
        {
            ProcessImage(last.Data, last.LogTime, last.PublishTime);
        }
        var finishing = Stopwatch.StartNew();
        writer.Complete();
        finishing.Stop();
        progress?.Report(new BagProcessProgress(done, totalMessages, frames));
        total.Stop();

        var perClass = new Dictionary<string, int>(StringComparer.Ordinal);

        // One colour frame through the pipeline (with its depth, when pairing) and its outputs into the bag.
        void ProcessImage(ReadOnlyMemory<byte> data, long logTime, long publishTime)
        {
            decoding.Start();
            bool decoded = TryDecode(data, compressed, strings, decoder, out var frame, out var error);
            decoding.Stop();
            if (!decoded && error is not null)
            {
                skipped.Add(BadFrameCauses.Of(error));
                firstSkip ??= $"message at {logTime}: {error.Message}";
                return;
            }
            inPipeline.Start();
            var result = pipeline.Process(frame, PipelineOutputs.All, pairing?.DepthFor(frame) ?? default);
            inPipeline.Stop();
            writingOutputs.Start();
            outputs.Write(cdr, result, logTime, publishTime);
            writingOutputs.Stop();
            foreach (ref readonly var r in result.Regions)
            {
                if ((uint)r.ClassId < (uint)regionCounts.Length)
                {
                    regionCounts[r.ClassId]++;
                }
            }
            people += result.People.Length;
            frames++;
        }
        for (int i = 0; i < regionCounts.Length; i++)
        {
            if (regionCounts[i] > 0)
            {
                perClass[pipeline.Model.ClassNames[i]] = regionCounts[i];
            }
        }
        return new BagProcessSummary
        {
            DepthRefused = pairing?.Refused ?? 0,
            FramesWithoutDepth = pairing?.WithoutDepth ?? 0,
            FirstDepthRefusal = pairing?.FirstRefusal,
            OutputPath = writer.FinalPath,
            ImageTopic = imageTopic.Name,
            OutputTopics = outputs.Names,
            Frames = frames,
            SkippedFrames = (int)skipped.Total,
            SkippedByCause = skipped.Seen().ToDictionary(p => p.Cause.Name(), p => (int)p.Count, StringComparer.Ordinal),
            FirstSkipReason = firstSkip,
            MessagesCopied = done,
            ElapsedSeconds = total.Elapsed.TotalSeconds,
            PipelineSeconds = inPipeline.Elapsed.TotalSeconds,
            RegionsPerClass = perClass,
            People = people,
            Breakdown = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["read"] = reading.Elapsed.TotalSeconds,
                ["copy inputs"] = copying.Elapsed.TotalSeconds,
                ["decode images"] = decoding.Elapsed.TotalSeconds,
                ["pipeline"] = inPipeline.Elapsed.TotalSeconds,
                ["encode+write outputs"] = writingOutputs.Elapsed.TotalSeconds,
                ["finish bag"] = finishing.Elapsed.TotalSeconds,
            },
        };
    }

    /// <summary>The given topic, or the bag's only image topic; otherwise a <see cref="BagProcessException"/> saying why.</summary>
    public static BagTopic PickImageTopic(BagInfo info, string? requested)
    {
        ArgumentNullException.ThrowIfNull(info);
        var images = info.Topics.Where(t => t.Topic.Type is ImageType or CompressedImageType).ToList();
        if (requested is not null)
        {
            var match = info.Topics.FirstOrDefault(t => t.Topic.Name == requested)
                ?? throw new BagProcessException($"the bag has no topic '{requested}'; image topics: {List(images)}");
            return match.Topic.Type is ImageType or CompressedImageType
                ? match.Topic
                : throw new BagProcessException($"topic '{requested}' is {match.Topic.Type}, not an Image or CompressedImage");
        }
        // A camera's raw topic and its own image_transport "/compressed" topic count as one camera: take the raw one.
        var raw = images.Where(t => t.Topic.Type == ImageType).ToList();
        if (raw.Count == 1 && images.All(t => t == raw[0] || t.Topic.Name == raw[0].Topic.Name + "/compressed"))
        {
            return raw[0].Topic;
        }
        return images.Count switch
        {
            1 => images[0].Topic,
            0 => throw new BagProcessException(
                $"the bag has no sensor_msgs/Image or CompressedImage topic (topics: {string.Join(", ", info.Topics.Select(t => $"{t.Topic.Name} [{t.Topic.Type}]"))})"),
            _ => throw new BagProcessException($"the bag has several image topics ({List(images)}); choose one with --image-topic"),
        };
    }

    // The named topic, checked to be of the type; null when not asked for.
    private static BagTopic? PickTopic(BagInfo info, string? requested, string type, string option)
    {
        if (requested is null)
        {
            return null;
        }
        var match = info.Topics.FirstOrDefault(t => t.Topic.Name == requested)
            ?? throw new BagProcessException($"the bag has no topic '{requested}' ({option}); topics: {string.Join(", ", info.Topics.Select(t => $"{t.Topic.Name} [{t.Topic.Type}]"))}");
        return match.Topic.Type == type ? match.Topic : throw new BagProcessException($"topic '{requested}' ({option}) is {match.Topic.Type}, not {type}");
    }

    /// <summary><c>/ns/node/</c>: the private namespace <c>~/</c> resolves to.</summary>
    public static string OutputPrefix(string ns, string node)
    {
        if (string.IsNullOrWhiteSpace(node) || node.Contains('/', StringComparison.Ordinal))
        {
            throw new BagProcessException($"invalid node name '{node}'");
        }
        string trimmed = ns.Trim('/');
        return trimmed.Length == 0 ? $"/{node}/" : $"/{trimmed}/{node}/";
    }

    private static string List(List<BagTopicInfo> topics) =>
        topics.Count == 0 ? "none" : string.Join(", ", topics.Select(t => t.Topic.Name));

    /// <summary>The definition RosPartSeg.Messages has for a type (full text with dependencies), or null.</summary>
    public static MessageDefinition? KnownDefinition(string type) =>
        MessageRegistry.TryGet(type, out var known) ? new MessageDefinition(type, "ros2msg", known.FullDefinition, known.TypeHash) : null;

    // A frame decoded over the decoder's buffer is valid until the next decode: each is processed before the next.
    private static bool TryDecode(ReadOnlyMemory<byte> data, bool compressed, Utf8StringCache strings, Imaging.ImageDecoder decoder,
        out ImageFrame frame, out Exception? error)
    {
        try
        {
            if (compressed)
            {
                var message = RosMessage.Decode<CompressedImage>(data, strings: strings);
                frame = decoder.Decode(message.Data.Span, message.Header.Stamp, message.Header.FrameId);
            }
            else
            {
                frame = ImageMessages.DecodeFrame(data, strings);
            }
            error = null;
            return true;
        }
        catch (Exception e) when (e is CdrException or FrameException or InvalidDataException)
        {
            frame = default;
            error = e;
            return false;
        }
    }

    // The stamp of a colour message (raw or compressed, both start with a Header), for pairing it with depth; nothing
    // else is decoded for it.
    private static bool TryStamp(ReadOnlyMemory<byte> data, out Timestamp stamp)
    {
        try
        {
            stamp = Header.ReadStamp(data.Span);
            return true;
        }
        catch (CdrException)
        {
            stamp = default;
            return false;
        }
    }

    /// <summary>The per-frame outputs (<see cref="FrameOutputs"/>) and label_info, with their bag topics.</summary>
    private sealed class OutputHandles
    {
        private readonly BagWriter _writer;
        private readonly int[] _frameOutputs; // one per FrameOutputs.All entry, same order; -1: not written (3D without depth)
        private readonly int _labelInfo;
        private readonly FrameOutputSettings _settings;

        public OutputHandles(BagWriter writer, string prefix, bool jazzy, Dictionary<string, int> existing, bool depth, FrameOutputSettings settings)
        {
            _settings = settings;
            _writer = writer;
            var names = new List<string>();
            int Add(string relative, MessageType type, QosProfile qos)
            {
                string name = prefix + relative;
                if (existing.ContainsKey(name))
                {
                    throw new BagProcessException($"the input bag already has topic '{name}'; choose another --node-name");
                }
                names.Add(name);
                var topic = new BagTopic(name, type.RosName, "cdr", QosProfile.FormatList([qos]), jazzy ? type.TypeHash : "");
                return writer.AddTopic(topic, new MessageDefinition(type.RosName, "ros2msg", type.FullDefinition, type.TypeHash));
            }
            _frameOutputs = [.. FrameOutputs.All.Select(o => o.NeedsDepth && !depth ? -1 : Add(o.Name, o.Type, QosProfile.Default))];
            _labelInfo = Add(OutputTopics.LabelInfo, Messages.Vision.LabelInfo.Type, QosProfile.TransientLocal);
            Names = names;
        }

        public IReadOnlyList<string> Names { get; }

        public void Write(CdrWriter cdr, SegmentationResult result, long logTime, long publishTime)
        {
            var table = FrameOutputs.All;
            for (int i = 0; i < _frameOutputs.Length; i++)
            {
                if (_frameOutputs[i] < 0 || (table[i].NeedsDepth && !result.Has3D))
                {
                    continue; // a frame without depth has no 3D outputs
                }
                table[i].Encode(cdr, result, _settings);
                _writer.Write(_frameOutputs[i], logTime, publishTime, cdr.WrittenSpan);
            }
            SegmentationMessages.WriteLabelInfo(cdr, result.Stamp, result.FrameId, result.ClassNames);
            _writer.Write(_labelInfo, logTime, publishTime, cdr.WrittenSpan);
        }
    }
}

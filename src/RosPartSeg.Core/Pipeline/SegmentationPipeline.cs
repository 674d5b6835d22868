using System.Diagnostics;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Processing;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Core.Tracking;

namespace RosPartSeg.Core.Pipeline;

/// <summary>
/// One frame in, labels, colour mask, overlay and part regions out. Knows nothing of ROS or files. Buffers are
/// sized on the first frame of a given size and reused, so a warm pipeline allocates nothing per frame.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class SegmentationPipeline : IDisposable
{
    private readonly IInferenceBackend _backend;
    private readonly Preprocessor _preprocessor;
    private readonly LabelRenderer _renderer;
    private readonly RegionExtractor _regions;
    private readonly LabelUpsampler _upsampler = new();
    private readonly SegmentationResult _result;
    private readonly DepthProjector _projector;
    private readonly PersonTracker _tracker;
    private readonly byte[] _grid;
    private readonly float[] _probability;
    private readonly float[] _scratch;
    private byte[] _pixelLabels = [];
    private FrameGeometry? _geometry;
    private PipelineOptions _options;

    public SegmentationPipeline(IInferenceBackend backend, ModelInfo model, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        model.Validate();
        options.Validate();
        if (backend.OutputClasses != model.ClassCount)
        {
            throw new ModelException(
                $"the model outputs {backend.OutputClasses} classes but {model.ClassCount} class names are given ({string.Join(", ", model.ClassNames)}); " +
                "the label list must match the model's output channels");
        }
        if (backend.InputWidth != model.InputWidth || backend.InputHeight != model.InputHeight)
        {
            throw new ModelException($"backend input {backend.InputWidth}x{backend.InputHeight} differs from the model's {model.InputWidth}x{model.InputHeight}");
        }
        _backend = backend;
        Model = model;
        _options = options;
        _preprocessor = new Preprocessor(model);
        _renderer = new LabelRenderer(model.Palette);
        _regions = new RegionExtractor(new BodyStructure(model.ClassNames));
        int cells = backend.OutputWidth * backend.OutputHeight;
        _grid = new byte[cells];
        _probability = new float[cells];
        _scratch = new float[cells];
        _result = new SegmentationResult(model.ClassNames);
        _projector = new DepthProjector(options.DepthProjection);
        _tracker = new PersonTracker(options.Tracking);
    }

    /// <summary>Forgets the people tracked so far (a new run, e.g. the next bag); ids still never repeat.</summary>
    public void ResetTracking() => _tracker.Clear();

    public ModelInfo Model { get; }

    /// <summary>
    /// The options of the next frames. Set between frames only, by the thread that calls <see cref="Process"/> (the
    /// node swaps in a new validated object when a parameter changes at run time).
    /// </summary>
    public PipelineOptions Options
    {
        get => _options;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _options = value;
        }
    }

    /// <summary>The execution provider running the network.</summary>
    public string Provider => _backend.Provider;

    /// <summary>The network's class scores for the last frame, planar [classes][GridHeight][GridWidth]; valid until the next call.</summary>
    public ReadOnlySpan<float> Scores => _backend.Output;

    /// <summary>Width of the network's output grid.</summary>
    public int GridWidth => _backend.OutputWidth;

    /// <summary>Height of the network's output grid.</summary>
    public int GridHeight => _backend.OutputHeight;

    /// <summary>Timings of the last processed frame.</summary>
    public StageTimings LastTimings { get; private set; }

    /// <summary>
    /// Processes one frame. Throws <see cref="FrameException"/> for a frame that cannot be processed; the pipeline
    /// stays usable. The result is reused by the next call. People are tracked from frame to frame (by the frame
    /// stamps) whenever regions are computed; with <paramref name="depth"/> (aligned to the frame, same size, else
    /// <see cref="ArgumentException"/>) people and regions are also placed in 3D and tracked there.
    /// </summary>
    public SegmentationResult Process(in ImageFrame frame, PipelineOutputs outputs = PipelineOutputs.All, in DepthInput depth = default)
    {
        frame.Validate();
        if (!depth.IsEmpty && (depth.Image.Width != frame.Width || depth.Image.Height != frame.Height))
        {
            throw new ArgumentException($"depth image of {depth.Image.Width}x{depth.Image.Height} is not aligned to the {frame.Width}x{frame.Height} colour frame");
        }
        long t0 = Stopwatch.GetTimestamp();
        var g = GeometryFor(frame.Width, frame.Height);
        _preprocessor.Run(frame, g, _backend.Input);
        long t1 = Stopwatch.GetTimestamp();

        _backend.Run();
        long t2 = Stopwatch.GetTimestamp();

        bool overlay = (outputs & PipelineOutputs.Overlay) != 0;
        bool annotate = overlay && Options.OverlayAnnotations != OverlayAnnotations.None;
        bool regions = (outputs & PipelineOutputs.Regions) != 0 || annotate;
        bool labelImage = (outputs & (PipelineOutputs.Labels | PipelineOutputs.ColorMask)) != 0;
        LabelDecoder.Argmax(_backend.Output, _backend.OutputClasses, _grid, _probability);
        g.ClearPadding(_grid); // letterbox padding is background by definition
        if (regions)
        {
            LabelDecoder.BestProbability(_backend.Output, _backend.OutputClasses, _probability, _scratch);
        }
        var r = _result;
        r.Stamp = frame.Stamp;
        r.FrameId = frame.FrameId;
        r.InputWidth = frame.Width;
        r.InputHeight = frame.Height;
        // Input-size labels: published, and the ground truth of the overlay and the region measurements.
        var pixels = (labelImage && Options.LabelResolution == LabelResolution.Input) || regions || overlay
            ? InputLabels(g, publish: labelImage && Options.LabelResolution == LabelResolution.Input)
            : default;
        if (labelImage && Options.LabelResolution == LabelResolution.Network)
        {
            r.LabelWidth = g.GridWidth;
            r.LabelHeight = g.GridHeight;
            Ensure(ref r.LabelBuffer, _grid.Length);
            _grid.CopyTo(r.LabelBuffer, 0);
        }
        long t3 = Stopwatch.GetTimestamp();

        if ((outputs & PipelineOutputs.ColorMask) != 0)
        {
            Ensure(ref r.ColorMaskBuffer, r.LabelWidth * r.LabelHeight * 3);
            _renderer.Colorize(r.Labels, r.LabelWidth, r.LabelHeight, r.ColorMaskBuffer);
        }
        if (overlay)
        {
            Ensure(ref r.OverlayBuffer, frame.Width * frame.Height * 3);
            _renderer.Overlay(frame, pixels, Options.OverlayAlpha, r.OverlayBuffer);
        }
        long t4 = Stopwatch.GetTimestamp();

        r.RegionCount = 0;
        r.PeopleCount = 0;
        r.Has3D = false;
        if (regions)
        {
            _regions.Extract(_grid, _probability, pixels, g, Options.PersonGrouping, Options.MinRegionArea, Options.MinPersonArea, Options.MinPersonScore,
                ref r.RegionBuffer, out r.RegionCount, ref r.PeopleBuffer, out r.PeopleCount);
            PlaceAndTrack(r, frame, depth);
            if (annotate)
            {
                OverlayAnnotator.Draw(r.OverlayBuffer, frame.Width, frame.Height, Options.OverlayAnnotations, r.People, r.Regions, Model.ClassNames, _renderer, r.TrackIds);
            }
        }
        long t5 = Stopwatch.GetTimestamp();

        r.Produced = outputs & PipelineOutputs.All;
        LastTimings = new StageTimings(Ms(t0, t1), Ms(t1, t2), Ms(t2, t3), Ms(t3, t4), Ms(t4, t5));
        return r;
    }

    public void Dispose() => _backend.Dispose();

    // 3D from the depth (when given), then track ids; the result's buffers grow to the largest crowd and stay.
    private void PlaceAndTrack(SegmentationResult r, in ImageFrame frame, in DepthInput depth)
    {
        ReusedArrays.Grow(ref r.TrackIdBuffer, r.PeopleCount);
        if (!depth.IsEmpty)
        {
            ReusedArrays.Grow(ref r.People3DBuffer, r.PeopleCount);
            ReusedArrays.Grow(ref r.Regions3DBuffer, r.RegionCount);
            _projector.Project(_regions.Runs, frame.Width, frame.Height, r.Regions, r.People, depth.Image, depth.Intrinsics,
                r.Regions3DBuffer, r.People3DBuffer);
            r.Has3D = true;
        }
        _tracker.Update(frame.Stamp.TotalNanoseconds * 1e-9, r.People, r.People3D, r.TrackIdBuffer);
    }
    /// <summary>Bytes held in buffers sized by the input (labels, colour mask, overlay): the largest frame's so far.</summary>
    public long InputBufferBytes => (long)_result.LabelBuffer.Length + _result.ColorMaskBuffer.Length + _result.OverlayBuffer.Length + _pixelLabels.Length;

    /// <summary>
    /// Lets go of the buffers sized by the input; the next frame allocates them at its own size. For after an
    /// unusually large frame. The last result's image spans are invalid afterwards.
    /// </summary>
    public void ReleaseInputBuffers()
    {
        _result.LabelBuffer = [];
        _result.ColorMaskBuffer = [];
        _result.OverlayBuffer = [];
        _result.LabelWidth = _result.LabelHeight = _result.InputWidth = _result.InputHeight = 0;
        _pixelLabels = [];
        _geometry = null;
    }

    private FrameGeometry GeometryFor(int width, int height)
    {
        if (_geometry is null || !_geometry.Matches(width, height))
        {
            _geometry = new FrameGeometry(width, height, _backend.InputWidth, _backend.InputHeight,
                _backend.OutputWidth, _backend.OutputHeight, Options.Resize);
        }
        return _geometry;
    }

    // Labels at input size into the result's label buffer when they are published, else into a private one.
    private ReadOnlySpan<byte> InputLabels(FrameGeometry g, bool publish)
    {
        int n = g.InputWidth * g.InputHeight;
        if (publish)
        {
            _result.LabelWidth = g.InputWidth;
            _result.LabelHeight = g.InputHeight;
        }
        ref var buffer = ref publish ? ref _result.LabelBuffer : ref _pixelLabels;
        Ensure(ref buffer, n);
        var labels = buffer.AsSpan(0, n);
        if (Options.LabelUpsampling == LabelUpsampling.Nearest)
        {
            LabelRenderer.UpscaleLabels(_grid, g, labels);
        }
        else
        {
            _upsampler.Bilinear(_grid, _backend.Output, _backend.OutputClasses, g, labels);
        }
        return labels;
    }

    private static void Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new byte[length];
        }
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}

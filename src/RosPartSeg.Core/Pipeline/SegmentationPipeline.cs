using System.Diagnostics;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Processing;

namespace RosPartSeg.Core.Pipeline;

/// <summary>
/// One frame in, labels, colour mask, overlay and part regions out. Knows nothing of ROS or files. Buffers are
/// sized on the first frame of a given size and reused, so a warm pipeline allocates nothing per frame.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class SegmentationPipeline : IDisposable
{
    private static readonly Rgb White = new(255, 255, 255);
    private static readonly Rgb Black = new(0, 0, 0);

    private readonly IInferenceBackend _backend;
    private readonly Preprocessor _preprocessor;
    private readonly LabelRenderer _renderer;
    private readonly RegionExtractor _regions = new();
    private readonly SegmentationResult _result;
    private readonly byte[] _grid;
    private readonly float[] _probability;
    private readonly float[] _scratch;
    private FrameGeometry? _geometry;

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
        Options = options;
        _preprocessor = new Preprocessor(model);
        _renderer = new LabelRenderer(model.Palette);
        int cells = backend.OutputWidth * backend.OutputHeight;
        _grid = new byte[cells];
        _probability = new float[cells];
        _scratch = new float[cells];
        _result = new SegmentationResult(model.ClassNames);
    }

    public ModelInfo Model { get; }

    public PipelineOptions Options { get; }

    /// <summary>The execution provider running the network.</summary>
    public string Provider => _backend.Provider;

    /// <summary>Timings of the last processed frame.</summary>
    public StageTimings LastTimings { get; private set; }

    /// <summary>
    /// Processes one frame. Throws <see cref="FrameException"/> for a frame that cannot be processed; the pipeline
    /// stays usable. The result is reused by the next call.
    /// </summary>
    public SegmentationResult Process(in ImageFrame frame, PipelineOutputs outputs = PipelineOutputs.All)
    {
        frame.Validate();
        long t0 = Stopwatch.GetTimestamp();
        var g = GeometryFor(frame.Width, frame.Height);
        _preprocessor.Run(frame, g, _backend.Input);
        long t1 = Stopwatch.GetTimestamp();

        _backend.Run();
        long t2 = Stopwatch.GetTimestamp();

        bool drawRegions = Options.DrawRegions && (outputs & PipelineOutputs.Overlay) != 0;
        bool regions = (outputs & PipelineOutputs.Regions) != 0 || drawRegions;
        LabelDecoder.Argmax(_backend.Output, _backend.OutputClasses, _grid, _probability);
        ClearUncoveredCells(g);
        if (regions)
        {
            LabelDecoder.BestProbability(_backend.Output, _backend.OutputClasses, _probability, _scratch);
        }
        var r = _result;
        r.Stamp = frame.Stamp;
        r.FrameId = frame.FrameId;
        r.InputWidth = frame.Width;
        r.InputHeight = frame.Height;
        if ((outputs & (PipelineOutputs.Labels | PipelineOutputs.ColorMask)) != 0)
        {
            WriteLabels(g);
        }
        long t3 = Stopwatch.GetTimestamp();

        if ((outputs & PipelineOutputs.ColorMask) != 0)
        {
            Ensure(ref r.ColorMaskBuffer, r.LabelWidth * r.LabelHeight * 3);
            _renderer.Colorize(r.Labels, r.LabelWidth, r.LabelHeight, r.ColorMaskBuffer);
        }
        if ((outputs & PipelineOutputs.Overlay) != 0)
        {
            Ensure(ref r.OverlayBuffer, frame.Width * frame.Height * 3);
            _renderer.Overlay(frame, _grid, g, Options.OverlayAlpha, r.OverlayBuffer);
        }
        long t4 = Stopwatch.GetTimestamp();

        r.RegionCount = 0;
        r.PeopleCount = 0;
        if (regions)
        {
            _regions.Extract(_grid, _probability, g, Options.MinRegionArea, Options.MinPersonArea,
                ref r.RegionBuffer, out r.RegionCount, ref r.PeopleBuffer, out r.PeopleCount);
            if (drawRegions)
            {
                DrawRegions(r);
            }
        }
        long t5 = Stopwatch.GetTimestamp();

        r.Produced = outputs & PipelineOutputs.All;
        LastTimings = new StageTimings(Ms(t0, t1), Ms(t1, t2), Ms(t2, t3), Ms(t3, t4), Ms(t4, t5));
        return r;
    }

    public void Dispose() => _backend.Dispose();

    private FrameGeometry GeometryFor(int width, int height)
    {
        if (_geometry is null || !_geometry.Matches(width, height))
        {
            _geometry = new FrameGeometry(width, height, _backend.InputWidth, _backend.InputHeight,
                _backend.OutputWidth, _backend.OutputHeight, Options.Resize);
        }
        return _geometry;
    }

    // Cells that cover no input pixel (letterbox padding) are background by definition.
    private void ClearUncoveredCells(FrameGeometry g)
    {
        int gw = g.GridWidth;
        for (int y = 0; y < g.GridHeight; y++)
        {
            if (g.CellYCount[y] == 0)
            {
                _grid.AsSpan(y * gw, gw).Clear();
                continue;
            }
            for (int x = 0; x < gw; x++)
            {
                if (g.CellXCount[x] == 0)
                {
                    _grid[(y * gw) + x] = 0;
                }
            }
        }
    }

    private void WriteLabels(FrameGeometry g)
    {
        var r = _result;
        if (Options.LabelResolution == LabelResolution.Network)
        {
            r.LabelWidth = g.GridWidth;
            r.LabelHeight = g.GridHeight;
            Ensure(ref r.LabelBuffer, _grid.Length);
            _grid.CopyTo(r.LabelBuffer, 0);
            return;
        }
        r.LabelWidth = g.InputWidth;
        r.LabelHeight = g.InputHeight;
        Ensure(ref r.LabelBuffer, g.InputWidth * g.InputHeight);
        LabelRenderer.UpscaleLabels(_grid, g, r.LabelBuffer);
    }

    private void DrawRegions(SegmentationResult r)
    {
        Span<byte> img = r.OverlayBuffer;
        int w = r.InputWidth, h = r.InputHeight;
        foreach (ref readonly var part in r.Regions)
        {
            var b = part.Box;
            var color = _renderer.ColorOf(part.ClassId);
            OverlayPainter.Box(img, w, h, b.X, b.Y, b.Width, b.Height, color);
            int ly = b.Y >= OverlayPainter.LabelHeight ? b.Y - OverlayPainter.LabelHeight : b.Y;
            OverlayPainter.Label(img, w, h, b.X, ly, Model.ClassNames[part.ClassId], Black, color);
        }
        Span<char> text = stackalloc char[16];
        foreach (ref readonly var person in r.People)
        {
            var b = person.Box;
            OverlayPainter.Box(img, w, h, b.X, b.Y, b.Width, b.Height, White, 2);
            text[0] = 'P';
            person.PersonId.TryFormat(text[1..], out int n, default, System.Globalization.CultureInfo.InvariantCulture);
            OverlayPainter.Label(img, w, h, b.X, b.Y + b.Height - OverlayPainter.LabelHeight, text[..(n + 1)], Black, White);
        }
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

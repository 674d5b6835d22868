using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// How input pixels, network input pixels and the network's output grid relate for one input size. Computed once
/// per input size and reused: the per-frame code only indexes these tables.
/// </summary>
public sealed class FrameGeometry
{
    public FrameGeometry(int inputWidth, int inputHeight, int netWidth, int netHeight, int gridWidth, int gridHeight, ResizeMode mode)
    {
        InputWidth = inputWidth;
        InputHeight = inputHeight;
        NetWidth = netWidth;
        NetHeight = netHeight;
        GridWidth = gridWidth;
        GridHeight = gridHeight;
        Mode = mode;

        if (mode == ResizeMode.Letterbox)
        {
            double scale = Math.Min((double)netWidth / inputWidth, (double)netHeight / inputHeight);
            ContentWidth = Math.Clamp((int)Math.Round(inputWidth * scale), 1, netWidth);
            ContentHeight = Math.Clamp((int)Math.Round(inputHeight * scale), 1, netHeight);
            OffsetX = (netWidth - ContentWidth) / 2;
            OffsetY = (netHeight - ContentHeight) / 2;
        }
        else
        {
            ContentWidth = netWidth;
            ContentHeight = netHeight;
        }

        (SrcX0, SrcX1, WeightX) = BuildSampling(netWidth, OffsetX, ContentWidth, inputWidth);
        (SrcY0, SrcY1, WeightY) = BuildSampling(netHeight, OffsetY, ContentHeight, inputHeight);
        GridColOfInputX = BuildNearest(inputWidth, OffsetX, ContentWidth, netWidth, gridWidth);
        GridRowOfInputY = BuildNearest(inputHeight, OffsetY, ContentHeight, netHeight, gridHeight);
        (CellX0, CellXCount) = Invert(GridColOfInputX, gridWidth);
        (CellY0, CellYCount) = Invert(GridRowOfInputY, gridHeight);
        (LerpX0, LerpX1, LerpWX) = BuildLerp(inputWidth, OffsetX, ContentWidth, netWidth, gridWidth, CellXCount);
        (LerpY0, LerpY1, LerpWY) = BuildLerp(inputHeight, OffsetY, ContentHeight, netHeight, gridHeight, CellYCount);
        (ContentCol0, ContentCol1) = CellsOver(OffsetX, ContentWidth, netWidth, gridWidth);
        (ContentRow0, ContentRow1) = CellsOver(OffsetY, ContentHeight, netHeight, gridHeight);
        // A cell's extent in input pixels: its share of the network input, scaled as the image was (in letterbox
        // mode by the one factor of the content area, not by input/network size per axis as stretching does).
        CellWidth = (double)netWidth / gridWidth * inputWidth / ContentWidth;
        CellHeight = (double)netHeight / gridHeight * inputHeight / ContentHeight;
    }

    /// <summary>Width of one grid cell in input pixels (person splitting measures shapes with it).</summary>
    public double CellWidth { get; }

    /// <summary>Height of one grid cell in input pixels.</summary>
    public double CellHeight { get; }

    /// <summary>A cell's width over its height in input pixels: 1 for square cells.</summary>
    public float CellAspect => (float)(CellWidth / CellHeight);

    /// <summary>A cell's area in input pixels.</summary>
    public double CellArea => CellWidth * CellHeight;

    /// <summary>First grid column over the image (not letterbox padding).</summary>
    public int ContentCol0 { get; }

    /// <summary>Last grid column over the image.</summary>
    public int ContentCol1 { get; }

    public int ContentRow0 { get; }

    public int ContentRow1 { get; }

    /// <summary>
    /// Sets cells that lie wholly in letterbox padding to background (0). Only padding: for an input smaller than the
    /// grid some cells inside the image get no input pixel of their own (<see cref="CellXCount"/> 0), and clearing
    /// those would cut regions into strips.
    /// </summary>
    public void ClearPadding(Span<byte> grid)
    {
        for (int y = 0; y < GridHeight; y++)
        {
            var row = grid.Slice(y * GridWidth, GridWidth);
            if (y < ContentRow0 || y > ContentRow1)
            {
                row.Clear();
                continue;
            }
            row[..ContentCol0].Clear();
            row[(ContentCol1 + 1)..].Clear();
        }
    }

    public int InputWidth { get; }

    public int InputHeight { get; }

    public int NetWidth { get; }

    public int NetHeight { get; }

    public int GridWidth { get; }

    public int GridHeight { get; }

    public ResizeMode Mode { get; }

    /// <summary>The image's area inside the network input (all of it when stretching).</summary>
    public int ContentWidth { get; }

    public int ContentHeight { get; }

    public int OffsetX { get; }

    public int OffsetY { get; }

    /// <summary>For each network column: left source pixel, or -1 in letterbox padding.</summary>
    public int[] SrcX0 { get; }

    /// <summary>For each network column: right source pixel for bilinear sampling.</summary>
    public int[] SrcX1 { get; }

    /// <summary>For each network column: weight of <see cref="SrcX1"/>.</summary>
    public float[] WeightX { get; }

    public int[] SrcY0 { get; }

    public int[] SrcY1 { get; }

    public float[] WeightY { get; }

    /// <summary>For each input column: the output-grid column that nearest-neighbour sampling assigns to it.</summary>
    public int[] GridColOfInputX { get; }

    /// <summary>For each input row: the output-grid row.</summary>
    public int[] GridRowOfInputY { get; }

    /// <summary>For each grid column: first input column it covers.</summary>
    public int[] CellX0 { get; }

    /// <summary>For each grid column: how many input columns it covers (0 for padding or skipped columns).</summary>
    public int[] CellXCount { get; }

    public int[] CellY0 { get; }

    public int[] CellYCount { get; }

    /// <summary>For each input column: the grid column whose cell centre is at or left of the pixel centre (bilinear).</summary>
    public int[] LerpX0 { get; }

    /// <summary>For each input column: the grid column right of <see cref="LerpX0"/> (equal to it at the edges).</summary>
    public int[] LerpX1 { get; }

    /// <summary>For each input column: the weight of <see cref="LerpX1"/>, 0 to 1.</summary>
    public float[] LerpWX { get; }

    public int[] LerpY0 { get; }

    public int[] LerpY1 { get; }

    public float[] LerpWY { get; }

    public bool Matches(int inputWidth, int inputHeight) => inputWidth == InputWidth && inputHeight == InputHeight;

    // Bilinear sampling positions with pixel centres aligned (align_corners = false), clamped at the borders.
    private static (int[] X0, int[] X1, float[] W) BuildSampling(int netSize, int offset, int content, int srcSize)
    {
        var x0 = new int[netSize];
        var x1 = new int[netSize];
        var w = new float[netSize];
        double scale = (double)srcSize / content;
        for (int i = 0; i < netSize; i++)
        {
            int local = i - offset;
            if (local < 0 || local >= content)
            {
                x0[i] = -1;
                continue;
            }
            double s = ((local + 0.5) * scale) - 0.5;
            if (s < 0)
            {
                s = 0;
            }
            int a = (int)s;
            if (a >= srcSize - 1)
            {
                x0[i] = x1[i] = srcSize - 1;
                continue;
            }
            x0[i] = a;
            x1[i] = a + 1;
            w[i] = (float)(s - a);
        }
        return (x0, x1, w);
    }

    // The grid cell under each input pixel's centre, mapped through the network input.
    private static int[] BuildNearest(int inputSize, int offset, int content, int netSize, int gridSize)
    {
        var map = new int[inputSize];
        for (int x = 0; x < inputSize; x++)
        {
            double net = offset + ((x + 0.5) * content / inputSize);
            int cell = (int)(net * gridSize / netSize);
            map[x] = Math.Clamp(cell, 0, gridSize - 1);
        }
        return map;
    }

    // Bilinear sampling of the grid between cell centres, clamped to the cells that cover the image (not padding).
    private static (int[] C0, int[] C1, float[] W) BuildLerp(int inputSize, int offset, int content, int netSize, int gridSize, int[] cellCount)
    {
        int first = Array.FindIndex(cellCount, c => c > 0), last = Array.FindLastIndex(cellCount, c => c > 0);
        var c0 = new int[inputSize];
        var c1 = new int[inputSize];
        var w = new float[inputSize];
        for (int x = 0; x < inputSize; x++)
        {
            double net = offset + ((x + 0.5) * content / inputSize);
            double cell = Math.Clamp((net * gridSize / netSize) - 0.5, first, last);
            int a = Math.Min((int)cell, last);
            c0[x] = a;
            c1[x] = Math.Min(a + 1, last);
            w[x] = c1[x] == a ? 0f : (float)(cell - a);
        }
        return (c0, c1, w);
    }

    // The grid cells whose extent in the network input overlaps the content [offset, offset + content).
    private static (int First, int Last) CellsOver(int offset, int content, int netSize, int gridSize)
    {
        int first = (int)((long)offset * gridSize / netSize);
        int last = (int)((((long)offset + content) * gridSize - 1) / netSize);
        return (Math.Clamp(first, 0, gridSize - 1), Math.Clamp(last, 0, gridSize - 1));
    }

    // The nearest map is monotone, so each cell covers one contiguous run of input pixels.
    private static (int[] Start, int[] Count) Invert(int[] map, int gridSize)
    {
        var start = new int[gridSize];
        var count = new int[gridSize];
        for (int x = map.Length - 1; x >= 0; x--)
        {
            start[map[x]] = x;
            count[map[x]]++;
        }
        return (start, count);
    }
}

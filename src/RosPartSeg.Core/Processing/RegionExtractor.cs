using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Finds people and their part regions. Grouping runs on the label grid (~1/16 of the pixels, so it is cheap):
/// <see cref="PersonSplitter"/> gives each cell a person, and a region is a connected (8-connectivity) area of
/// cells of one class and one person, so each region belongs to exactly one person. Areas, boxes and centroids are
/// then measured on the published input-size labels, pixel by pixel: a pixel counts for the region of the cell
/// under it, or, where interpolation gave it the class of a neighbouring cell, for that cell's region. Those pixels are
/// kept as <see cref="Runs"/>, so that later stages (depth) read exactly a region's pixels and no other person's.
/// </summary>
public sealed class RegionExtractor
{
    private static readonly (int Dx, int Dy)[] Neighbours = [(-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)];

    private readonly PersonSplitter _splitter;
    private int[] _person = [];
    private int[] _region = [];
    private int[] _queue = [];
    private int[] _regionPerson = [];
    private int[] _regionFirst = [];
    private int[] _regionOutput = [];
    private Stats[] _regionStats = [];
    private Stats[] _personStats = [];
    private int[] _personFirst = [];
    private int[] _personIndex = [];
    private int[] _partCount = [];
    private Candidate[] _candidates = [];
    private PixelRun[] _runs = [];
    private int _runCount;

    public RegionExtractor(BodyStructure body) => _splitter = new PersonSplitter(body);

    /// <summary>
    /// The pixels of the last <see cref="Extract"/>'s regions, in runs along rows: each run's region is an index
    /// into the regions it filled, or -1 for a region it dropped. Together they cover exactly each region's area.
    /// Valid until the next call.
    /// </summary>
    public ReadOnlySpan<PixelRun> Runs => _runs.AsSpan(0, _runCount);

    private struct Stats
    {
        public long Area;
        public double SumX;
        public double SumY;
        public double SumScore;
        public int MinX;
        public int MinY;
        public int MaxX;
        public int MaxY;
    }

    private readonly record struct Candidate(int Index, int ClassId, int PersonId, long Area, int First);

    /// <summary>
    /// Extracts regions and people into the given arrays, growing them when a frame has more than ever before.
    /// <paramref name="labels"/> are the input-size labels made from <paramref name="grid"/>;
    /// <paramref name="probability"/> is the probability of each cell's label (may be empty: scores are then 0).
    /// </summary>
    public void Extract(
        ReadOnlySpan<byte> grid,
        ReadOnlySpan<float> probability,
        ReadOnlySpan<byte> labels,
        FrameGeometry g,
        PersonGrouping grouping,
        int minRegionArea,
        int minPersonArea,
        float minPersonScore,
        ref PartRegion[] regions,
        out int regionCount,
        ref PersonRegion[] people,
        out int peopleCount)
    {
        ArgumentNullException.ThrowIfNull(g);
        int gw = g.GridWidth, gh = g.GridHeight, cells = gw * gh;
        if (grid.Length < cells || labels.Length < g.InputWidth * g.InputHeight)
        {
            throw new ArgumentException($"grid holds {grid.Length} cells ({cells} needed), labels {labels.Length} pixels ({g.InputWidth * g.InputHeight} needed)");
        }
        EnsureCapacity(cells);
        // A head smaller than a reportable region does not seed a person.
        // Cell area and aspect in input pixels from the geometry, so that letterboxing (square cells for any camera)
        // measures heads as they are.
        int minSeedCells = Math.Max(1, (int)Math.Ceiling(minRegionArea / g.CellArea));
        int nPeople = _splitter.Assign(grid, gw, gh, grouping, minSeedCells, g.CellAspect, _person);
        int nRegions = LabelRegions(grid, gw, gh);
        _regionStats.AsSpan(0, nRegions).Clear();
        _runCount = 0;
        Measure(grid, probability, labels, g);

        // People: sums of their regions; keep those large and sure enough, larger first, then by first cell.
        var personStats = _personStats.AsSpan(0, nPeople);
        personStats.Clear();
        _personFirst.AsSpan(0, nPeople).Fill(int.MaxValue);
        for (int r = 0; r < nRegions; r++)
        {
            int p = _regionPerson[r];
            Merge(ref personStats[p], _regionStats[r]);
            _personFirst[p] = Math.Min(_personFirst[p], _regionFirst[r]);
        }
        int kept = 0;
        for (int p = 0; p < nPeople; p++)
        {
            _personIndex[p] = -1;
            if (personStats[p].Area > 0 && personStats[p].Area >= minPersonArea && personStats[p].SumScore >= minPersonScore * personStats[p].Area)
            {
                _candidates[kept++] = new Candidate(p, 0, 0, personStats[p].Area, _personFirst[p]);
            }
        }
        var personSpan = _candidates.AsSpan(0, kept);
        personSpan.Sort(static (a, b) => a.Area != b.Area ? b.Area.CompareTo(a.Area) : a.First.CompareTo(b.First));
        for (int k = 0; k < kept; k++)
        {
            _personIndex[personSpan[k].Index] = k;
            _partCount[k] = 0;
        }

        // Regions: keep those large enough whose person was kept.
        int nOut = 0;
        var regionSpan = _candidates.AsSpan(kept, nRegions);
        for (int r = 0; r < nRegions; r++)
        {
            var s = _regionStats[r];
            int person = _personIndex[_regionPerson[r]];
            if (person >= 0 && s.Area > 0 && s.Area >= minRegionArea)
            {
                int first = _regionFirst[r];
                regionSpan[nOut++] = new Candidate(r, grid[first], person, s.Area, first);
                _partCount[person]++;
            }
        }
        regionSpan = regionSpan[..nOut];
        regionSpan.Sort(static (a, b) =>
            a.ClassId != b.ClassId ? a.ClassId.CompareTo(b.ClassId)
            : a.PersonId != b.PersonId ? a.PersonId.CompareTo(b.PersonId)
            : a.Area != b.Area ? b.Area.CompareTo(a.Area)
            : a.First.CompareTo(b.First));
        ReusedArrays.Grow(ref regions, nOut);
        _regionOutput.AsSpan(0, nRegions).Fill(-1);
        for (int k = 0; k < nOut; k++)
        {
            var c = regionSpan[k];
            var s = _regionStats[c.Index];
            regions[k] = new PartRegion(c.ClassId, c.PersonId, BoxOf(s), (int)s.Area, (float)(s.SumX / s.Area), (float)(s.SumY / s.Area), (float)(s.SumScore / s.Area));
            _regionOutput[c.Index] = k;
        }
        var runs = _runs.AsSpan(0, _runCount);
        for (int i = 0; i < runs.Length; i++)
        {
            runs[i] = runs[i] with { Region = _regionOutput[runs[i].Region] };
        }
        ReusedArrays.Grow(ref people, kept);
        for (int k = 0; k < kept; k++)
        {
            var s = personStats[personSpan[k].Index];
            people[k] = new PersonRegion(k, BoxOf(s), (int)s.Area, (float)(s.SumX / s.Area), (float)(s.SumY / s.Area), (float)(s.SumScore / s.Area), _partCount[k]);
        }
        regionCount = nOut;
        peopleCount = kept;
    }

    private void EnsureCapacity(int cells)
    {
        if (_person.Length >= cells)
        {
            return;
        }
        _person = new int[cells];
        _region = new int[cells];
        _queue = new int[cells];
        _regionPerson = new int[cells];
        _regionFirst = new int[cells];
        _regionOutput = new int[cells];
        _regionStats = new Stats[cells];
        _personStats = new Stats[cells];
        _personFirst = new int[cells];
        _personIndex = new int[cells];
        _partCount = new int[cells];
        _candidates = new Candidate[2 * cells];
    }
    // Connected cells of one class and one person, numbered in raster order of their first cell.
    private int LabelRegions(ReadOnlySpan<byte> grid, int width, int height)
    {
        int cells = width * height, n = 0;
        _region.AsSpan(0, cells).Fill(-1);
        for (int i = 0; i < cells; i++)
        {
            if (grid[i] == 0 || _region[i] >= 0)
            {
                continue;
            }
            byte c = grid[i];
            int p = _person[i];
            _region[i] = n;
            _queue[0] = i;
            for (int head = 0, tail = 1; head < tail; head++)
            {
                int k = _queue[head], x = k % width, y = k / width;
                foreach (var (dx, dy) in Neighbours)
                {
                    int nx = x + dx, ny = y + dy;
                    int j = (ny * width) + nx;
                    if ((uint)nx < (uint)width && (uint)ny < (uint)height && grid[j] == c && _person[j] == p && _region[j] < 0)
                    {
                        _region[j] = n;
                        _queue[tail++] = j;
                    }
                }
            }
            _regionPerson[n] = p;
            _regionFirst[n] = i;
            n++;
        }
        return n;
    }

    // Pixel statistics of every region from the input-size labels, one run of equal region at a time.
    private void Measure(ReadOnlySpan<byte> grid, ReadOnlySpan<float> probability, ReadOnlySpan<byte> labels, FrameGeometry g)
    {
        int w = g.InputWidth, gw = g.GridWidth;
        var cols = g.GridColOfInputX;
        bool scored = probability.Length >= grid.Length;
        for (int y = 0; y < g.InputHeight; y++)
        {
            var row = labels.Slice(y * w, w);
            int rowCell = g.GridRowOfInputY[y] * gw, top = g.LerpY0[y] * gw, bottom = g.LerpY1[y] * gw;
            int runRegion = -1, runStart = 0;
            double runScore = 0;
            int x = 0;
            while (x < w)
            {
                if (row[x] == 0)
                {
                    // Background is most of a frame: jump over it with a vectorised search.
                    Flush(runRegion, runStart, x, y, runScore);
                    runRegion = -1;
                    int next = row[x..].IndexOfAnyExcept((byte)0);
                    if (next < 0)
                    {
                        break;
                    }
                    x += next;
                }
                byte label = row[x];
                int cell = rowCell + cols[x];
                if (grid[cell] != label)
                {
                    cell = CornerWithLabel(grid, label, top, bottom, g.LerpX0[x], g.LerpX1[x]);
                }
                int r = cell >= 0 ? _region[cell] : -1;
                if (r != runRegion)
                {
                    Flush(runRegion, runStart, x, y, runScore);
                    runRegion = r;
                    runStart = x;
                    runScore = 0;
                }
                if (scored && cell >= 0)
                {
                    runScore += probability[cell];
                }
                x++;
            }
            Flush(runRegion, runStart, x, y, runScore);
        }
    }

    private static int CornerWithLabel(ReadOnlySpan<byte> grid, byte label, int top, int bottom, int x0, int x1)
    {
        if (grid[top + x0] == label)
        {
            return top + x0;
        }
        if (grid[top + x1] == label)
        {
            return top + x1;
        }
        if (grid[bottom + x0] == label)
        {
            return bottom + x0;
        }
        return grid[bottom + x1] == label ? bottom + x1 : -1;
    }

    // Adds pixels [start, end) of row y to a region's statistics in closed form and records them as a run.
    private void Flush(int region, int start, int end, int y, double score)
    {
        if (region < 0 || end <= start)
        {
            return;
        }
        ReusedArrays.Grow(ref _runs, _runCount + 1);
        _runs[_runCount++] = new PixelRun(y, start, end, region);
        int n = end - start;
        var run = new Stats
        {
            Area = n,
            SumX = n * (start + end - 1) / 2.0,
            SumY = (double)n * y,
            SumScore = score,
            MinX = start,
            MaxX = end - 1,
            MinY = y,
            MaxY = y,
        };
        Merge(ref _regionStats[region], run);
    }

    private static void Merge(ref Stats s, in Stats add)
    {
        if (add.Area == 0)
        {
            return;
        }
        if (s.Area == 0)
        {
            s = add;
            return;
        }
        s.MinX = Math.Min(s.MinX, add.MinX);
        s.MinY = Math.Min(s.MinY, add.MinY);
        s.MaxX = Math.Max(s.MaxX, add.MaxX);
        s.MaxY = Math.Max(s.MaxY, add.MaxY);
        s.Area += add.Area;
        s.SumX += add.SumX;
        s.SumY += add.SumY;
        s.SumScore += add.SumScore;
    }

    private static PixelBox BoxOf(in Stats s) => new(s.MinX, s.MinY, s.MaxX - s.MinX + 1, s.MaxY - s.MinY + 1);
}

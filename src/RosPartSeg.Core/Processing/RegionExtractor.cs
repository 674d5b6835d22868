using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Finds connected part regions and people on the label grid (8-connectivity) and measures them in input pixels.
/// Each grid cell stands for the rectangle of input pixels that nearest-neighbour upscaling gives it, so areas,
/// boxes and centroids equal those of the published input-size label image; the grid is only ~1/16 of the
/// pixels, which keeps this cheap. A part region is connected and non-background, so it lies inside exactly one
/// person (a connected area of non-background cells).
/// </summary>
public sealed class RegionExtractor
{
    private int[] _partParent = [];
    private int[] _personParent = [];
    private Stats[] _part = [];
    private Stats[] _person = [];
    private int[] _personIdOfRoot = [];
    private Candidate[] _candidates = [];
    private Candidate[] _personCandidates = [];

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

    private readonly record struct Candidate(int Root, int ClassId, int PersonId, long Area);

    /// <summary>
    /// Extracts regions and people into the given arrays, growing them when a frame has more than ever before.
    /// <paramref name="probability"/> is the probability of each cell's label (may be empty: scores are then 0).
    /// </summary>
    public void Extract(
        ReadOnlySpan<byte> grid,
        ReadOnlySpan<float> probability,
        FrameGeometry g,
        int minRegionArea,
        int minPersonArea,
        ref PartRegion[] regions,
        out int regionCount,
        ref PersonRegion[] people,
        out int peopleCount)
    {
        ArgumentNullException.ThrowIfNull(g);
        int gw = g.GridWidth, gh = g.GridHeight, cells = gw * gh;
        if (grid.Length < cells)
        {
            throw new ArgumentException($"grid holds {grid.Length} cells, {cells} needed", nameof(grid));
        }
        EnsureCapacity(cells);
        Label(grid, g);
        Accumulate(grid, probability, g);

        // People: keep those large enough, larger first, then by position.
        int nPeople = 0;
        for (int i = 0; i < cells; i++)
        {
            _personIdOfRoot[i] = -1;
            if (grid[i] != 0 && _personParent[i] == i && _person[i].Area > 0 && _person[i].Area >= minPersonArea)
            {
                _personCandidates[nPeople++] = new Candidate(i, 0, 0, _person[i].Area);
            }
        }
        var personSpan = _personCandidates.AsSpan(0, nPeople);
        personSpan.Sort(static (a, b) => a.Area != b.Area ? b.Area.CompareTo(a.Area) : a.Root.CompareTo(b.Root));
        Grow(ref people, nPeople);
        for (int p = 0; p < nPeople; p++)
        {
            int root = personSpan[p].Root;
            _personIdOfRoot[root] = p;
            people[p] = ToPerson(p, _person[root]);
        }

        // Parts: keep those large enough whose person was kept.
        int nRegions = 0;
        for (int i = 0; i < cells; i++)
        {
            if (grid[i] == 0 || _partParent[i] != i || _part[i].Area == 0 || _part[i].Area < minRegionArea)
            {
                continue;
            }
            int person = _personIdOfRoot[Find(_personParent, i)];
            if (person >= 0)
            {
                _candidates[nRegions++] = new Candidate(i, grid[i], person, _part[i].Area);
            }
        }
        var regionSpan = _candidates.AsSpan(0, nRegions);
        regionSpan.Sort(static (a, b) =>
            a.ClassId != b.ClassId ? a.ClassId.CompareTo(b.ClassId)
            : a.PersonId != b.PersonId ? a.PersonId.CompareTo(b.PersonId)
            : a.Area != b.Area ? b.Area.CompareTo(a.Area)
            : a.Root.CompareTo(b.Root));
        Grow(ref regions, nRegions);
        for (int r = 0; r < nRegions; r++)
        {
            var c = regionSpan[r];
            var s = _part[c.Root];
            regions[r] = new PartRegion(c.ClassId, c.PersonId, BoxOf(s), (int)s.Area, (float)(s.SumX / s.Area), (float)(s.SumY / s.Area), (float)(s.SumScore / s.Area));
        }
        regionCount = nRegions;
        peopleCount = nPeople;
    }

    private void EnsureCapacity(int cells)
    {
        if (_partParent.Length >= cells)
        {
            return;
        }
        _partParent = new int[cells];
        _personParent = new int[cells];
        _part = new Stats[cells];
        _person = new Stats[cells];
        _personIdOfRoot = new int[cells];
        _candidates = new Candidate[cells];
        _personCandidates = new Candidate[cells];
    }

    private static void Grow<T>(ref T[] array, int needed)
    {
        if (array.Length < needed)
        {
            array = new T[Math.Max(needed, Math.Max(16, array.Length * 2))];
        }
    }

    // Union-find labelling in raster order; the root of a component is its first cell in raster order.
    private void Label(ReadOnlySpan<byte> grid, FrameGeometry g)
    {
        int gw = g.GridWidth, gh = g.GridHeight;
        var part = _partParent;
        var person = _personParent;
        var xCount = g.CellXCount;
        var yCount = g.CellYCount;
        for (int y = 0; y < gh; y++)
        {
            bool rowEmpty = yCount[y] == 0;
            for (int x = 0; x < gw; x++)
            {
                int i = (y * gw) + x;
                part[i] = i;
                person[i] = i;
                byte id = grid[i];
                if (id == 0 || rowEmpty || xCount[x] == 0)
                {
                    continue;
                }
                // Already visited neighbours: west, north-west, north, north-east.
                if (x > 0)
                {
                    Link(grid, g, i, i - 1, id);
                }
                if (y > 0)
                {
                    int n = i - gw;
                    if (x > 0)
                    {
                        Link(grid, g, i, n - 1, id);
                    }
                    Link(grid, g, i, n, id);
                    if (x < gw - 1)
                    {
                        Link(grid, g, i, n + 1, id);
                    }
                }
            }
        }
    }

    private void Link(ReadOnlySpan<byte> grid, FrameGeometry g, int i, int j, byte id)
    {
        byte other = grid[j];
        int gw = g.GridWidth;
        if (other == 0 || g.CellXCount[j % gw] == 0 || g.CellYCount[j / gw] == 0)
        {
            return;
        }
        Union(_personParent, i, j);
        if (other == id)
        {
            Union(_partParent, i, j);
        }
    }

    private static int Find(int[] parent, int i)
    {
        int root = i;
        while (parent[root] != root)
        {
            root = parent[root];
        }
        while (parent[i] != root)
        {
            int next = parent[i];
            parent[i] = root;
            i = next;
        }
        return root;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra < rb)
        {
            parent[rb] = ra;
        }
        else if (rb < ra)
        {
            parent[ra] = rb;
        }
    }

    private void Accumulate(ReadOnlySpan<byte> grid, ReadOnlySpan<float> probability, FrameGeometry g)
    {
        int gw = g.GridWidth, cells = gw * g.GridHeight;
        var part = _part.AsSpan(0, cells);
        var person = _person.AsSpan(0, cells);
        part.Clear();
        person.Clear();
        for (int i = 0; i < cells; i++)
        {
            if (grid[i] == 0)
            {
                continue;
            }
            int cx = i % gw, cy = i / gw;
            int nx = g.CellXCount[cx], ny = g.CellYCount[cy];
            if (nx == 0 || ny == 0)
            {
                continue;
            }
            int x0 = g.CellX0[cx], y0 = g.CellY0[cy];
            long area = (long)nx * ny;
            // Sums of pixel coordinates over the cell's rectangle, in closed form.
            double sumX = ny * ((nx * (double)x0) + (nx * (nx - 1) / 2.0));
            double sumY = nx * ((ny * (double)y0) + (ny * (ny - 1) / 2.0));
            double score = probability.Length > i ? probability[i] * (double)area : 0;
            Add(ref part[Find(_partParent, i)], area, sumX, sumY, score, x0, y0, x0 + nx - 1, y0 + ny - 1);
            Add(ref person[Find(_personParent, i)], area, sumX, sumY, score, x0, y0, x0 + nx - 1, y0 + ny - 1);
        }
    }

    private static void Add(ref Stats s, long area, double sumX, double sumY, double score, int minX, int minY, int maxX, int maxY)
    {
        if (s.Area == 0)
        {
            s.MinX = minX;
            s.MinY = minY;
            s.MaxX = maxX;
            s.MaxY = maxY;
        }
        else
        {
            s.MinX = Math.Min(s.MinX, minX);
            s.MinY = Math.Min(s.MinY, minY);
            s.MaxX = Math.Max(s.MaxX, maxX);
            s.MaxY = Math.Max(s.MaxY, maxY);
        }
        s.Area += area;
        s.SumX += sumX;
        s.SumY += sumY;
        s.SumScore += score;
    }

    private static PixelBox BoxOf(in Stats s) => new(s.MinX, s.MinY, s.MaxX - s.MinX + 1, s.MaxY - s.MinY + 1);

    private static PersonRegion ToPerson(int id, in Stats s)
        => new(id, BoxOf(s), (int)s.Area, (float)(s.SumX / s.Area), (float)(s.SumY / s.Area), (float)(s.SumScore / s.Area));
}

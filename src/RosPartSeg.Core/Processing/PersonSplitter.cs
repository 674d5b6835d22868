using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Core.Processing;

/// <summary>
/// Assigns every non-background grid cell to one person. <see cref="PersonGrouping.Split"/> separates touching
/// people: each head region (at least <c>minSeedCells</c> cells) seeds a person, and all seeds grow at once,
/// breadth first, through touching cells of the same part or the next part outward on the body's tree
/// (<see cref="BodyStructure"/>): a torso shared by two people is divided where their growth meets, and a hand
/// reaches its person only through its arm. A head claims torso only within a body's proportions of itself, so one
/// head cannot take the torsos of its neighbours. Torso left unclaimed (hidden heads) seeds people of its own when it
/// is at least two head areas, one per typical torso width when it is wide (never cut narrower than half its
/// height); a smaller remnant joins the person it touches. Leftover cells (a fragment,
/// a part whose link was missed) join the person they touch or lie within a few cells of; what is near no one (a
/// lone arm) is a person per connected area. <see cref="PersonGrouping.Components"/> is that last step alone: one
/// person per connected non-background area. Deterministic: seeds and queues go in raster order.
/// </summary>
public sealed class PersonSplitter
{
    // Where a head's torso may lie, in head widths either side of its centre and head heights below it: generous,
    // since arms and clothes are often labelled torso, yet narrower than two people side by side.
    private const float TorsoHalfWidthInHeads = 1.5f;
    private const float TorsoDepthInHeads = 4f;

    // One person's torso, in head widths, to count the people in an unclaimed torso area.
    private const float TorsoWidthInHeads = 2.5f;

    // ...but no narrower than this share of the area's height (in input pixels): a torso is about as wide as it is
    // tall, so a tall area is one person even where the only head seen (the width measure) is small and far away.
    private const float MinTorsoStripAspect = 0.5f;

    // An unclaimed torso area seeds a person of its own (whose head is hidden) only from this many median head
    // areas: a whole torso is about six, and a smaller remnant is more often the far end of a seen person's torso
    // (someone bending over, reaching beyond the band of their head) than all that shows of another person.
    private const int HiddenHeadTorsoInHeads = 2;

    // A detached fragment (a foot past a missed ankle) this many cells from a person joins it.
    private const int AttachDistance = 5;

    // A head region below this share of the largest head's area is a fragment, not a person (it may still join one).
    private const float MinHeadShare = 0.15f;

    // A head region wider than this many times its height is several heads side by side: cut into strips of a
    // typical head's width for its height.
    private const float MaxHeadAspect = 1.5f;
    private const float HeadAspect = 0.75f;

    private static readonly (int Dx, int Dy)[] Neighbours = [(-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)];

    private readonly BodyStructure _body;
    private int[] _component = [];
    private int[] _size = [];
    private int[] _minX = [];
    private int[] _maxX = [];
    private int[] _minY = [];
    private int[] _maxY = [];
    private int[] _seedOf = [];
    private int[] _queue = [];
    private int[] _scratch = [];
    private float[] _bandX0 = [];
    private float[] _bandX1 = [];
    private float[] _bandY1 = [];
    private float[] _headX = [];
    private int[] _torsoCells = [];
    private int[] _torsoBottom = [];

    public PersonSplitter(BodyStructure body) => _body = body ?? throw new ArgumentNullException(nameof(body));

    /// <summary>
    /// Writes the person of each cell into <paramref name="person"/> (-1 for background); returns the number of
    /// people (a person may end up with no cells; callers drop empty ones). <paramref name="cellAspect"/> is a cell's
    /// width over its height in input pixels, so head shapes are judged as seen.
    /// </summary>
    public int Assign(ReadOnlySpan<byte> grid, int width, int height, PersonGrouping grouping, int minSeedCells, float cellAspect, Span<int> person)
    {
        int cells = width * height;
        EnsureCapacity(cells);
        person[..cells].Fill(-1);
        int people = 0;
        if (grouping == PersonGrouping.Split && (_body.HasHeads || _body.HasTorsos))
        {
            Components(grid, width, height, person, torso: false);
            people = SeedHeads(grid, width, cells, person, minSeedCells, cellAspect, out int queued, out float headWidth, out int headArea);
            Grow(grid, width, height, person, queued, outwardOnly: true, banded: people);
            Components(grid, width, height, person, torso: true);
            int before = people;
            people = SeedTorsos(grid, width, cells, person, people, Math.Max(minSeedCells, HiddenHeadTorsoInHeads * headArea), headWidth, cellAspect, out queued);
            Grow(grid, width, height, person, queued, outwardOnly: true, banded: before);
            // The passes over every assigned cell only do something while some part cell has no person yet.
            if (HasUnassigned(grid, person, cells))
            {
                Grow(grid, width, height, person, QueueAssigned(person, cells), outwardOnly: false, banded: 0);
            }
            if (HasUnassigned(grid, person, cells))
            {
                AttachNearby(grid, width, height, person);
                Grow(grid, width, height, person, QueueAssigned(person, cells), outwardOnly: false, banded: 0);
            }
        }
        // What is still unassigned: one person per connected area.
        for (int i = 0; i < cells; i++)
        {
            if (grid[i] != 0 && person[i] < 0)
            {
                person[i] = people++;
                _queue[0] = i;
                Grow(grid, width, height, person, 1, outwardOnly: false, banded: 0);
            }
        }
        return people;
    }

    private void EnsureCapacity(int cells)
    {
        if (_queue.Length >= cells)
        {
            return;
        }
        _component = new int[cells];
        _size = new int[cells];
        _minX = new int[cells];
        _maxX = new int[cells];
        _minY = new int[cells];
        _maxY = new int[cells];
        _seedOf = new int[cells];
        _queue = new int[cells];
        _scratch = new int[cells];
        _bandX0 = new float[cells];
        _bandX1 = new float[cells];
        _bandY1 = new float[cells];
        _headX = new float[cells];
        _torsoCells = new int[cells];
        _torsoBottom = new int[cells];
    }

    // Each head region large enough seeds a person (one per strip when it is several heads wide), numbered in raster
    // order of the region's first cell; its torso band is set from its box. Also returns the median seed head width
    // (cells) and area.
    private int SeedHeads(ReadOnlySpan<byte> grid, int width, int cells, Span<int> person, int minSeedCells, float cellAspect, out int queued, out float headWidth, out int headArea)
    {
        int largest = 0;
        for (int i = 0; i < cells; i++)
        {
            if (_component[i] == i)
            {
                largest = Math.Max(largest, _size[i]);
            }
        }
        int minCells = Math.Max(minSeedCells, (int)MathF.Ceiling(MinHeadShare * largest));
        int people = 0, n = 0;
        for (int i = 0; i < cells; i++)
        {
            if (grid[i] == 0 || !_body.IsHead(grid[i]))
            {
                continue;
            }
            int comp = _component[i], w = _maxX[comp] - _minX[comp] + 1, h = _maxY[comp] - _minY[comp] + 1;
            float aspect = w * cellAspect / h;
            int strips = aspect > MaxHeadAspect ? (int)MathF.Round(aspect / HeadAspect) : 1;
            if (comp == i)
            {
                _seedOf[comp] = _size[comp] >= minCells ? people : -1;
                for (int k = 0; _seedOf[comp] >= 0 && k < strips; k++, people++)
                {
                    float sw = (float)w / strips, cx = _minX[comp] + ((k + 0.5f) * sw) - 0.5f;
                    _headX[people] = cx;
                    _bandX0[people] = cx - (TorsoHalfWidthInHeads * sw);
                    _bandX1[people] = cx + (TorsoHalfWidthInHeads * sw);
                    _bandY1[people] = _maxY[comp] + (TorsoDepthInHeads * h);
                    _scratch[people] = (int)MathF.Round(sw);
                    _scratch[cells - 1 - people] = _size[comp] / strips;
                }
            }
            if (_seedOf[comp] >= 0)
            {
                person[i] = _seedOf[comp] + (((i % width) - _minX[comp]) * strips / w);
                _queue[n++] = i;
            }
        }
        queued = n;
        headWidth = people == 0 ? 0 : Median(_scratch.AsSpan(0, people));
        headArea = people == 0 ? 0 : Median(_scratch.AsSpan(cells - people, people));
        return people;
    }

    // A head adopts an unclaimed torso region inside its band when it has (almost) no torso of its own (the link was
    // missed: a shirt labelled as another part) or when the region lies wholly below its torso (a mislabelled leg or
    // shoe): neither is a second person, whose torso would stand beside the first. Returns the head's person or -1.
    private int Adopter(int comp, int heads)
    {
        float cx = (_minX[comp] + _maxX[comp]) / 2f;
        int best = -1;
        for (int p = 0; p < heads; p++)
        {
            bool inBand = cx >= _bandX0[p] && cx <= _bandX1[p] && _minY[comp] <= _bandY1[p];
            bool own = _torsoCells[p] * 2 < _size[comp] || (_torsoCells[p] > 0 && _minY[comp] > _torsoBottom[p]);
            if (inBand && own && (best < 0 || Math.Abs(_headX[p] - cx) < Math.Abs(_headX[best] - cx)))
            {
                best = p;
            }
        }
        return best;
    }

    // Unclaimed torso regions large enough seed people; one wider than a typical torso is cut into vertical strips,
    // one person each, so a row of people whose heads are all hidden is not one person.
    private int SeedTorsos(ReadOnlySpan<byte> grid, int width, int cells, Span<int> person, int people, int minCells, float headWidth, float cellAspect, out int queued)
    {
        int n = 0, heads = people;
        _torsoCells.AsSpan(0, heads).Clear();
        for (int i = 0; i < cells; i++)
        {
            if (person[i] >= 0 && person[i] < heads && _body.IsTorso(grid[i]))
            {
                _torsoCells[person[i]]++;
                _torsoBottom[person[i]] = i / width;
            }
        }
        for (int i = 0; i < cells; i++)
        {
            if (grid[i] == 0 || person[i] >= 0 || !_body.IsTorso(grid[i]))
            {
                continue;
            }
            int comp = _component[i], w = _maxX[comp] - _minX[comp] + 1;
            if (comp == i)
            {
                int strips = headWidth > 0 ? Math.Max(1, (int)MathF.Round(w / (TorsoWidthInHeads * headWidth))) : 1;
                int h = _maxY[comp] - _minY[comp] + 1;
                strips = Math.Min(strips, Math.Max(1, (int)(w * cellAspect / (MinTorsoStripAspect * h))));
                int adopter = strips == 1 ? Adopter(comp, heads) : -1;
                _seedOf[comp] = adopter >= 0 ? adopter : _size[comp] >= minCells ? people : -1;
                _scratch[comp] = adopter >= 0 ? 1 : strips;
                people += adopter < 0 && _size[comp] >= minCells ? strips : 0;
            }
            if (_seedOf[comp] >= 0)
            {
                person[i] = _seedOf[comp] + ((i % width) - _minX[comp]) * _scratch[comp] / w;
                _queue[n++] = i;
            }
        }
        queued = n;
        return people;
    }

    private static bool HasUnassigned(ReadOnlySpan<byte> grid, Span<int> person, int cells)
    {
        for (int i = 0; i < cells; i++)
        {
            if (grid[i] != 0 && person[i] < 0)
            {
                return true;
            }
        }
        return false;
    }

    private int QueueAssigned(Span<int> person, int cells)
    {
        int n = 0;
        for (int i = 0; i < cells; i++)
        {
            if (person[i] >= 0)
            {
                _queue[n++] = i;
            }
        }
        return n;
    }

    // Breadth first from the first `sources` cells of the queue into unassigned non-background cells. People below
    // `banded` (those seeded by a head) take torso cells only inside their torso band.
    private void Grow(ReadOnlySpan<byte> grid, int width, int height, Span<int> person, int sources, bool outwardOnly, int banded)
    {
        int tail = sources;
        for (int head = 0; head < tail; head++)
        {
            int i = _queue[head], x = i % width, y = i / width, p = person[i];
            byte c = grid[i];
            foreach (var (dx, dy) in Neighbours)
            {
                int nx = x + dx, ny = y + dy;
                if ((uint)nx >= (uint)width || (uint)ny >= (uint)height)
                {
                    continue;
                }
                int j = (ny * width) + nx;
                byte d = grid[j];
                if (d == 0 || person[j] >= 0 || (outwardOnly && !_body.Outward(c, d)))
                {
                    continue;
                }
                if (p < banded && _body.IsTorso(d) && (nx < _bandX0[p] || nx > _bandX1[p] || ny > _bandY1[p]))
                {
                    continue;
                }
                person[j] = p;
                _queue[tail++] = j;
            }
        }
    }

    // Unassigned cells within AttachDistance cells (through anything, background included) of a person join it.
    private void AttachNearby(ReadOnlySpan<byte> grid, int width, int height, Span<int> person)
    {
        int cells = width * height;
        var reach = _scratch.AsSpan(0, cells);   // person whose search reached the cell, or -1
        var steps = _size.AsSpan(0, cells);      // its distance
        reach.Fill(-1);
        int tail = 0;
        for (int i = 0; i < cells; i++)
        {
            if (person[i] >= 0)
            {
                reach[i] = person[i];
                steps[i] = 0;
                _queue[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++)
        {
            int i = _queue[head], x = i % width, y = i / width;
            if (steps[i] >= AttachDistance)
            {
                continue;
            }
            foreach (var (dx, dy) in Neighbours)
            {
                int nx = x + dx, ny = y + dy, j = (ny * width) + nx;
                if ((uint)nx >= (uint)width || (uint)ny >= (uint)height || reach[j] >= 0)
                {
                    continue;
                }
                reach[j] = reach[i];
                steps[j] = steps[i] + 1;
                _queue[tail++] = j;
                if (grid[j] != 0 && person[j] < 0)
                {
                    person[j] = reach[i];
                }
            }
        }
    }

    // Connected regions (8-connectivity) of one class among the unassigned head (or torso) cells: _component holds
    // each cell's first cell in raster order; size and box are kept at that first cell.
    private void Components(ReadOnlySpan<byte> grid, int width, int height, Span<int> person, bool torso)
    {
        int cells = width * height;
        _component.AsSpan(0, cells).Fill(-1);
        for (int i = 0; i < cells; i++)
        {
            byte c = grid[i];
            if (c == 0 || _component[i] >= 0 || person[i] >= 0 || !(torso ? _body.IsTorso(c) : _body.IsHead(c)))
            {
                continue;
            }
            _component[i] = i;
            _queue[0] = i;
            int tail = 1, minX = i % width, maxX = minX, minY = i / width, maxY = minY;
            for (int head = 0; head < tail; head++)
            {
                int k = _queue[head], x = k % width, y = k / width;
                minX = Math.Min(minX, x);
                maxX = Math.Max(maxX, x);
                maxY = Math.Max(maxY, y);
                foreach (var (dx, dy) in Neighbours)
                {
                    int nx = x + dx, ny = y + dy, j = (ny * width) + nx;
                    if ((uint)nx < (uint)width && (uint)ny < (uint)height && grid[j] == c && _component[j] < 0 && person[j] < 0)
                    {
                        _component[j] = i;
                        _queue[tail++] = j;
                    }
                }
            }
            (_size[i], _minX[i], _maxX[i], _minY[i], _maxY[i]) = (tail, minX, maxX, minY, maxY);
        }
    }

    private static int Median(Span<int> values)
    {
        values.Sort();
        return values[values.Length / 2];
    }
}

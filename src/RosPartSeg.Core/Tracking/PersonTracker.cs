using RosPartSeg.Core.Pipeline;
using RosPartSeg.Core.Spatial;

namespace RosPartSeg.Core.Tracking;

/// <summary>
/// Gives each person a track id that stays while they stay in view: predict (constant velocity), gate, match
/// (greedy, cheapest pair first), age out, as SORT-like trackers do. A pair passes the gate in 3D when both have a
/// depth value (within <see cref="TrackerOptions.MaxDistance3D"/>), else in the image (overlap or centre distance).
/// Unmatched tracks are kept for <see cref="TrackerOptions.LostTime"/> seconds, so short occlusions keep the id;
/// every unmatched person gets a new id; ids are never reused in a run (a tracker's life). Allocation-free once it
/// has seen its largest crowd. Not thread-safe. Knows nothing of ROS.
/// </summary>
public sealed class PersonTracker
{
    // A velocity is a blend of the last step's and the previous estimate: smooth, yet quick to follow a turn.
    private const double VelocityBlend = 0.5;

    private Track[] _tracks = [];
    private int _trackCount;
    private Pair[] _pairs = [];
    private bool[] _detectionTaken = [];
    private int _nextId = 1;
    private double _lastTime = double.NaN;

    public PersonTracker(TrackerOptions? options = null)
    {
        Options = options ?? new TrackerOptions();
        Options.Validate();
    }

    public TrackerOptions Options { get; }

    /// <summary>Tracks alive now (seen within the lost time).</summary>
    public int ActiveTracks => _trackCount;

    /// <summary>The id the next new person gets.</summary>
    public int NextId => _nextId;

    private struct Track
    {
        public int Id;
        public double Cx, Cy, W, H; // box centre and size, pixels
        public double Vx, Vy; // pixels per second
        public bool Has3D;
        public double X, Y, Z; // metres
        public double Vx3, Vy3, Vz3;
        public double LastSeen;
        public bool Matched;
    }

    private readonly record struct Pair(int Track, int Detection, double Cost);

    /// <summary>Forgets every track (the next ids continue: ids are never reused by this tracker).</summary>
    public void Clear()
    {
        _trackCount = 0;
        _lastTime = double.NaN;
    }

    /// <summary>
    /// One frame at <paramref name="time"/> seconds: writes each person's track id into <paramref name="ids"/>.
    /// <paramref name="people3D"/> may be empty (no depth) or hold one value per person. Time running backwards
    /// (a bag played again) forgets the tracks.
    /// </summary>
    public void Update(double time, ReadOnlySpan<PersonRegion> people, ReadOnlySpan<Position3D> people3D, Span<int> ids)
    {
        if (ids.Length < people.Length || (people3D.Length != 0 && people3D.Length < people.Length))
        {
            throw new ArgumentException("ids (and people3D when given) need one entry per person");
        }
        if (time < _lastTime)
        {
            Clear();
        }
        _lastTime = time;

        // Age out.
        int kept = 0;
        for (int t = 0; t < _trackCount; t++)
        {
            if (time - _tracks[t].LastSeen <= Options.LostTime)
            {
                _tracks[kept++] = _tracks[t];
            }
        }
        _trackCount = kept;

        // Gate every pair, then match the cheapest first.
        ReusedArrays.Grow(ref _pairs, _trackCount * people.Length);
        ReusedArrays.Grow(ref _detectionTaken, people.Length);
        _detectionTaken.AsSpan(0, people.Length).Clear();
        int nPairs = 0;
        for (int t = 0; t < _trackCount; t++)
        {
            _tracks[t].Matched = false;
            for (int d = 0; d < people.Length; d++)
            {
                var p3 = people3D.Length > 0 ? people3D[d] : default;
                if (Cost(_tracks[t], time, people[d], p3) is double cost)
                {
                    _pairs[nPairs++] = new Pair(t, d, cost);
                }
            }
        }
        var pairs = _pairs.AsSpan(0, nPairs);
        pairs.Sort(static (a, b) => a.Cost != b.Cost ? a.Cost.CompareTo(b.Cost) : a.Track != b.Track ? a.Track.CompareTo(b.Track) : a.Detection.CompareTo(b.Detection));
        foreach (var pair in pairs)
        {
            if (_tracks[pair.Track].Matched || _detectionTaken[pair.Detection])
            {
                continue;
            }
            _detectionTaken[pair.Detection] = true;
            ref var track = ref _tracks[pair.Track];
            track.Matched = true;
            Correct(ref track, time, people[pair.Detection], people3D.Length > 0 ? people3D[pair.Detection] : default);
            ids[pair.Detection] = track.Id;
        }

        // Everyone unmatched is somebody new.
        for (int d = 0; d < people.Length; d++)
        {
            if (_detectionTaken[d])
            {
                continue;
            }
            ReusedArrays.Grow(ref _tracks, _trackCount + 1);
            var p = people[d];
            var p3 = people3D.Length > 0 ? people3D[d] : default;
            _tracks[_trackCount++] = new Track
            {
                Id = _nextId++,
                Cx = p.Box.X + (p.Box.Width / 2.0),
                Cy = p.Box.Y + (p.Box.Height / 2.0),
                W = p.Box.Width,
                H = p.Box.Height,
                Has3D = p3.Valid,
                X = p3.X,
                Y = p3.Y,
                Z = p3.Z,
                LastSeen = time,
                Matched = true,
            };
            ids[d] = _tracks[_trackCount - 1].Id;
        }
    }

    // The pair's cost when it passes the gate, else null.
    private double? Cost(in Track t, double time, in PersonRegion p, in Position3D p3)
    {
        double dt = time - t.LastSeen;
        if (t.Has3D && p3.Valid)
        {
            double dx = t.X + (t.Vx3 * dt) - p3.X, dy = t.Y + (t.Vy3 * dt) - p3.Y, dz = t.Z + (t.Vz3 * dt) - p3.Z;
            double distance = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
            return distance <= Options.MaxDistance3D ? distance / Options.MaxDistance3D : null;
        }
        double cx = t.Cx + (t.Vx * dt), cy = t.Cy + (t.Vy * dt);
        double pcx = p.Box.X + (p.Box.Width / 2.0), pcy = p.Box.Y + (p.Box.Height / 2.0);
        double iou = Iou(cx, cy, t.W, t.H, pcx, pcy, p.Box.Width, p.Box.Height);
        double diagonal = Math.Sqrt(((double)p.Box.Width * p.Box.Width) + ((double)p.Box.Height * p.Box.Height));
        double centre = Math.Sqrt(((cx - pcx) * (cx - pcx)) + ((cy - pcy) * (cy - pcy))) / Math.Max(diagonal, 1);
        return iou >= Options.MinIou || centre <= Options.MaxCentreDistance ? (1 - iou) + centre : null;
    }

    private static double Iou(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh)
    {
        double w = Math.Min(ax + (aw / 2), bx + (bw / 2)) - Math.Max(ax - (aw / 2), bx - (bw / 2));
        double h = Math.Min(ay + (ah / 2), by + (bh / 2)) - Math.Max(ay - (ah / 2), by - (bh / 2));
        if (w <= 0 || h <= 0)
        {
            return 0;
        }
        double inter = w * h;
        return inter / ((aw * ah) + (bw * bh) - inter);
    }

    private static void Correct(ref Track t, double time, in PersonRegion p, in Position3D p3)
    {
        double dt = time - t.LastSeen;
        double cx = p.Box.X + (p.Box.Width / 2.0), cy = p.Box.Y + (p.Box.Height / 2.0);
        if (dt > 1e-6)
        {
            t.Vx = Blend(t.Vx, (cx - t.Cx) / dt);
            t.Vy = Blend(t.Vy, (cy - t.Cy) / dt);
            if (t.Has3D && p3.Valid)
            {
                t.Vx3 = Blend(t.Vx3, (p3.X - t.X) / dt);
                t.Vy3 = Blend(t.Vy3, (p3.Y - t.Y) / dt);
                t.Vz3 = Blend(t.Vz3, (p3.Z - t.Z) / dt);
            }
        }
        if (!p3.Valid || !t.Has3D)
        {
            (t.Vx3, t.Vy3, t.Vz3) = (0, 0, 0); // a 3D velocity across a gap in depth would be made up
        }
        (t.Cx, t.Cy, t.W, t.H) = (cx, cy, p.Box.Width, p.Box.Height);
        if (p3.Valid)
        {
            (t.X, t.Y, t.Z) = (p3.X, p3.Y, p3.Z);
        }
        t.Has3D = p3.Valid;
        t.LastSeen = time;
    }

    private static double Blend(double previous, double measured) => (VelocityBlend * measured) + ((1 - VelocityBlend) * previous);
}

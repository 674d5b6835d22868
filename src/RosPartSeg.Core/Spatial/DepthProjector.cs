using System.Runtime.InteropServices;
using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Core.Spatial;

/// <summary>Which depth readings count and how many a region needs for a 3D value.</summary>
public sealed record DepthProjectionOptions
{
    /// <summary>Nearer readings are noise (or the sensor's minimum), never counted.</summary>
    public double MinDepth { get; init; } = 0.1;

    /// <summary>Farther readings are never counted (RGB-D sensors are unreliable beyond ~10 m).</summary>
    public double MaxDepth { get; init; } = 20.0;

    /// <summary>A region with fewer valid pixels gets no 3D value rather than a wrong one.</summary>
    public int MinPixels { get; init; } = 20;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option out of range.</summary>
    public void Validate()
    {
        if (!(MinDepth >= 0 && MaxDepth > MinDepth && double.IsFinite(MaxDepth)))
        {
            throw new ArgumentException($"depth range must satisfy 0 <= min < max (got {MinDepth} to {MaxDepth} m)");
        }
        if (MinPixels < 1)
        {
            throw new ArgumentException($"the minimum of valid depth pixels must be at least 1 (got {MinPixels})");
        }
    }
}

/// <summary>
/// Places each part region and each person in the camera's optical frame from an aligned depth image. A region's
/// pixels are exactly those the region extractor assigned to it (its runs), so touching or overlapping people never
/// share depth pixels; a person's are those of its regions. Only valid readings count (not 0, not NaN, within the
/// range); the median of them is the depth, the mean of their pixels back-projected through K at that depth the
/// centre. Buffers grow to the largest frame's need and are reused: nothing is allocated per frame once warm. Not
/// thread-safe. Knows nothing of ROS.
/// </summary>
public sealed class DepthProjector
{
    private float[] _samples = [];
    private float[] _scratch = [];
    private RegionSamples[] _spans = [];

    public DepthProjector(DepthProjectionOptions? options = null)
    {
        Options = options ?? new DepthProjectionOptions();
        Options.Validate();
    }

    public DepthProjectionOptions Options { get; }

    // One region's valid samples (_samples[Start..Start+Count]) and their pixel sums and bounds.
    private struct RegionSamples
    {
        public int Start;
        public int Count;
        public double SumU;
        public double SumV;
        public int MinU;
        public int MaxU;
        public int MinV;
        public int MaxV;

        public void Merge(in RegionSamples o)
        {
            if (o.Count == 0)
            {
                return;
            }
            if (Count == 0)
            {
                (MinU, MaxU, MinV, MaxV) = (o.MinU, o.MaxU, o.MinV, o.MaxV);
            }
            else
            {
                (MinU, MaxU) = (Math.Min(MinU, o.MinU), Math.Max(MaxU, o.MaxU));
                (MinV, MaxV) = (Math.Min(MinV, o.MinV), Math.Max(MaxV, o.MaxV));
            }
            Count += o.Count;
            SumU += o.SumU;
            SumV += o.SumV;
        }
    }

    /// <summary>
    /// Fills <paramref name="regionsOut"/> (one per region) and <paramref name="peopleOut"/> (one per person, by
    /// <see cref="PersonRegion.PersonId"/>). <paramref name="runs"/> are the regions' pixels in the width x height
    /// colour image (<see cref="Processing.RegionExtractor.Runs"/>; runs of region -1 are skipped), and the depth
    /// must have that size (else <see cref="ArgumentException"/>).
    /// </summary>
    public void Project(ReadOnlySpan<PixelRun> runs, int width, int height, ReadOnlySpan<PartRegion> regions, ReadOnlySpan<PersonRegion> people,
        in DepthImage depth, CameraIntrinsics k, Span<Position3D> regionsOut, Span<Position3D> peopleOut)
    {
        depth.Validate();
        if (depth.Width != width || depth.Height != height)
        {
            throw new ArgumentException($"depth image of {depth.Width}x{depth.Height} is not aligned to the {width}x{height} colour image");
        }
        if (!k.IsValid)
        {
            throw new ArgumentException($"camera intrinsics fx {k.Fx}, fy {k.Fy}, cx {k.Cx}, cy {k.Cy} are not usable");
        }
        if (regionsOut.Length < regions.Length || peopleOut.Length < people.Length)
        {
            throw new ArgumentException("output spans are shorter than the regions or people");
        }
        if (_spans.Length < regions.Length)
        {
            _spans = new RegionSamples[Math.Max(regions.Length, 2 * _spans.Length)];
        }
        var spans = _spans.AsSpan(0, regions.Length);
        spans.Clear();

        // Each region's slice of the samples has room for all of its pixels: count them (in Start for now), then
        // turn the counts into offsets.
        foreach (var run in runs)
        {
            if (run.Region < 0)
            {
                continue;
            }
            if (run.Region >= regions.Length || (uint)run.Y >= (uint)height || run.X0 < 0 || run.X1 > width || run.X1 < run.X0)
            {
                throw new ArgumentException($"pixel run {run} is outside the {width}x{height} image or its {regions.Length} regions");
            }
            spans[run.Region].Start += run.X1 - run.X0;
        }
        int total = 0;
        foreach (ref var s in spans)
        {
            int pixels = s.Start;
            s.Start = total;
            total += pixels;
        }
        ReusedArrays.Grow(ref _samples, total);

        var data = depth.Data.Span;
        foreach (var run in runs)
        {
            if (run.Region >= 0)
            {
                Collect(run, data, depth, ref spans[run.Region]);
            }
        }
        for (int r = 0; r < regions.Length; r++)
        {
            regionsOut[r] = Place(_samples.AsSpan(spans[r].Start, spans[r].Count), spans[r], k);
        }

        for (int p = 0; p < people.Length; p++)
        {
            var merged = default(RegionSamples);
            int n = 0;
            for (int r = 0; r < regions.Length; r++)
            {
                if (regions[r].PersonId == people[p].PersonId)
                {
                    n += spans[r].Count;
                }
            }
            ReusedArrays.Grow(ref _scratch, n);
            n = 0;
            for (int r = 0; r < regions.Length; r++)
            {
                if (regions[r].PersonId == people[p].PersonId && spans[r].Count > 0)
                {
                    _samples.AsSpan(spans[r].Start, spans[r].Count).CopyTo(_scratch.AsSpan(n));
                    n += spans[r].Count;
                    merged.Merge(spans[r]);
                }
            }
            peopleOut[p] = Place(_scratch.AsSpan(0, n), merged, k);
        }
    }

    // Appends the valid depths of one run to its region's samples and adds them to its pixel statistics.
    private void Collect(in PixelRun run, ReadOnlySpan<byte> data, in DepthImage depth, ref RegionSamples s)
    {
        var depthRow = data.Slice((run.Y * depth.Step) + (run.X0 * depth.PixelSize), (run.X1 - run.X0) * depth.PixelSize);
        var samples = _samples.AsSpan(s.Start + s.Count, run.X1 - run.X0);
        float min = (float)Options.MinDepth, max = (float)Options.MaxDepth, scale = (float)depth.MetresPerUnit;
        int n = 0;
        long sumU = 0;
        int first = -1, last = -1;
        for (int i = 0; i < samples.Length; i++)
        {
            float z = Read(depthRow, i, depth.Format, depth.BigEndian, scale);
            // NaN fails both comparisons, so it never counts; 0 is below any positive minimum.
            if (!(z >= min && z <= max) || z == 0)
            {
                continue;
            }
            samples[n++] = z;
            sumU += run.X0 + i;
            first = first < 0 ? run.X0 + i : first;
            last = run.X0 + i;
        }
        s.Merge(new RegionSamples { Count = n, SumU = sumU, SumV = (double)n * run.Y, MinU = first, MaxU = last, MinV = run.Y, MaxV = run.Y });
    }

    private static float Read(ReadOnlySpan<byte> row, int i, DepthFormat format, bool bigEndian, float scale)
    {
        if (format == DepthFormat.UInt16)
        {
            ushort raw = MemoryMarshal.Read<ushort>(row.Slice(i * 2, 2));
            if (bigEndian)
            {
                raw = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(raw);
            }
            return raw * scale;
        }
        int bits = MemoryMarshal.Read<int>(row.Slice(i * 4, 4));
        if (bigEndian)
        {
            bits = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(bits);
        }
        return BitConverter.Int32BitsToSingle(bits);
    }

    // The region's 3D value from its valid depths (reordered in place) and pixel statistics.
    private Position3D Place(Span<float> depths, in RegionSamples s, CameraIntrinsics k)
    {
        int n = depths.Length;
        if (n < Options.MinPixels || n == 0)
        {
            return new Position3D(false, 0, 0, 0, 0, 0, 0, n);
        }
        int mid = n / 2;
        float z = Selection.Select(depths, mid);
        if (n % 2 == 0)
        {
            z = (z + Selection.Max(depths[..mid])) / 2; // the mean of the two middle values
        }
        int i10 = (int)((n - 1) * 0.1), i90 = (int)Math.Ceiling((n - 1) * 0.9);
        float p10 = i10 < mid ? Selection.Select(depths[..mid], i10) : depths[mid];
        float p90 = i90 > mid ? Selection.Select(depths[(mid + 1)..], i90 - mid - 1) : depths[mid];
        double u = s.SumU / n, v = s.SumV / n;
        return new Position3D(
            true,
            (float)((u - k.Cx) * z / k.Fx),
            (float)((v - k.Cy) * z / k.Fy),
            z,
            (float)((s.MaxU - s.MinU + 1) * z / k.Fx),
            (float)((s.MaxV - s.MinV + 1) * z / k.Fy),
            p90 - p10,
            n);
    }
}

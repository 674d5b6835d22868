using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Spatial;

namespace RosPartSeg.Core.Pipeline;

/// <summary>
/// The results of one frame. Owned by the pipeline and reused: valid until the next call to
/// <see cref="SegmentationPipeline.Process"/>. Copy what must outlive that.
/// </summary>
public sealed class SegmentationResult
{
    internal byte[] LabelBuffer = [];
    internal byte[] ColorMaskBuffer = [];
    internal byte[] OverlayBuffer = [];
    internal PartRegion[] RegionBuffer = [];
    internal PersonRegion[] PeopleBuffer = [];
    internal int RegionCount;
    internal int PeopleCount;
    internal int[] TrackIdBuffer = [];
    internal Position3D[] People3DBuffer = [];
    internal Position3D[] Regions3DBuffer = [];

    internal SegmentationResult(IReadOnlyList<string> classNames) => ClassNames = classNames;

    /// <summary>The input frame's stamp, carried unchanged.</summary>
    public Timestamp Stamp { get; internal set; }

    /// <summary>The input frame's frame id, carried unchanged.</summary>
    public string FrameId { get; internal set; } = "";

    public int InputWidth { get; internal set; }

    public int InputHeight { get; internal set; }

    /// <summary>Width of <see cref="Labels"/> and <see cref="ColorMask"/>.</summary>
    public int LabelWidth { get; internal set; }

    /// <summary>Height of <see cref="Labels"/> and <see cref="ColorMask"/>.</summary>
    public int LabelHeight { get; internal set; }

    /// <summary>Which outputs this frame computed; the others hold stale or no data.</summary>
    public PipelineOutputs Produced { get; internal set; }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Class id per pixel (mono8), LabelWidth x LabelHeight, packed rows.</summary>
    public ReadOnlySpan<byte> Labels => LabelBuffer.AsSpan(0, LabelWidth * LabelHeight);

    /// <summary>Palette colour per pixel (rgb8), LabelWidth x LabelHeight, packed rows.</summary>
    public ReadOnlySpan<byte> ColorMask => ColorMaskBuffer.AsSpan(0, LabelWidth * LabelHeight * 3);

    /// <summary>Input blended with the mask, boxes drawn (rgb8), InputWidth x InputHeight, packed rows.</summary>
    public ReadOnlySpan<byte> Overlay => OverlayBuffer.AsSpan(0, InputWidth * InputHeight * 3);

    /// <summary>Part regions, ordered by class id, then person id, then larger first.</summary>
    public ReadOnlySpan<PartRegion> Regions => RegionBuffer.AsSpan(0, RegionCount);

    /// <summary>People, ordered larger first; <see cref="PersonRegion.PersonId"/> is the index.</summary>
    public ReadOnlySpan<PersonRegion> People => PeopleBuffer.AsSpan(0, PeopleCount);

    /// <summary>Each person's track id (same order as <see cref="People"/>): the same person keeps it from frame to frame.</summary>
    public ReadOnlySpan<int> TrackIds => TrackIdBuffer.AsSpan(0, PeopleCount);

    /// <summary>Whether this frame came with depth: <see cref="People3D"/> and <see cref="Regions3D"/> are filled.</summary>
    public bool Has3D { get; internal set; }

    /// <summary>Each person's place in the optical frame (same order as <see cref="People"/>); empty without depth.</summary>
    public ReadOnlySpan<Position3D> People3D => Has3D ? People3DBuffer.AsSpan(0, PeopleCount) : default;

    /// <summary>Each region's place in the optical frame (same order as <see cref="Regions"/>); empty without depth.</summary>
    public ReadOnlySpan<Position3D> Regions3D => Has3D ? Regions3DBuffer.AsSpan(0, RegionCount) : default;
}

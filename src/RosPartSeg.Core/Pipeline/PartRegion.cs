namespace RosPartSeg.Core.Pipeline;

/// <summary>An axis-aligned box in input pixels; <see cref="X"/>,<see cref="Y"/> inclusive, width and height in pixels.</summary>
public readonly record struct PixelBox(int X, int Y, int Width, int Height);

/// <summary>Pixels <see cref="X0"/> (inclusive) to <see cref="X1"/> (exclusive) of row <see cref="Y"/>, all of one region.</summary>
/// <param name="Region">Index into the result's regions, or -1 for pixels of a region that was dropped.</param>
public readonly record struct PixelRun(int Y, int X0, int X1, int Region);

/// <summary>One connected region of one body part, in input pixel coordinates.</summary>
/// <param name="ClassId">The class (index into the model's class names).</param>
/// <param name="PersonId">The person (index into the result's people) this region belongs to.</param>
/// <param name="Box">Bounding box in input pixels.</param>
/// <param name="PixelCount">Area in input pixels.</param>
/// <param name="CentroidX">Centre of mass, x, in input pixels.</param>
/// <param name="CentroidY">Centre of mass, y, in input pixels.</param>
/// <param name="Score">Mean probability of the class over the region, 0 to 1.</param>
public readonly record struct PartRegion(int ClassId, int PersonId, PixelBox Box, int PixelCount, float CentroidX, float CentroidY, float Score);

/// <summary>One person: the part regions assigned to one individual (see <see cref="PersonGrouping"/>).</summary>
/// <param name="PersonId">Index in the result's people; the regions with this person id are its parts.</param>
/// <param name="Box">Bounding box of all its pixels, in input pixels.</param>
/// <param name="PixelCount">Area of all its parts in input pixels.</param>
/// <param name="CentroidX">Centre of mass, x, in input pixels.</param>
/// <param name="CentroidY">Centre of mass, y, in input pixels.</param>
/// <param name="Score">Mean probability of its pixels' classes, 0 to 1.</param>
/// <param name="PartCount">How many of the result's regions belong to it.</param>
public readonly record struct PersonRegion(int PersonId, PixelBox Box, int PixelCount, float CentroidX, float CentroidY, float Score, int PartCount = 0);

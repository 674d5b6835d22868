namespace RosPartSeg.Core;

/// <summary>
/// The one growth rule of the per-frame buffers that are kept between frames: grown (contents kept) only when a frame
/// needs more than any before, at least doubling, so a warm pipeline allocates nothing.
/// </summary>
internal static class ReusedArrays
{
    public static void Grow<T>(ref T[] array, int needed)
    {
        if (array.Length < needed)
        {
            Array.Resize(ref array, Math.Max(needed, Math.Max(16, 2 * array.Length)));
        }
    }
}

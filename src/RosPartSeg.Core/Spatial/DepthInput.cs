namespace RosPartSeg.Core.Spatial;

/// <summary>A frame's aligned depth image and the colour camera's intrinsics; default: no depth.</summary>
public readonly struct DepthInput
{
    public DepthInput(DepthImage image, CameraIntrinsics intrinsics)
    {
        Image = image;
        Intrinsics = intrinsics;
    }

    public DepthImage Image { get; }

    public CameraIntrinsics Intrinsics { get; }

    public bool IsEmpty => Image.IsEmpty;
}

using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Model;

namespace RosPartSeg.Core.Tests;

/// <summary>Builders of small synthetic frames and models for exact-value tests.</summary>
internal static class TestFrames
{
    /// <summary>Packs RGB triples into the given encoding, with <paramref name="padding"/> extra bytes per row.</summary>
    public static ImageFrame FromRgb(byte[][] rgbPixels, int width, int height, PixelEncoding encoding, int padding = 0)
    {
        int bpp = encoding.BytesPerPixel();
        int step = (width * bpp) + padding;
        var data = new byte[step * height];
        Array.Fill(data, (byte)0xEE); // padding bytes must never be read into the result
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var p = rgbPixels[(y * width) + x];
                int o = (y * step) + (x * bpp);
                switch (encoding)
                {
                    case PixelEncoding.Rgb8: data[o] = p[0]; data[o + 1] = p[1]; data[o + 2] = p[2]; break;
                    case PixelEncoding.Bgr8: data[o] = p[2]; data[o + 1] = p[1]; data[o + 2] = p[0]; break;
                    case PixelEncoding.Rgba8: data[o] = p[0]; data[o + 1] = p[1]; data[o + 2] = p[2]; data[o + 3] = 7; break;
                    case PixelEncoding.Bgra8: data[o] = p[2]; data[o + 1] = p[1]; data[o + 2] = p[0]; data[o + 3] = 7; break;
                    case PixelEncoding.Mono8: data[o] = p[0]; break;
                    default: throw new ArgumentException("use Yuv for 4:2:2 frames");
                }
            }
        }
        return new ImageFrame(width, height, encoding, step, data, new Timestamp(12, 345), "cam");
    }

    public static ModelInfo Model(int classes = 3, int width = 32, int height = 32, ChannelOrder order = ChannelOrder.Rgb, float[]? mean = null, float[]? std = null)
        => new()
        {
            ClassNames = Enumerable.Range(0, classes).Select(i => i == 0 ? "background" : $"part{i}").ToArray(),
            Palette = Enumerable.Range(0, classes).Select(i => new Rgb((byte)(i * 10), (byte)(i * 20), (byte)(i * 30))).ToArray(),
            InputWidth = width,
            InputHeight = height,
            ChannelOrder = order,
            Mean = mean ?? [0f, 0f, 0f],
            Std = std ?? [1f, 1f, 1f],
        };
}

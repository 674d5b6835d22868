using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;

namespace RosPartSeg.Core.Tests;

/// <summary>Pictures, tolerances and checks that the tests of every image codec share.</summary>
internal static class CodecChecks
{
    /// <summary>Largest difference of one channel of one pixel allowed between two JPEG decoders.</summary>
    internal const int JpegMaxAbs = 4;

    /// <summary>Largest mean absolute difference over all channels allowed between two JPEG decoders.</summary>
    internal const double JpegMean = 0.25;

    /// <summary>A photo-like 8-bit picture: smooth gradients, sharp edges and noise, in RGB order.</summary>
    internal static byte[] Picture(int width, int height, int channels, int seed = 7)
    {
        var random = new Random(seed);
        var px = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int v = ((x * (c + 1) * 255) / width + (y * 255 / height)) / 2;
                    if ((x / 16 + y / 16) % 3 == c)
                    {
                        v = 255 - v; // edges
                    }
                    px[(((y * width) + x) * channels) + c] = (byte)Math.Clamp(v + random.Next(-12, 13), 0, 255);
                }
            }
        }
        return px;
    }

    internal static (int MaxAbs, double Mean) Difference(DecodedImage a, DecodedImage b)
    {
        Assert.Equal((a.Width, a.Height, a.Channels), (b.Width, b.Height, b.Channels));
        int max = 0;
        long sum = 0;
        for (int i = 0; i < a.Pixels.Length; i++)
        {
            int d = Math.Abs(a.Pixels[i] - b.Pixels[i]);
            max = Math.Max(max, d);
            sum += d;
        }
        return (max, sum / (double)a.Pixels.Length);
    }

    internal static bool DecodedEquals(DecodedImage a, DecodedImage b)
        => (a.Width, a.Height, a.Channels) == (b.Width, b.Height, b.Channels) && a.Pixels.AsSpan().SequenceEqual(b.Pixels);

    internal static byte[] Bgr(byte[] rgb)
    {
        var bgr = (byte[])rgb.Clone();
        for (int i = 0; i < bgr.Length; i += 3)
        {
            (bgr[i], bgr[i + 2]) = (bgr[i + 2], bgr[i]);
        }
        return bgr;
    }

    /// <summary>
    /// A 64x48 colour JPEG decodes into the decoder's buffer as a one-off decode does, and a smaller grey PNG after it
    /// reuses that buffer rather than growing a new one.
    /// </summary>
    internal static void AssertDecoderReusesItsBuffer(ImageDecoder decoder, byte[] jpeg, byte[] oneOffPixels, byte[] greyPng8x8)
    {
        var first = decoder.Decode(jpeg, new Timestamp(1, 2), "cam");
        Assert.Equal((64, 48, PixelEncoding.Bgr8, "cam"), (first.Width, first.Height, first.Encoding, first.FrameId));
        Assert.Equal(oneOffPixels, first.Data.ToArray());
        int held = decoder.BufferBytes;
        var second = decoder.Decode(greyPng8x8);
        Assert.Equal((8, 8, PixelEncoding.Mono8), (second.Width, second.Height, second.Encoding));
        Assert.Equal(held, decoder.BufferBytes);
    }
}

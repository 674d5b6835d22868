using RosPartSeg.Bags;
using RosPartSeg.Bags.Mcap;
using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Cli.Offline;

/// <summary>
/// Builds the demo bag: frames (a few seconds of a video, or photos), centre-cropped to 4:3 and scaled to 320x240,
/// each as a raw rgb8 Image on <c>/camera/image_raw</c> and as JPEG on its <c>/compressed</c> transport topic,
/// camera QoS, stamped at the source's frame period. Deterministic: the same frames give the same bag.
/// </summary>
public static class SampleBag
{
    public const string RawTopic = "/camera/image_raw";
    public const string CompressedTopic = "/camera/image_raw/compressed";
    public const string FrameId = "camera";
    public const int Width = 320;
    public const int Height = 240;

    /// <summary>First stamp: 2023-11-14T22:13:20Z.</summary>
    public const long StartNanoseconds = 1_700_000_000_000_000_000;

    /// <summary>The period between photos (which have no frame rate of their own): 200 ms.</summary>
    public const long PhotoPeriodNanoseconds = 200_000_000;

    /// <summary>Writes the first <paramref name="seconds"/> of a video at its own frame rate; returns the frame count.</summary>
    public static int FromVideo(string video, string outBag, double seconds, bool overwrite = false)
    {
        using var file = VideoFile.Open(video);
        if (file.FramesPerSecond is not (> 0 and <= 1000))
        {
            throw new InvalidDataException($"'{video}' states no usable frame rate ({file.FramesPerSecond})");
        }
        int count = Math.Max(1, (int)Math.Round(seconds * file.FramesPerSecond));
        long period = (long)Math.Round(1e9 / file.FramesPerSecond);
        return Write(Frames(file, count), outBag, period, overwrite);
    }

    /// <summary>Writes the .jpg/.png files of <paramref name="imagesDir"/> (sorted by name) 200 ms apart; returns the frame count.</summary>
    public static int FromPhotos(string imagesDir, string outBag, bool overwrite = false)
    {
        var photos = Directory.EnumerateFiles(imagesDir)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png")
            .Order(StringComparer.Ordinal).ToList();
        if (photos.Count == 0)
        {
            throw new BagProcessException($"no .jpg or .png photos in '{imagesDir}'");
        }
        return Write(photos.Select(ImageCodec.Read), outBag, PhotoPeriodNanoseconds, overwrite);
    }

    /// <summary>Writes <paramref name="frames"/> (bgr8 or mono8, any size) <paramref name="periodNanoseconds"/> apart; returns the count.</summary>
    public static int Write(IEnumerable<DecodedImage> frames, string outBag, long periodNanoseconds, bool overwrite = false,
        int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var options = BagWriterOptions.Default with
        {
            Overwrite = overwrite,
            Mcap = McapWriterOptions.Default with { Library = "rospartseg sample bag", Compression = McapCompression.Zstd, ZstdLevel = 9 },
        };
        using var writer = BagWriter.Create(outBag, options);
        string qos = QosProfile.FormatList([QosProfile.SensorData]);
        int raw = writer.AddTopic(new BagTopic(RawTopic, BagProcessor.ImageType, "cdr", qos),
            BagProcessor.KnownDefinition(BagProcessor.ImageType));
        int jpeg = writer.AddTopic(new BagTopic(CompressedTopic, BagProcessor.CompressedImageType, "cdr", qos),
            BagProcessor.KnownDefinition(BagProcessor.CompressedImageType));
        var cdr = new CdrWriter(width * height * 3 + 256);
        var rgb = new byte[width * height * 3];
        int i = 0;
        foreach (var frame in frames)
        {
            CropResizeToRgb(frame, rgb, width, height);
            long t = StartNanoseconds + (i * periodNanoseconds);
            var stamp = Timestamp.FromNanoseconds(t);
            ImageMessages.WriteRgb8(cdr, stamp, FrameId, width, height, rgb);
            writer.Write(raw, t, t, cdr.WrittenSpan);
            byte[] encoded = ImageCodec.EncodeJpeg(rgb, width, height, 3, quality: 85);
            cdr.Reset();
            CompressedImage.Write(cdr, stamp, FrameId, "rgb8; jpeg compressed bgr8", encoded);
            writer.Write(jpeg, t, t, cdr.WrittenSpan);
            i++;
        }
        if (i == 0)
        {
            throw new BagProcessException("no frames to write into the sample bag");
        }
        writer.Complete();
        return i;
    }

    private static IEnumerable<DecodedImage> Frames(VideoFile file, int count)
    {
        for (int i = 0; i < count && file.ReadFrame() is { } frame; i++)
        {
            yield return frame;
        }
    }

    /// <summary>Centre-crops a decoded (bgr8 or mono8) photo to the target aspect and scales it bilinearly into packed rgb8.</summary>
    public static void CropResizeToRgb(DecodedImage photo, Span<byte> rgb, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(photo);
        double targetAspect = (double)width / height;
        double cropW = photo.Width, cropH = photo.Height;
        if (cropW / cropH > targetAspect)
        {
            cropW = cropH * targetAspect;
        }
        else
        {
            cropH = cropW / targetAspect;
        }
        double x0 = (photo.Width - cropW) / 2, y0 = (photo.Height - cropH) / 2;
        double sx = cropW / width, sy = cropH / height;
        int channels = photo.Channels;
        var src = photo.Pixels;
        for (int y = 0; y < height; y++)
        {
            double fy = Math.Clamp(y0 + ((y + 0.5) * sy) - 0.5, 0, photo.Height - 1);
            int iy = (int)fy;
            int iy1 = Math.Min(iy + 1, photo.Height - 1);
            double wy = fy - iy;
            for (int x = 0; x < width; x++)
            {
                double fx = Math.Clamp(x0 + ((x + 0.5) * sx) - 0.5, 0, photo.Width - 1);
                int ix = (int)fx;
                int ix1 = Math.Min(ix + 1, photo.Width - 1);
                double wx = fx - ix;
                for (int c = 0; c < 3; c++)
                {
                    // bgr8 source to rgb8 target; mono8 repeats its one channel.
                    int sc = channels == 1 ? 0 : 2 - c;
                    double top = (src[((iy * photo.Width) + ix) * channels + sc] * (1 - wx)) + (src[((iy * photo.Width) + ix1) * channels + sc] * wx);
                    double bottom = (src[((iy1 * photo.Width) + ix) * channels + sc] * (1 - wx)) + (src[((iy1 * photo.Width) + ix1) * channels + sc] * wx);
                    rgb[((y * width) + x) * 3 + c] = (byte)Math.Round((top * (1 - wy)) + (bottom * wy));
                }
            }
        }
    }
}

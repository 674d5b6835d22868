using RosPartSeg.Bags;
using RosPartSeg.Bags.Mcap;
using RosPartSeg.Core.Frames;
using RosPartSeg.Imaging;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Cli.Offline;

/// <summary>
/// Builds the small sample bag shipped in <c>samples/sample_bag</c>: each bundled photo, centre-cropped to 4:3 and
/// scaled to 320x240, as one frame on a raw rgb8 topic and the same frame as JPEG on its <c>/compressed</c>
/// transport topic, 5 frames per second, camera QoS. Deterministic: the same photos give the same bag.
/// </summary>
public static class SampleBag
{
    public const string RawTopic = "/camera/image_raw";
    public const string CompressedTopic = "/camera/image_raw/compressed";
    public const string FrameId = "camera";
    public const int Width = 320;
    public const int Height = 240;

    /// <summary>First stamp: 2023-11-14T22:13:20Z, then 200 ms apart.</summary>
    public const long StartNanoseconds = 1_700_000_000_000_000_000;
    public const long PeriodNanoseconds = 200_000_000;

    /// <summary>Writes the bag from the .jpg/.png files of <paramref name="imagesDir"/> (sorted by name); returns the frame count.</summary>
    public static int Generate(string imagesDir, string outBag, bool overwrite = false, int width = Width, int height = Height)
    {
        var photos = Directory.EnumerateFiles(imagesDir)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png")
            .Order(StringComparer.Ordinal).ToList();
        if (photos.Count == 0)
        {
            throw new BagProcessException($"no .jpg or .png photos in '{imagesDir}'");
        }
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
        for (int i = 0; i < photos.Count; i++)
        {
            var photo = ImageCodec.Read(photos[i]);
            CropResizeToRgb(photo, rgb, width, height);
            long t = StartNanoseconds + (i * PeriodNanoseconds);
            var stamp = Timestamp.FromNanoseconds(t);
            ImageMessages.WriteRgb8(cdr, stamp, FrameId, width, height, rgb);
            writer.Write(raw, t, t, cdr.WrittenSpan);
            byte[] encoded = ImageCodec.EncodeJpeg(rgb, width, height, 3, quality: 85);
            cdr.Reset();
            CompressedImage.Write(cdr, stamp, FrameId, "rgb8; jpeg compressed bgr8", encoded);
            writer.Write(jpeg, t, t, cdr.WrittenSpan);
        }
        writer.Complete();
        return photos.Count;
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

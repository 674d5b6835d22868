using RosPartSeg.Imaging;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.Cli;

/// <summary>
/// <c>rospartseg run</c> in its own process, once per codec (ROSPARTSEG_IMAGE_CODEC): the chooser names its pick
/// in one log line, and the label PNGs the three write for the same photo are the same bytes once decoded.
/// </summary>
public sealed class ImageCodecChoiceTests : IDisposable
{
    private readonly DirectoryInfo _tmp = Directory.CreateTempSubdirectory("rps-codec-");

    public void Dispose() => _tmp.Delete(true);

    private (int Code, string Log) Run(string codec, string photo) =>
        CliRun.Run(photo, Path.Combine(_tmp.FullName, codec), new Dictionary<string, string?> { [ImageCodec.EnvironmentVariable] = codec });

    [Fact]
    public void Run_names_the_codec_and_every_codec_writes_the_same_labels_for_a_png()
    {
        var photo = Path.Combine(_tmp.FullName, "frame.png");
        File.WriteAllBytes(photo, ImageCodec.OpenCv.EncodePng(OutputsCheck.Pattern(160, 120).Pixels, 160, 120, 3));

        var (code, log) = Run("managed", photo);
        Assert.True(code == 0, log);
        Assert.Contains("image codec: StbImageSharp 2.30", log, StringComparison.Ordinal);
        Assert.Contains("; ROSPARTSEG_IMAGE_CODEC=managed", log, StringComparison.Ordinal);
        (code, log) = Run("opencv", photo);
        Assert.True(code == 0, log);
        Assert.Contains("image codec: OpenCV 4.", log, StringComparison.Ordinal);
        (code, log) = Run("system", photo);
        Assert.True(code == 0, log);
        Assert.Contains("image codec: libjpeg-turbo (libturbojpeg.so.0) and libpng 1.6.", log, StringComparison.Ordinal);
        Assert.Contains("; ROSPARTSEG_IMAGE_CODEC=system", log, StringComparison.Ordinal);

        var managed = ImageCodec.OpenCv.Decode(File.ReadAllBytes(Path.Combine(_tmp.FullName, "managed", "frame.labels.png")));
        var openCv = ImageCodec.OpenCv.Decode(File.ReadAllBytes(Path.Combine(_tmp.FullName, "opencv", "frame.labels.png")));
        Assert.Equal((160, 120, 1), (managed.Width, managed.Height, managed.Channels));
        Assert.Equal(openCv.Pixels, managed.Pixels);
        Assert.Equal(openCv.Pixels, ImageCodec.OpenCv.Decode(File.ReadAllBytes(Path.Combine(_tmp.FullName, "system", "frame.labels.png"))).Pixels);
    }
}

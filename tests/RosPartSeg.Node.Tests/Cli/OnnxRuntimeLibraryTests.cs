using RosPartSeg.Imaging;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.Cli;

/// <summary>
/// <c>inference.onnxruntime_library</c> (the path a Jetson uses for JetPack's ONNX Runtime), through the built CLI in
/// its own process: the resolver must be in place before ONNX Runtime's first call, which a test host cannot promise.
/// </summary>
public sealed class OnnxRuntimeLibraryTests : IDisposable
{
    private readonly DirectoryInfo _tmp = Directory.CreateTempSubdirectory("rps-ortlib-");

    public void Dispose() => _tmp.Delete(true);

    private static string PackageLibrary =>
        Path.Combine(Path.GetDirectoryName(NodeProcess.CliPath)!, "runtimes", "linux-x64", "native", "libonnxruntime.so");

    private string WritePhoto()
    {
        var pixels = new byte[64 * 48 * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i * 7 % 251);
        }
        var path = Path.Combine(_tmp.FullName, "frame.png");
        File.WriteAllBytes(path, ImageCodec.EncodePng(pixels, 64, 48, 3));
        return path;
    }

    private (int Code, string Log) Run(string library, params string[] extra)
    {
        var config = Path.Combine(_tmp.FullName, "config.yaml");
        File.WriteAllText(config, $"inference:\n  providers: [cuda, cpu]\n  onnxruntime_library: {library}\n");
        return CliRun.Run(WritePhoto(), Path.Combine(_tmp.FullName, "out"),
            new Dictionary<string, string?> { ["ROSPARTSEG_ONNXRUNTIME_LIBRARY"] = null }, ["--config", config, .. extra]);
    }

    [Fact]
    public void AConfiguredLibraryIsTheOneLoadedAndTheOutputsAreWritten()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(PackageLibrary))
        {
            Assert.Fail("the CLI's build has no runtimes/linux-x64/native/libonnxruntime.so at " + PackageLibrary);
        }
        // A copy under another name stands in for JetPack's library: only the resolver can make ONNX Runtime find it.
        var copy = Path.Combine(_tmp.FullName, "libonnxruntime-jetpack.so");
        File.Copy(PackageLibrary, copy);

        var (code, log) = Run(copy);

        Assert.True(code == 0, log);
        Assert.Contains($"ONNX Runtime native library: {copy} (from onnxruntime_library)", log, StringComparison.Ordinal);
        Assert.Contains("execution provider 'cpu' in use", log, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_tmp.FullName, "out", "frame.labels.png")), log);
        // The copy is reachable only through the resolver, so a run that wrote its outputs loaded it.
        Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingLibraryIsAClearErrorNamingThePath()
    {
        var missing = Path.Combine(_tmp.FullName, "nowhere", "libonnxruntime.so");

        var (code, log) = Run(missing);

        Assert.NotEqual(0, code);
        Assert.Contains($"onnxruntime_library names '{missing}', which does not exist", log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void AFileThatIsNotALibraryIsRefusedClearly()
    {
        var bogus = Path.Combine(_tmp.FullName, "libonnxruntime.so");
        File.WriteAllText(bogus, "not an ELF file");

        var (code, log) = Run(bogus);

        Assert.NotEqual(0, code);
        Assert.Contains("could not be loaded as a shared library", log, StringComparison.Ordinal);
    }
}

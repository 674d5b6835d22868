using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using RosPartSeg.Core.Model;

namespace RosPartSeg.Inference;

/// <summary>
/// Which native ONNX Runtime library the process uses, and plain words for a GPU provider that fails to load.
/// By default the library comes with the NuGet package this build carries (see <see cref="BuildFlavour"/>). A
/// configured path (<c>inference.onnxruntime_library</c>, or <c>ROSPARTSEG_ONNXRUNTIME_LIBRARY</c>) replaces it: on a
/// Jetson that is JetPack's <c>libonnxruntime.so</c>, the only build there with the CUDA and TensorRT providers.
/// </summary>
public static partial class OnnxRuntimeNative
{
    /// <summary>Environment variable that names the native library; it wins over the configuration.</summary>
    public const string LibraryVariable = "ROSPARTSEG_ONNXRUNTIME_LIBRARY";

    private static readonly object Gate = new();
    private static string? _chosen;   // the path the resolver loads; null: the package's own library
    private static bool _installed;

    /// <summary><c>cpu</c> (Microsoft.ML.OnnxRuntime) or <c>gpu</c> (Microsoft.ML.OnnxRuntime.Gpu.Linux): the package built in.</summary>
    public static string BuildFlavour { get; } =
        typeof(OnnxRuntimeNative).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OnnxRuntimeFlavour")?.Value ?? "cpu";

    /// <summary>The NuGet package that carries the natives of this build.</summary>
    public static string BuildPackage => BuildFlavour == "gpu" ? "Microsoft.ML.OnnxRuntime.Gpu.Linux" : "Microsoft.ML.OnnxRuntime";

    /// <summary>
    /// Points ONNX Runtime's P/Invokes at <paramref name="configuredPath"/> (or the environment variable's path), once
    /// per process and before the first ONNX Runtime call. Returns a line for the log saying which library is used.
    /// </summary>
    public static string Select(string? configuredPath)
    {
        string? env = Environment.GetEnvironmentVariable(LibraryVariable);
        string? wanted = !string.IsNullOrWhiteSpace(env) ? env : string.IsNullOrWhiteSpace(configuredPath) ? null : configuredPath;
        string source = !string.IsNullOrWhiteSpace(env) ? LibraryVariable : "onnxruntime_library";
        lock (Gate)
        {
            if (wanted is null)
            {
                return _chosen is null
                    ? $"ONNX Runtime native library: the one in {BuildPackage} (built in)"
                    : $"ONNX Runtime native library: {_chosen} (chosen earlier in this process)";
            }
            string full = Path.GetFullPath(wanted);
            if (_installed)
            {
                if (_chosen != full)
                {
                    throw new ModelException($"the ONNX Runtime native library is already loaded from {_chosen ?? BuildPackage}; {source} '{full}' can only be chosen before the first model opens (restart the process)");
                }
                return $"ONNX Runtime native library: {full} (from {source})";
            }
            if (!File.Exists(full))
            {
                throw new ModelException($"{source} names '{full}', which does not exist (on a Jetson: JetPack's libonnxruntime.so, e.g. under /usr/lib/aarch64-linux-gnu or the onnxruntime wheel's capi folder)");
            }
            if (!NativeLibrary.TryLoad(full, out _))
            {
                throw new ModelException($"{source} '{full}' could not be loaded as a shared library (wrong architecture, or a library it needs is missing: check with ldd)");
            }
            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly, Resolve);
            _chosen = full;
            _installed = true;
            return $"ONNX Runtime native library: {full} (from {source})";
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        // The managed package imports "onnxruntime" (and nothing else that matters here).
        return name.Contains("onnxruntime", StringComparison.Ordinal) && _chosen is not null
            ? NativeLibrary.Load(_chosen)
            : IntPtr.Zero;
    }

    /// <summary>
    /// Turns ONNX Runtime's message for a provider that failed to load into what a user needs: the missing shared
    /// library and what installs it. Null where the message names no missing library.
    /// </summary>
    public static string? ExplainMissingLibrary(string message)
    {
        var m = MissingLibrary().Match(message);
        if (!m.Success)
        {
            return null;
        }
        string lib = m.Groups["lib"].Value;
        return $"{lib} is missing: {PackageFor(lib)}";
    }

    /// <summary>
    /// Why a provider's shared library (<c>libonnxruntime_providers_cuda.so</c>, <c>..._tensorrt.so</c>) cannot load:
    /// ONNX Runtime's exception says only "Failed to load shared library", so this loads it the same way and reads the
    /// loader's reason. Null where it loads or is not found beside the ONNX Runtime library.
    /// </summary>
    public static string? ProbeProvider(string provider)
    {
        string file = $"libonnxruntime_providers_{provider}.so";
        string? path = ProviderSearchFolders().Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);
        if (path is null)
        {
            return $"{file} is missing: {PackageFor(file)}";
        }
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException e)
        {
            return ExplainMissingLibrary(e.Message);
        }
    }

    private static IEnumerable<string> ProviderSearchFolders()
    {
        if (_chosen is not null)
        {
            yield return Path.GetDirectoryName(_chosen)!;
        }
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
        yield return AppContext.BaseDirectory;
    }

    /// <summary>What brings a library that a CUDA or TensorRT provider of ONNX Runtime loads.</summary>
    public static string PackageFor(string library)
    {
        // The soname's major version: CUDA's for the libcu* toolkit libraries, cuDNN's or TensorRT's for theirs.
        string major = VersionSuffix().Match(library) is { Success: true } v ? v.Groups[1].Value : "";
        string cuda = major.Length > 0 ? major : "13";
        return library switch
        {
            _ when library.StartsWith("libcublas", StringComparison.Ordinal) => $"install cuBLAS for CUDA {cuda} (NVIDIA's libcublas-{cuda}-x package or the CUDA {cuda} toolkit)",
            _ when library.StartsWith("libcudart", StringComparison.Ordinal) => $"install the CUDA {cuda} runtime (NVIDIA's cuda-cudart-{cuda}-x package or the CUDA {cuda} toolkit)",
            _ when library.StartsWith("libcufft", StringComparison.Ordinal) => $"install cuFFT for CUDA {cuda} (NVIDIA's libcufft-{cuda}-x package or the CUDA {cuda} toolkit)",
            _ when library.StartsWith("libcurand", StringComparison.Ordinal) => $"install cuRAND for CUDA {cuda} (NVIDIA's libcurand-{cuda}-x package or the CUDA {cuda} toolkit)",
            _ when library.StartsWith("libcudnn", StringComparison.Ordinal) => $"install cuDNN {major} for CUDA 13 (NVIDIA's libcudnn{major}-cuda-13 package)",
            _ when library.StartsWith("libnvinfer", StringComparison.Ordinal) || library.StartsWith("libnvonnxparser", StringComparison.Ordinal)
                => $"install TensorRT {major} (NVIDIA's libnvinfer{major} and libnvonnxparsers{major} packages; on a Jetson it comes with JetPack)",
            _ when library.StartsWith("libcuda.so", StringComparison.Ordinal) => "install the NVIDIA driver (libcuda comes with it); no NVIDIA GPU driver is loaded on this machine",
            _ when library.StartsWith("libonnxruntime_providers", StringComparison.Ordinal)
                => BuildFlavour == "gpu"
                    ? "the provider library is missing from this build's folder (republish it with -p:OnnxRuntimeFlavour=gpu)"
                    : "this build carries the CPU package Microsoft.ML.OnnxRuntime, which has no GPU providers: build with -p:OnnxRuntimeFlavour=gpu (Microsoft.ML.OnnxRuntime.Gpu.Linux) or set onnxruntime_library to a GPU build such as JetPack's",
            _ => "a library the GPU provider needs (check the provider library with ldd)",
        };
    }

    [GeneratedRegex(@"(?<lib>lib[A-Za-z0-9_+\-]+\.so(?:\.[0-9]+)*)\s*:\s*cannot open shared object file")]
    private static partial Regex MissingLibrary();

    [GeneratedRegex(@"\.so\.([0-9]+)")]
    private static partial Regex VersionSuffix();
}

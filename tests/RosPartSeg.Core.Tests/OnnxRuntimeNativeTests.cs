using RosPartSeg.Inference;

namespace RosPartSeg.Core.Tests;

/// <summary>The words a user gets when a GPU provider of ONNX Runtime fails to load.</summary>
public sealed class OnnxRuntimeNativeTests
{
    [Fact]
    public void ACudaProviderMessageNamesTheMissingLibraryAndWhatInstallsIt()
    {
        // The shape of ONNX Runtime's message when libonnxruntime_providers_cuda.so cannot resolve its dependencies.
        const string message = "[ErrorCode:RuntimeException] /onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1862 "
            + "onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library "
            + "libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory";

        var explained = OnnxRuntimeNative.ExplainMissingLibrary(message);

        Assert.Equal("libcublasLt.so.13 is missing: install cuBLAS for CUDA 13 (NVIDIA's libcublas-13-x package or the CUDA 13 toolkit)", explained);
    }

    [Theory]
    [InlineData("libcudart.so.13", "CUDA 13 runtime")]
    [InlineData("libcudnn.so.9", "cuDNN 9")]
    [InlineData("libnvinfer.so.10", "TensorRT 10")]
    [InlineData("libcuda.so.1", "NVIDIA driver")]
    [InlineData("libcufft.so.12", "cuFFT for CUDA 12")]
    public void EachKnownLibraryNamesItsPackage(string library, string expected)
    {
        Assert.Contains(expected, OnnxRuntimeNative.PackageFor(library), StringComparison.Ordinal);
    }

    [Fact]
    public void AProviderLibraryMissingFromACpuBuildSaysHowToBuildForTheGpu()
    {
        var words = OnnxRuntimeNative.PackageFor("libonnxruntime_providers_cuda.so");

        Assert.Contains(OnnxRuntimeNative.BuildFlavour == "gpu" ? "republish" : "-p:OnnxRuntimeFlavour=gpu", words, StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageWithoutAMissingLibraryIsLeftAlone()
    {
        Assert.Null(OnnxRuntimeNative.ExplainMissingLibrary("CUDA failure 100: no CUDA-capable device is detected"));
    }

    [Fact]
    public void ThePlainBuildCarriesTheCpuPackage()
    {
        // The test projects build with the default flavour; the GPU package is built and run by tools/gpu_package_check.sh.
        Assert.Equal("cpu", OnnxRuntimeNative.BuildFlavour);
        Assert.Equal("Microsoft.ML.OnnxRuntime", OnnxRuntimeNative.BuildPackage);
    }
}

using RosPartSeg.Core.Model;
using RosPartSeg.Inference;

namespace RosPartSeg.Core.Tests;

/// <summary>Which sibling model file a precision setting opens, and the shipped int8 model through ONNX Runtime.</summary>
public sealed class ModelPrecisionTests : IDisposable
{
    private readonly DirectoryInfo _tmp = Directory.CreateTempSubdirectory("rps-precision-");

    public void Dispose() => _tmp.Delete(true);

    private string Touch(string name)
    {
        var path = Path.Combine(_tmp.FullName, name);
        File.WriteAllBytes(path, []);
        return path;
    }

    [Fact]
    public void NullPrecisionOpensExactlyTheConfiguredFile()
    {
        var fp32 = Touch("m.onnx");
        Touch("m.int8.onnx");
        Assert.Equal(fp32, ModelPrecision.FileFor(fp32, null, "cpu"));
        var int8 = Path.Combine(_tmp.FullName, "m.int8.onnx");
        Assert.Equal(int8, ModelPrecision.FileFor(int8, null, "cuda"));
    }

    [Fact]
    public void AutoPrefersInt8OnCpuAndFp16OnGpusWhereTheyExist()
    {
        var fp32 = Touch("m.onnx");
        Assert.Equal(fp32, ModelPrecision.FileFor(fp32, "auto", "cpu"));
        var int8 = Touch("m.int8.onnx");
        Assert.Equal(int8, ModelPrecision.FileFor(fp32, "auto", "cpu"));
        Assert.Equal(fp32, ModelPrecision.FileFor(fp32, "auto", "tensorrt"));
        var fp16 = Touch("m.fp16.onnx");
        Assert.Equal(fp16, ModelPrecision.FileFor(fp32, "auto", "cuda"));
        Assert.Equal(fp16, ModelPrecision.FileFor(fp16, "auto", "cpu")); // a sibling named on purpose stays
    }

    [Fact]
    public void ExplicitPrecisionPicksTheSiblingOrSaysWhichFileIsMissing()
    {
        var fp32 = Touch("m.onnx");
        var int8 = Touch("m.int8.onnx");
        Assert.Equal(int8, ModelPrecision.FileFor(fp32, "int8", "cpu"));
        Assert.Equal(fp32, ModelPrecision.FileFor(int8, "fp32", "cpu"));
        var e = Assert.Throws<ModelException>(() => ModelPrecision.FileFor(fp32, "fp16", "cpu"));
        Assert.Contains("m.fp16.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("--fp16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigRefusesAnUnknownPrecision()
    {
        var e = Assert.Throws<ConfigException>(() => SegmenterConfig.Parse("inference:\n  precision: int4\n", "t.yaml"));
        Assert.Contains("auto, fp32, int8 or fp16", e.Message, StringComparison.Ordinal);
        Assert.Equal("int8", SegmenterConfig.Parse("inference:\n  precision: int8\n").Inference.Precision);
        Assert.Equal("auto", SegmenterConfig.Parse("inference:\n  device_id: 0\n").Inference.Precision);
        Assert.Equal("auto", SegmenterConfig.Default.Inference.Precision);
    }

    private static Core.Frames.ImageFrame Scene(int w, int h)
    {
        var data = new byte[w * h * 3];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((i * 37) ^ (i >> 7));
        }
        return Core.Frames.ImageFrame.Packed(w, h, Core.Frames.PixelEncoding.Rgb8, data);
    }

    [Fact]
    public void ShippedInt8ModelRunsAndAgreesWithFp32()
    {
        var fp32 = OnnxFile.BundledModel();
        Assert.True(File.Exists(ModelPrecision.FileFor(fp32, "int8", "cpu")), "models/fchardnet70_parts.int8.onnx is shipped");
        Core.Pipeline.SegmentationPipeline Open(string? precision) => SegmenterFactory.Create(new SegmenterConfig
        {
            ModelPath = fp32,
            ModelOverrides = new ModelDescription { InputWidth = 128, InputHeight = 96 },
            Inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1, Precision = precision },
        });
        using var a = Open(null);
        using var b = Open("int8");
        var frame = Scene(160, 120);
        var la = a.Process(frame).Labels.ToArray();
        var lb = b.Process(frame).Labels.ToArray();
        Assert.Equal(la.Length, lb.Length);
        double agree = la.Zip(lb).Count(p => p.First == p.Second) / (double)la.Length;
        Assert.True(agree > 0.9, $"int8 labels agree with fp32 on {agree:P1} of pixels");
    }
    [Fact]
    public void DefaultPrecisionRunsTheShippedInt8FileOnTheCpuAndSaysSo()
    {
        var fp32 = OnnxFile.BundledModel();
        var lines = new List<string>();
        using var pipeline = SegmenterFactory.Create(new SegmenterConfig
        {
            ModelPath = fp32,
            ModelOverrides = new ModelDescription { InputWidth = 128, InputHeight = 96 },
            Inference = new InferenceOptions { Providers = ["cpu"], IntraOpThreads = 1 },
        }, lines.Add);
        string int8 = ModelPrecision.FileFor(fp32, "int8", "cpu");
        Assert.Contains(lines, l => l.StartsWith("model ", StringComparison.Ordinal) && l.Contains($" from {int8}:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("precision 'auto' on 'cpu': running fchardnet70_parts.int8.onnx instead of fchardnet70_parts.onnx", StringComparison.Ordinal));
    }
}

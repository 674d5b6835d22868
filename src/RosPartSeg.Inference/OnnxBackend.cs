using Microsoft.ML.OnnxRuntime;
using RosPartSeg.Core;
using RosPartSeg.Core.Model;
using RosPartSeg.Core.Pipeline;

namespace RosPartSeg.Inference;

/// <summary>
/// Runs an ONNX segmentation model with ONNX Runtime. The input and output tensors wrap arrays allocated once and
/// bound to the session (IO binding), so a run copies nothing on the managed side and allocates nothing.
/// </summary>
public sealed class OnnxBackend : IInferenceBackend
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _binding;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;

    private OnnxBackend(InferenceSession session, string provider, string modelPath, int width, int height)
    {
        _session = session;
        Provider = provider;
        ModelPath = modelPath;
        InputWidth = width;
        InputHeight = height;
        var inputName = CheckInput(session, width, height);
        var outputName = CheckOutput(session);
        _input = new float[3 * width * height];
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, 3, height, width]);

        // The output size depends on the network (stride); learn it from one run on zeros.
        using (var first = session.Run(_runOptions, [inputName], [_inputValue], [outputName]))
        {
            var shape = first[0].GetTensorTypeAndShape().Shape;
            if (shape.Length != 4 || shape[0] != 1)
            {
                throw new ModelException($"model output '{outputName}' has shape [{string.Join(", ", shape)}]; [1, classes, height, width] is needed");
            }
            OutputClasses = checked((int)shape[1]);
            OutputHeight = checked((int)shape[2]);
            OutputWidth = checked((int)shape[3]);
        }
        _output = new float[OutputClasses * OutputHeight * OutputWidth];
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, [1, OutputClasses, OutputHeight, OutputWidth]);
        _binding = session.CreateIoBinding();
        _binding.BindInput(inputName, _inputValue);
        _binding.BindOutput(outputName, _outputValue);
    }

    public string Provider { get; }

    /// <summary>The file the session runs (with <c>precision: auto</c> it depends on the provider).</summary>
    public string ModelPath { get; }

    public int InputWidth { get; }

    public int InputHeight { get; }

    public Span<float> Input => _input;

    public int OutputClasses { get; }

    public int OutputHeight { get; }

    public int OutputWidth { get; }

    public ReadOnlySpan<float> Output => _output;

    /// <summary>Custom metadata (metadata_props) of the loaded model.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.ModelMetadata.CustomMetadataMap;

    /// <summary>
    /// Opens a model, trying the configured execution providers in order. <paramref name="log"/> hears which
    /// provider is used and why others were skipped.
    /// </summary>
    public static OnnxBackend Open(string modelPath, int inputWidth, int inputHeight, InferenceOptions options, Action<string>? log = null)
        => Open(modelPath, _ => (inputWidth, inputHeight), options, log);

    /// <summary>
    /// Opens a model whose input size is decided from its own metadata: <paramref name="inputSize"/> sees the
    /// metadata_props of the session as soon as it is open, so the file is loaded once.
    /// </summary>
    public static OnnxBackend Open(string modelPath, Func<IReadOnlyDictionary<string, string>, (int Width, int Height)> inputSize,
        InferenceOptions options, Action<string>? log = null)
        => Open(_ => modelPath, (_, metadata) => inputSize(metadata), options, log);

    /// <summary>
    /// As above, with the model file chosen per execution provider (<paramref name="modelPathFor"/>: provider -> file),
    /// so that one configuration runs an int8 file on the CPU and an fp16 file on a GPU.
    /// </summary>
    public static OnnxBackend Open(Func<string, string> modelPathFor,
        Func<string, IReadOnlyDictionary<string, string>, (int Width, int Height)> inputSize, InferenceOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(modelPathFor);
        ArgumentNullException.ThrowIfNull(inputSize);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string[] available;
        string library = OnnxRuntimeNative.Select(options.OnnxRuntimeLibrary);
        try
        {
            available = OrtEnv.Instance().GetAvailableProviders();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new ModelException("the ONNX Runtime native library (libonnxruntime.so) could not be loaded: " + e.Message, e);
        }
        log?.Invoke($"{library}; providers in it: {string.Join(", ", available)}");

        foreach (var provider in options.Providers)
        {
            var sessionOptions = CreateSessionOptions(options);
            try
            {
                string? skip = AppendQuietly(sessionOptions, provider, options, available, log);
                if (skip is not null)
                {
                    log?.Invoke($"execution provider '{provider}' skipped: {skip}");
                    sessionOptions.Dispose();
                    continue;
                }
                string modelPath = modelPathFor(provider);
                if (!File.Exists(modelPath))
                {
                    throw new ModelException($"model file '{modelPath}' does not exist");
                }
                var session = OpenSession(modelPath, sessionOptions);
                try
                {
                    var (inputWidth, inputHeight) = inputSize(modelPath, session.ModelMetadata.CustomMetadataMap);
                    var backend = new OnnxBackend(session, provider, modelPath, inputWidth, inputHeight);
                    log?.Invoke($"execution provider '{provider}' in use (tried in order: {string.Join(", ", options.Providers)})");
                    return backend;
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            }
            // Only ONNX Runtime's own failures mean "try the next provider"; a model or metadata problem is final.
            catch (Exception e) when (provider != "cpu" && (e is OnnxRuntimeException || e.InnerException is OnnxRuntimeException))
            {
                string? missing = OnnxRuntimeNative.ExplainMissingLibrary(e.ToString()) ?? OnnxRuntimeNative.ProbeProvider(provider);
                log?.Invoke(missing is null
                    ? $"execution provider '{provider}' skipped: it failed to start ({ErrorText.FirstLine(e.Message)})"
                    : $"execution provider '{provider}' skipped: it failed to load, {missing}");
            }
            finally
            {
                sessionOptions.Dispose();
            }
        }
        throw new ModelException($"none of the execution providers [{string.Join(", ", options.Providers)}] could run the model; add 'cpu' to the list as a fallback");
    }

    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private static SessionOptions CreateSessionOptions(InferenceOptions options)
    {
        var so = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            ExecutionMode = options.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = options.GraphOptimization switch
            {
                "disable" => GraphOptimizationLevel.ORT_DISABLE_ALL,
                "basic" => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                "extended" => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
        };
        // Untrained or badly scaled weights can produce denormal floats, which slow x86 and ARM CPUs many times over.
        so.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
        string spin = options.ThreadSpinning ? "1" : "0";
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", spin);
        so.AddSessionConfigEntry("session.inter_op.allow_spinning", spin);
        return so;
    }

    // A GPU provider whose libraries cannot load makes ONNX Runtime print its own error (in colour) while it is
    // appended, before it throws; the node logs the same in its own format, so ONNX Runtime's log is held back then.
    private static string? AppendQuietly(SessionOptions so, string provider, InferenceOptions options, string[] available, Action<string>? log)
    {
        if (provider == "cpu")
        {
            return AppendProvider(so, provider, options, available, log);
        }
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            return AppendProvider(so, provider, options, available, log);
        }
        finally
        {
            env.EnvLogLevel = level;
        }
    }

    // Returns why the provider cannot be used, or null once it is appended.
    private static string? AppendProvider(SessionOptions so, string provider, InferenceOptions options, string[] available, Action<string>? log)
    {
        int deviceId = options.DeviceId;
        switch (provider)
        {
            case "cpu":
                return null;
            case "cuda":
                if (!available.Contains("CUDAExecutionProvider"))
                {
                    return $"this ONNX Runtime build has no CUDA provider ({NoGpuProviders})";
                }
                so.AppendExecutionProvider_CUDA(deviceId);
                return null;
            case "tensorrt":
                if (!available.Contains("TensorrtExecutionProvider"))
                {
                    return $"this ONNX Runtime build has no TensorRT provider ({NoGpuProviders})";
                }
                AppendTensorrt(so, options, log);
                return null;
            default:
                return "unknown provider";
        }
    }

    private static string NoGpuProviders => OnnxRuntimeNative.BuildFlavour == "gpu"
        ? "the configured onnxruntime_library is a CPU-only build"
        : "this build carries the CPU package Microsoft.ML.OnnxRuntime: on an x64 PC with CUDA 13 build with -p:OnnxRuntimeFlavour=gpu; on a Jetson set onnxruntime_library to JetPack's libonnxruntime.so";

    private static void AppendTensorrt(SessionOptions so, InferenceOptions options, Action<string>? log)
    {
        using var trt = new OrtTensorRTProviderOptions();
        var settings = new Dictionary<string, string>
        {
            ["device_id"] = options.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = options.TensorrtFp16 ? "1" : "0",
            ["trt_max_workspace_size"] = ((long)options.TensorrtWorkspaceMb << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (options.TensorrtEngineCache.Length > 0)
        {
            Directory.CreateDirectory(options.TensorrtEngineCache);
            settings["trt_engine_cache_enable"] = "1";
            settings["trt_engine_cache_path"] = options.TensorrtEngineCache;
            bool cached = Directory.EnumerateFiles(options.TensorrtEngineCache, "*.engine").Any();
            log?.Invoke(cached
                ? $"TensorRT: using the engines cached in {options.TensorrtEngineCache}"
                : $"TensorRT: no cached engine in {options.TensorrtEngineCache}; this first start builds one (minutes on a Jetson)");
        }
        else
        {
            log?.Invoke("TensorRT: the engine is built at every start (set tensorrt_engine_cache to keep it)");
        }
        trt.UpdateOptions(settings);
        so.AppendExecutionProvider_Tensorrt(trt);
    }

    private static InferenceSession OpenSession(string path, SessionOptions so)
    {
        try
        {
            return new InferenceSession(path, so);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelException($"'{path}' is not a loadable ONNX model: {ErrorText.FirstLine(e.Message)}", e);
        }
    }

    private static string CheckInput(InferenceSession session, int width, int height)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new ModelException($"the model has {session.InputMetadata.Count} inputs; one image input [N, 3, H, W] is needed");
        }
        var (name, meta) = session.InputMetadata.First();
        var dims = meta.Dimensions;
        if (meta.ElementType != typeof(float) || dims.Length != 4 || (dims[1] != 3 && dims[1] != -1))
        {
            throw new ModelException($"model input '{name}' is {meta.ElementType.Name}[{string.Join(", ", dims)}]; float32 [N, 3, H, W] is needed");
        }
        if ((dims[2] > 0 && dims[2] != height) || (dims[3] > 0 && dims[3] != width))
        {
            throw new ModelException($"model input '{name}' is fixed at {dims[3]}x{dims[2]} but {width}x{height} is configured; set input_width/input_height to match or export the model with dynamic sizes");
        }
        return name;
    }

    private static string CheckOutput(InferenceSession session)
    {
        if (session.OutputMetadata.Count < 1)
        {
            throw new ModelException("the model has no outputs");
        }
        var (name, meta) = session.OutputMetadata.First();
        if (meta.ElementType != typeof(float) || meta.Dimensions.Length != 4)
        {
            throw new ModelException($"model output '{name}' is {meta.ElementType.Name}[{string.Join(", ", meta.Dimensions)}]; float32 class scores [N, C, H, W] are needed");
        }
        return name;
    }
}

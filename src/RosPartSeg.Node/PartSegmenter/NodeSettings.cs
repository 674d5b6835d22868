using RosPartSeg.Core.Pipeline;
using RosPartSeg.Inference;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// The part segmenter's parameters (declared with description and range) and its resolved identity, topics and
/// QoS. Built once at start from the ROS arguments; an invalid value is a <see cref="ParameterException"/>.
/// </summary>
public sealed class NodeSettings
{
    public const string DefaultNodeName = "part_segmenter";

    private NodeSettings(RosArguments args, NodeParameters p, string name, string ns)
    {
        Arguments = args;
        Parameters = p;
        NodeName = name;
        Namespace = ns;
        FullyQualifiedName = ns == "/" ? "/" + name : ns + "/" + name;
        Compressed = p.GetString("input_transport") == "compressed";
        InputTopic = Resolve(Compressed ? "image/compressed" : "image");
        LabelsTopic = Resolve("~/labels");
        ColorMaskTopic = Resolve("~/color_mask");
        OverlayTopic = Resolve("~/overlay");
        DetectionsTopic = Resolve("~/detections");
        PartsTopic = Resolve("~/parts");
        LabelInfoTopic = Resolve("~/label_info");
        DiagnosticsTopic = Resolve("/diagnostics");
        InputQos = new RosQos(Reliability(p.GetString("input_reliability")), (int)p.GetInteger("input_depth"));
        OutputQos = new RosQos(Reliability(p.GetString("output_reliability")), (int)p.GetInteger("output_depth"));
        LabelInfoQos = new RosQos(RosReliability.Reliable, 1, RosDurability.TransientLocal);
        DiagnosticsQos = RosQos.Default;
        DiagnosticsPeriod = TimeSpan.FromSeconds(p.GetDouble("diagnostics_period"));
        NoImageWarning = TimeSpan.FromSeconds(p.GetDouble("no_image_warning"));
        MaxInputSide = (int)p.GetInteger("max_input_side");
        ModelConfig = p.GetString("model_config");
        ModelPath = p.GetString("model_path");
        RosDistro = p.GetString("ros_distro");
        DetectionsIncludePeople = p.GetBool("detections_include_people");
        DepthTopic = p.GetString("depth_topic").Length > 0 ? Resolve(p.GetString("depth_topic")) : "";
        CameraInfoTopic = p.GetString("camera_info_topic").Length > 0 ? Resolve(p.GetString("camera_info_topic")) : "";
        DepthSlop = TimeSpan.FromSeconds(p.GetDouble("depth_slop"));
    }

    /// <summary>
    /// The parameters that override the <c>model_config</c> file's inference and pipeline sections, only when given.
    /// The shipped params file lists them commented out, so launching with it keeps the model_config's values.
    /// </summary>
    public static IReadOnlyList<string> SegmenterParameters { get; } =
        ["execution_providers", "intra_op_threads", "thread_spinning", "precision", "onnxruntime_library", "resize_mode", "label_resolution", "label_upsampling", "person_grouping", "overlay_annotations", "overlay_alpha", "min_region_area", "min_person_area", "min_person_score"];

    /// <summary>
    /// Every parameter this node declares, in declaration order: the one table that the docs, the parameter services'
    /// descriptors and the shipped params file are checked against. <c>Dynamic</c> ones can be set at run time
    /// (see <see cref="RuntimeSettings"/>); the others need a restart and are described as read_only.
    /// </summary>
    public static IReadOnlyList<ParameterDescriptor> Descriptors { get; } =
    [
        new("model_config", ParameterType.String, "", "segmenter YAML config (model, inference, pipeline sections); empty: built-in defaults"),
        new("model_path", ParameterType.String, "", "ONNX model file; empty: the config's model or the bundled models/fchardnet70_parts.onnx"),
        new("input_transport", ParameterType.String, "raw", "input as sensor_msgs/Image on 'image' (raw) or sensor_msgs/CompressedImage on 'image/compressed'", Choices: ["raw", "compressed"]),
        new("input_reliability", ParameterType.String, "best_effort", "input QoS reliability; best_effort matches every camera, reliable only reliable publishers", Choices: ["best_effort", "reliable"]),
        new("input_depth", ParameterType.Integer, 1L, "input QoS history depth (KEEP_LAST); the node processes only the newest frame anyway", 1, 100),
        new("output_reliability", ParameterType.String, "reliable", "QoS reliability of the image, detection and region outputs", Choices: ["reliable", "best_effort"]),
        new("output_depth", ParameterType.Integer, 1L, "QoS history depth (KEEP_LAST) of the outputs", 1, 100),
        new("diagnostics_period", ParameterType.Double, 1.0, "seconds between /diagnostics messages", 0.1, 60, Dynamic: true),
        new("no_image_warning", ParameterType.Double, 5.0, "seconds without an input image (at start, or after frames stop) before a warning and /diagnostics at WARN (0: never)", 0, 3600, Dynamic: true),
        new("max_input_side", ParameterType.Integer, 4096L, "frames with more pixels than this on a side are refused as size_too_large (4096 takes a 4K camera); bounds the memory the node's frame buffers can grow to", 16, 8192),
        new("detections_include_people", ParameterType.Bool, true, "~/detections starts with one 'person' detection per person", Dynamic: true),
        new("ros_distro", ParameterType.String, "", "ROS distro of the peers (humble: 24-byte Gids; iron, jazzy, rolling: 16); empty: $ROS_DISTRO; unknown: no ros_discovery_info"),
        new("execution_providers", ParameterType.String, "tensorrt,cuda,cpu", "ONNX Runtime providers tried in order, comma-separated (tensorrt, cuda, cpu); unavailable ones are skipped with a log line"),
        new("intra_op_threads", ParameterType.Integer, 0L, "ONNX Runtime threads per operator (0: one per core)", 0, 256),
        new("thread_spinning", ParameterType.Bool, false, "ONNX Runtime's idle threads busy-wait for work instead of sleeping: faster on an otherwise idle CPU, more CPU used, slower where other processes share the cores"),
        new("precision", ParameterType.String, "", "model file precision: empty = model_config's (default auto); auto = int8 on CPU, fp16 on GPUs where the sibling exists; fp32, int8, fp16 = that sibling NAME.onnx / NAME.int8.onnx / NAME.fp16.onnx"),
        new("onnxruntime_library", ParameterType.String, "", "native libonnxruntime.so to load instead of the package's (on a Jetson: JetPack's, which has CUDA and TensorRT); empty: the package's"),
        new("resize_mode", ParameterType.String, "stretch", "how frames are fitted to the network input", Choices: ["stretch", "letterbox"]),
        new("label_resolution", ParameterType.String, "input", "size of ~/labels and ~/color_mask: the input's, or the network's output grid", Choices: ["input", "network"]),
        new("label_upsampling", ParameterType.String, "bilinear", "input-size labels from class scores interpolated between grid cells (smooth), or the nearest cell's label (cheapest)", Choices: ["bilinear", "nearest"], Dynamic: true),
        new("person_grouping", ParameterType.String, "split", "people: one per head (or headless torso) grown along the body, or one per connected area (touching people merge)", Choices: ["split", "components"], Dynamic: true),
        new("overlay_annotations", ParameterType.String, "people", "drawn over the colours in ~/overlay: nothing, each person's box and id, or those and part names", Choices: ["none", "people", "parts"], Dynamic: true),
        new("overlay_alpha", ParameterType.Double, 0.5, "weight of the class colours in ~/overlay", 0, 1, Dynamic: true),
        new("min_region_area", ParameterType.Integer, 64L, "part regions smaller than this many input pixels are dropped", 0, 67108864, Dynamic: true),
        new("min_person_area", ParameterType.Integer, 400L, "people smaller than this many input pixels are dropped with their parts", 0, 67108864, Dynamic: true),
        new("min_person_score", ParameterType.Double, 0.7, "people whose score (mean class probability) is below this are dropped with their parts", 0, 1, Dynamic: true),
        .. SpatialParameters.Descriptors,
        new("use_sim_time", ParameterType.Bool, false, "accepted for compatibility with launch files; outputs carry the input stamps, so it changes nothing", Dynamic: true),
    ];

    public RosArguments Arguments { get; }

    public NodeParameters Parameters { get; }

    public string NodeName { get; }

    public string Namespace { get; }

    public string FullyQualifiedName { get; }

    public bool Compressed { get; }

    public string InputTopic { get; }

    public string InputType => Compressed ? "sensor_msgs/msg/CompressedImage" : "sensor_msgs/msg/Image";

    public string LabelsTopic { get; }

    public string ColorMaskTopic { get; }

    public string OverlayTopic { get; }

    public string DetectionsTopic { get; }

    public string PartsTopic { get; }

    public string LabelInfoTopic { get; }

    public string DiagnosticsTopic { get; }

    public RosQos InputQos { get; }

    public RosQos OutputQos { get; }

    public RosQos LabelInfoQos { get; }

    public RosQos DiagnosticsQos { get; }

    public TimeSpan DiagnosticsPeriod { get; }

    public TimeSpan NoImageWarning { get; }

    /// <summary>Frames with more pixels than this on a side are refused (size_too_large); bounds the node's buffers.</summary>
    public int MaxInputSide { get; }

    public string ModelConfig { get; }

    public string ModelPath { get; }

    public string RosDistro { get; }

    public bool DetectionsIncludePeople { get; }

    /// <summary>The aligned depth image's topic, resolved; empty: no depth input (no 3D outputs).</summary>
    public string DepthTopic { get; }

    /// <summary>The colour camera's CameraInfo topic, resolved; empty: none.</summary>
    public string CameraInfoTopic { get; }

    /// <summary>How far a depth stamp may be from the colour stamp to pair.</summary>
    public TimeSpan DepthSlop { get; }

    /// <summary>
    /// The segmenter configuration: the <c>model_config</c> YAML (or the defaults), then every pipeline and inference
    /// parameter given explicitly on top, so <c>-p overlay_alpha:=0.3</c> wins over the file.
    /// </summary>
    public SegmenterConfig SegmenterConfig()
    {
        var p = Parameters;
        var config = ModelConfig.Length > 0 ? Inference.SegmenterConfig.Load(ModelConfig) : Inference.SegmenterConfig.Default;
        if (ModelPath.Length > 0)
        {
            config = config with { ModelPath = ModelPath };
        }
        var inference = config.Inference;
        if (p.IsSet("execution_providers"))
        {
            inference = inference with { Providers = p.GetString("execution_providers").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
        }
        if (p.IsSet("intra_op_threads"))
        {
            inference = inference with { IntraOpThreads = (int)p.GetInteger("intra_op_threads") };
        }
        if (p.IsSet("thread_spinning"))
        {
            inference = inference with { ThreadSpinning = p.GetBool("thread_spinning") };
        }
        if (p.IsSet("precision") && p.GetString("precision").Length > 0)
        {
            inference = inference with { Precision = p.GetString("precision") };
        }
        if (p.IsSet("onnxruntime_library") && p.GetString("onnxruntime_library").Length > 0)
        {
            inference = inference with { OnnxRuntimeLibrary = p.GetString("onnxruntime_library") };
        }
        var pipeline = config.Pipeline;
        if (p.IsSet("resize_mode"))
        {
            pipeline = pipeline with { Resize = p.GetString("resize_mode") == "letterbox" ? ResizeMode.Letterbox : ResizeMode.Stretch };
        }
        if (p.IsSet("label_resolution"))
        {
            pipeline = pipeline with { LabelResolution = p.GetString("label_resolution") == "network" ? LabelResolution.Network : LabelResolution.Input };
        }
        if (p.IsSet("overlay_alpha"))
        {
            pipeline = pipeline with { OverlayAlpha = (float)p.GetDouble("overlay_alpha") };
        }
        if (p.IsSet("label_upsampling"))
        {
            pipeline = pipeline with { LabelUpsampling = p.GetString("label_upsampling") == "nearest" ? LabelUpsampling.Nearest : LabelUpsampling.Bilinear };
        }
        if (p.IsSet("person_grouping"))
        {
            pipeline = pipeline with { PersonGrouping = p.GetString("person_grouping") == "components" ? PersonGrouping.Components : PersonGrouping.Split };
        }
        if (p.IsSet("overlay_annotations"))
        {
            pipeline = pipeline with
            {
                OverlayAnnotations = p.GetString("overlay_annotations") switch
                {
                    "none" => OverlayAnnotations.None,
                    "parts" => OverlayAnnotations.Parts,
                    _ => OverlayAnnotations.People,
                },
            };
        }
        if (p.IsSet("min_region_area"))
        {
            pipeline = pipeline with { MinRegionArea = (int)p.GetInteger("min_region_area") };
        }
        if (p.IsSet("min_person_area"))
        {
            pipeline = pipeline with { MinPersonArea = (int)p.GetInteger("min_person_area") };
        }
        if (p.IsSet("min_person_score"))
        {
            pipeline = pipeline with { MinPersonScore = (float)p.GetDouble("min_person_score") };
        }
        try
        {
            inference.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ParameterException($"parameter 'execution_providers': {e.Message}", e);
        }
        return config with { Inference = inference, Pipeline = SpatialParameters.Apply(p, pipeline) };
    }

    /// <summary>Parses ROS arguments, declares and sets the parameters, resolves names and topics.</summary>
    public static NodeSettings Create(IReadOnlyList<string> args) => Create(RosArguments.Parse(args));

    public static NodeSettings Create(RosArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var name = args.ResolveNodeName(DefaultNodeName);
        var ns = args.ResolveNamespace(DefaultNodeName);
        var p = new NodeParameters();
        foreach (var d in Descriptors)
        {
            p.Declare(d);
        }

        p.Apply(args, ns == "/" ? "/" + name : ns + "/" + name);
        return new NodeSettings(args, p, name, ns);
    }

    /// <summary>The resolved name of a per-frame output (<c>~/NAME</c>, remaps applied).</summary>
    public string OutputTopic(string relativeName) => Resolve("~/" + relativeName);

    private string Resolve(string name) =>
        Arguments.ApplyRemaps(RosNames.Expand(name, Namespace, NodeName), Namespace, NodeName);

    private static RosReliability Reliability(string s) => s == "reliable" ? RosReliability.Reliable : RosReliability.BestEffort;
}

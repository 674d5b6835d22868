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
        ModelConfig = p.GetString("model_config");
        ModelPath = p.GetString("model_path");
        RosDistro = p.GetString("ros_distro");
        DetectionsIncludePeople = p.GetBool("detections_include_people");
    }

    /// <summary>Every parameter this node declares, in declaration order (also the docs table).</summary>
    public static IReadOnlyList<ParameterDescriptor> Descriptors { get; } =
    [
        new("model_config", ParameterType.String, "", "segmenter YAML config (model, inference, pipeline sections); empty: built-in defaults"),
        new("model_path", ParameterType.String, "", "ONNX model file; empty: the config's model or the bundled models/fchardnet70_parts.onnx"),
        new("input_transport", ParameterType.String, "raw", "input as sensor_msgs/Image on 'image' (raw) or sensor_msgs/CompressedImage on 'image/compressed'", Choices: ["raw", "compressed"]),
        new("input_reliability", ParameterType.String, "best_effort", "input QoS reliability; best_effort matches every camera, reliable only reliable publishers", Choices: ["best_effort", "reliable"]),
        new("input_depth", ParameterType.Integer, 1L, "input QoS history depth (KEEP_LAST); the node processes only the newest frame anyway", 1, 100),
        new("output_reliability", ParameterType.String, "reliable", "QoS reliability of the image, detection and region outputs", Choices: ["reliable", "best_effort"]),
        new("output_depth", ParameterType.Integer, 1L, "QoS history depth (KEEP_LAST) of the outputs", 1, 100),
        new("diagnostics_period", ParameterType.Double, 1.0, "seconds between /diagnostics messages", 0.1, 60),
        new("no_image_warning", ParameterType.Double, 5.0, "seconds without an input image before a warning (0: never)", 0, 3600),
        new("detections_include_people", ParameterType.Bool, true, "~/detections starts with one 'person' detection per person"),
        new("ros_distro", ParameterType.String, "", "ROS distro of the peers (humble: 24-byte Gids; iron, jazzy, rolling: 16); empty: $ROS_DISTRO; unknown: no ros_discovery_info"),
        new("use_sim_time", ParameterType.Bool, false, "accepted for compatibility with launch files; outputs carry the input stamps, so it changes nothing"),
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

    public string ModelConfig { get; }

    public string ModelPath { get; }

    public string RosDistro { get; }

    public bool DetectionsIncludePeople { get; }

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

    private string Resolve(string name) =>
        Arguments.ApplyRemaps(RosNames.Expand(name, Namespace, NodeName), Namespace, NodeName);

    private static RosReliability Reliability(string s) => s == "reliable" ? RosReliability.Reliable : RosReliability.BestEffort;
}

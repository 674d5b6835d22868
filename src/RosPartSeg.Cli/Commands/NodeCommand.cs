using RosPartSeg.Dds;
using RosPartSeg.Node.PartSegmenter;

namespace RosPartSeg.Cli.Commands;

/// <summary><c>rospartseg node [--ros-args ...]</c>: the live ROS 2 node over Cyclone DDS.</summary>
internal sealed class NodeCommand : ICliCommand
{
    public string Name => "node";

    public string Summary => "run the live ROS 2 part segmenter node (Cyclone DDS); takes --ros-args";

    public int Execute(string[] args)
    {
        if (args.Length > 0 && args[0] is "-h" or "--help")
        {
            Console.WriteLine("usage: rospartseg node [--ros-args [-r __node:=NAME] [-r __ns:=/NS] [-r from:=to] [-p name:=value] [--params-file FILE] [--log-level LEVEL] [--enclave /NAME]]");
            Console.WriteLine();
            Console.WriteLine("Subscribes to 'image' (sensor_msgs/Image; 'image/compressed' with -p input_transport:=compressed) and publishes");
            Console.WriteLine("~/labels, ~/color_mask, ~/overlay, ~/detections, ~/parts, ~/label_info and /diagnostics. Parameters:");
            foreach (var d in NodeSettings.Descriptors)
            {
                Console.WriteLine($"  {d.Name,-26} {d.Type,-8} default {Show(d.Default),-12} {d.Constraint}{(d.Dynamic ? " (settable at run time)" : "")}");
                Console.WriteLine($"      {d.Description}");
            }

            Console.WriteLine();
            Console.WriteLine("Environment: ROS_DOMAIN_ID, ROS_DISTRO (Gid layout of ros_discovery_info), CYCLONEDDS_URI;");
            Console.WriteLine("SROS2: ROS_SECURITY_ENABLE=true, ROS_SECURITY_STRATEGY (Enforce, Permissive), ROS_SECURITY_KEYSTORE,");
            Console.WriteLine("ROS_SECURITY_ENCLAVE_OVERRIDE (files from <keystore>/enclaves/<enclave>; see docs/node.md).");
            return 0;
        }

        return NodeHost.Run(args, (s, log) => new DdsTransport(s.NodeName, s.Namespace, log, rosDistro: s.RosDistro.Length > 0 ? s.RosDistro : null,
            security: DdsSecurity.FromEnvironment(s.Arguments.Enclave)));
    }

    private static string Show(object v) => v switch
    {
        string s when s.Length == 0 => "\"\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}

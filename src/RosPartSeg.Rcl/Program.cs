using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Rcl;

// rospartseg-rcl [--ros-args ...]: the same node as 'rospartseg node', on ros2_dotnet instead of Cyclone DDS.
// rospartseg-rcl --bench [frames] [width] [height]: the transport's cost per image frame.
if (args.Length > 0 && args[0] == "--bench")
{
    return Bench.Run(args);
}

return NodeHost.Run(args, (s, log) =>
{
    var transport = new RclTransport(s.NodeName, s.Namespace, log);
    try
    {
        transport.CheckNotRemappedAgain([s.InputTopic, s.LabelsTopic, s.ColorMaskTopic, s.OverlayTopic, s.DetectionsTopic,
            s.PartsTopic, s.LabelInfoTopic, s.DiagnosticsTopic]);
    }
    catch
    {
        transport.Dispose();
        throw;
    }

    return transport;
});

using RosPartSeg.Node.PartSegmenter;
using RosPartSeg.Rcl;

// rospartseg-rcl [--ros-args ...]: the same node as 'rospartseg node', on ros2_dotnet instead of Cyclone DDS.
return NodeHost.Run(args, (s, log) => new RclTransport(s.NodeName, s.Namespace, log));

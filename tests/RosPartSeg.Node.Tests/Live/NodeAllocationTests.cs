using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Dds;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Sensor;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// The hot path over real DDS, in the node's own process: once warm, its worker (decode, pipeline, five encoders,
/// five DDS writes) allocates nothing, as its /diagnostics report (<c>worker_allocated_bytes</c> per period), also
/// with a parameter client matched that sets <c>overlay_alpha</c> every few frames while /parameter_events and
/// /rosout have listeners; nor with an aligned depth image and CameraInfo (pairing, 3D projection, tracking,
/// ~/detections_3d and ~/markers too).
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class NodeAllocationTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    [SharedFact]
    public void WarmWorkerAllocatesNothingWithEveryOutputSubscribed() => WarmWorkerAllocatesNothing(depth: false);

    [SharedFact]
    public void WarmWorkerAllocatesNothingWithDepthAndEveryOutputSubscribed() => WarmWorkerAllocatesNothing(depth: true);

    private static void WarmWorkerAllocatesNothing(bool depth)
    {
        using var live = depth
            ? LiveNode.Start("--ros-args", "-p", "diagnostics_period:=0.5", "-p", "depth_topic:=/depth", "-p", "camera_info_topic:=/camera_info")
            : LiveNode.StartWithFastDiagnostics();
        var (outputs, diagnostics, camera) = live.WatchEveryOutput(Limit);
        if (depth)
        {
            outputs = [.. outputs,
                live.Peer.Subscribe("rt/part_segmenter/detections_3d", "vision_msgs::msg::dds_::Detection3DArray_"),
                live.Peer.Subscribe("rt/part_segmenter/markers", "visualization_msgs::msg::dds_::MarkerArray_")];
        }
        var photo = TestPeer.Photo("humans_1.jpg");
        var depthWriter = depth ? live.Peer.Participant.CreateWriter("rt/depth", LiveNode.ImageType, TestPeer.Camera) : null;
        var infoWriter = depth ? live.Peer.Participant.CreateWriter("rt/camera_info", "sensor_msgs::msg::dds_::CameraInfo_", TestPeer.Camera) : null;
        if (depth)
        {
            Assert.True(TestPeer.WaitMatched(depthWriter!, 1, Limit) && TestPeer.WaitMatched(infoWriter!, 1, Limit), "the node's depth inputs never matched");
        }
        var millimetres = Enumerable.Repeat((ushort)2500, photo.Width * photo.Height).ToArray();
        var cdr = new CdrWriter(1 << 20);
        var reliable = new DdsQos(DdsReliability.Reliable, 10, DdsDurability.Volatile);
        live.Peer.Participant.CreateReader("rr/part_segmenter/set_parametersReply", "rcl_interfaces::srv::dds_::SetParameters_Response_", reliable, _ => { });
        var sets = live.Peer.Participant.CreateWriter("rq/part_segmenter/set_parametersRequest", "rcl_interfaces::srv::dds_::SetParameters_Request_", reliable);
        live.Peer.Subscribe("rt/parameter_events", "rcl_interfaces::msg::dds_::ParameterEvent_", new DdsQos(DdsReliability.Reliable, 1000, DdsDurability.Volatile));
        live.Peer.Subscribe("rt/rosout", "rcl_interfaces::msg::dds_::Log_", new DdsQos(DdsReliability.Reliable, 1000, DdsDurability.TransientLocal));
        Assert.True(TestPeer.WaitMatched(sets, 1, Limit), "the set_parameters service never matched");

        // Frames at about 4 Hz, each a new stamp. Warm up until every output has arrived (so the node renders all
        // five) and five more frames were processed; then look for periods that processed frames and allocated 0.
        var seen = new bool[outputs.Length];
        var sw = TestPeer.Timer();
        long warmFrom = -1, lastProcessed = -1;
        var zeroPeriods = 0;
        var report = new List<string>();
        Received? lastDiagnostics = null;
        for (var k = 1; sw.Elapsed < Limit && zeroPeriods < 2; k++)
        {
            if (depth)
            {
                DepthMessages.WriteCameraInfo(cdr, new Timestamp(k, 0), "cam", photo.Width, photo.Height, new CameraIntrinsics(525, 525, 320, 240));
                infoWriter!.Write(cdr.WrittenSpan);
                DepthMessages.WriteDepth(cdr, new Timestamp(k, 0), "cam", photo.Width, photo.Height, millimetres);
                depthWriter!.Write(cdr.WrittenSpan);
            }
            live.Publish(camera, photo, new Timestamp(k, 0));
            if (k % 3 == 0)
            {
                sets.Write(new HandCdr().Header(1, k).U32(1).Parameter("overlay_alpha", 3, d: k % 2 == 0 ? 0.4 : 0.6).ToArray());
            }

            Thread.Sleep(250);
            for (var i = 0; i < outputs.Length; i++)
            {
                while (outputs[i].TryTake(out _))
                {
                    seen[i] = true;
                }
            }

            while (diagnostics.TryTake(out var d))
            {
                var processed = LiveNode.Value(d, "frames_processed");
                var allocated = LiveNode.Value(d, "worker_allocated_bytes");
                if (warmFrom < 0 && seen.All(s => s))
                {
                    warmFrom = processed + 5;
                }

                if (warmFrom >= 0 && lastProcessed >= warmFrom && processed > lastProcessed)
                {
                    report.Add($"{processed - lastProcessed} frames: {allocated} bytes");
                    zeroPeriods = allocated == 0 ? zeroPeriods + 1 : 0;
                }

                lastProcessed = processed;
                lastDiagnostics = d;
            }
        }

        Assert.True(seen.All(s => s), "not every output arrived");
        Assert.True(zeroPeriods >= 2,
            $"no two consecutive warm periods without allocation; the last periods: [{string.Join("; ", report.TakeLast(8))}]");
        Assert.False(live.Node.HasExited);
        Assert.Contains(live.Node.Log, l => l.Contains("parameters set: overlay_alpha = 0.", StringComparison.Ordinal));

        Assert.NotNull(lastDiagnostics);
        // The memory figures that tell a leak from fragmentation: the GC heap, and glibc's C heap holding at least
        // the model's weights (ONNX Runtime allocates them there).
        Assert.InRange(LiveNode.Value(lastDiagnostics, "managed_heap_bytes"), 1L << 20, 1L << 34);
        Assert.InRange(LiveNode.Value(lastDiagnostics, "managed_committed_bytes"),
            LiveNode.Value(lastDiagnostics, "managed_heap_bytes"), 1L << 34);
        Assert.InRange(LiveNode.Value(lastDiagnostics, "native_heap_in_use_bytes"), 10L << 20, 1L << 36);
        Assert.InRange(LiveNode.Value(lastDiagnostics, "native_heap_free_bytes"), 0, 1L << 36);
    }
}

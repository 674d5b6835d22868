using System.Globalization;
using RosPartSeg.Core.Frames;
using RosPartSeg.Core.Spatial;
using RosPartSeg.Messages.Diagnostic;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>The optional depth input (<c>depth_topic</c>, <c>camera_info_topic</c>): subscriptions, pairing, refusals.</summary>
public sealed partial class PartSegmenterNode
{
    private static readonly TimeSpan DepthLogInterval = TimeSpan.FromSeconds(5);

    private readonly DepthPairing? _depth;
    private IRosSubscription? _depthInput;
    private IRosSubscription? _infoInput;
    private long _depthRefused;
    private string? _depthRefusal; // the last refusal's reason, formatted only when a log line is due
    private Func<string>? _describeDepthRefusal;

    /// <summary>Depth images that could not be used (another size than the colour frame, bad encoding or geometry).</summary>
    public long DepthRefused => Interlocked.Read(ref _depthRefused);

    /// <summary>Colour frames processed without 3D because no depth (within depth_slop) or no CameraInfo was there.</summary>
    public long FramesWithoutDepth => _depth?.Unpaired ?? 0;

    private void SubscribeDepth()
    {
        if (_depth is null)
        {
            return;
        }
        var s = _settings;
        _describeDepthRefusal = () => $"{_depthRefusal}: frame published without 3D ({DepthRefused} depth images refused so far)";
        _depthInput = _transport.Subscribe(s.DepthTopic, "sensor_msgs/msg/Image", s.InputQos, _depth.OfferDepth);
        if (s.CameraInfoTopic.Length > 0)
        {
            _infoInput = _transport.Subscribe(s.CameraInfoTopic, "sensor_msgs/msg/CameraInfo", s.InputQos, _depth.OfferInfo);
            _log.Info($"depth from {s.DepthTopic} (aligned to the colour image, 16UC1 mm or 32FC1 m), intrinsics from {s.CameraInfoTopic}, " +
                      $"paired by stamp within {s.DepthSlop.TotalSeconds:0.###} s");
        }
        else
        {
            _log.Warn($"depth_topic is {s.DepthTopic} but camera_info_topic is empty: without K nothing is placed in 3D; set camera_info_topic");
        }
    }

    private void DisposeDepth()
    {
        _depthInput?.Dispose();
        _infoInput?.Dispose();
    }

    // Worker: the frame's depth and K, or none (counted, and logged once per cause every 5 s when refused).
    private DepthInput PairDepth(in ImageFrame frame)
    {
        if (_depth is null || !_depth.TryCheckOut(frame.Stamp, out var message, out var k, out int infoWidth, out int infoHeight))
        {
            return default;
        }
        DepthImage image;
        string? error;
        try
        {
            if (!DepthMessages.TryDecodeDepth(message, _strings, out _, out image, out error))
            {
                return RefuseDepth("depth:format", error!);
            }
        }
        catch (Messages.Cdr.CdrException e)
        {
            return RefuseDepth("depth:cdr", $"dropping a malformed depth image: {e.Message}");
        }
        if (image.Width != frame.Width || image.Height != frame.Height)
        {
            return RefuseDepth("depth:size", $"depth image of {image.Width}x{image.Height} on {_settings.DepthTopic} is not the colour frame's {frame.Width}x{frame.Height}: depth must be aligned to the colour image (e.g. aligned_depth_to_color)");
        }
        if (infoWidth != 0 && infoHeight != 0 && (infoWidth != frame.Width || infoHeight != frame.Height))
        {
            return RefuseDepth("depth:info", $"CameraInfo on {_settings.CameraInfoTopic} is for {infoWidth}x{infoHeight}, the colour frame is {frame.Width}x{frame.Height}: its K does not apply");
        }
        return new DepthInput(image, k);
    }

    private DepthInput RefuseDepth(string key, string reason)
    {
        Interlocked.Increment(ref _depthRefused);
        _depthRefusal = reason;
        _log.LogThrottled(RosLogLevel.Warn, key, DepthLogInterval, _describeDepthRefusal!);
        return default;
    }

    private void AddDepthDiagnostics(List<KeyValue> values)
    {
        if (_depth is null)
        {
            return;
        }
        var c = CultureInfo.InvariantCulture;
        values.Add(new KeyValue("depth_received", _depth.DepthReceived.ToString(c)));
        values.Add(new KeyValue("camera_info_received", _depth.InfoReceived.ToString(c)));
        values.Add(new KeyValue("depth_refused", DepthRefused.ToString(c)));
        values.Add(new KeyValue("frames_without_depth", _depth.Unpaired.ToString(c)));
    }
}

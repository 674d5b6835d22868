using System.Runtime.InteropServices;
using RosPartSeg.Core.Model;
using RosPartSeg.Inference;
using RosPartSeg.Node.Transport;

namespace RosPartSeg.Node.PartSegmenter;

/// <summary>
/// Runs the part segmenter as a process: parses the ROS arguments, reports unknown parameters, loads the model,
/// creates the transport, starts the node and stops it cleanly on SIGINT or SIGTERM.
/// </summary>
public static class NodeHost
{
    /// <summary>Exit codes: 0 after a clean shutdown, 2 for bad arguments or parameters, 1 for start failures (also a compressed input without image codecs).</summary>
    public static int Run(IReadOnlyList<string> args, RosTransportFactory transportFactory, TextWriter? logOutput = null)
    {
        using var stop = new CancellationTokenSource();
        int signals = 0;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        return Run(args, transportFactory, stop.Token, logOutput);

        void Handle(PosixSignalContext ctx)
        {
            // The first signal stops the node cleanly (between start-up steps, or after the frame in flight); a second
            // one, for a start-up step or a frame that takes too long, ends the process at once: the default action.
            if (Interlocked.Increment(ref signals) > 1)
            {
                Console.Error.WriteLine($"[rospartseg] second {ctx.Signal}: exiting at once");
                ctx.Cancel = false;
                return;
            }

            ctx.Cancel = true;
            stop.Cancel();
        }
    }

    // Start-up steps (the model load above all: a TensorRT engine build takes minutes on a Jetson) cannot be
    // interrupted, so a stop request is looked at between them.
    private static bool StopRequested(CancellationToken cancel, RosLogger log, string step)
    {
        if (cancel.IsCancellationRequested)
        {
            log.Info($"stop requested during start-up; stopping {step}");
            return true;
        }

        return false;
    }

    /// <summary>Runs until <paramref name="cancel"/> fires.</summary>
    public static int Run(IReadOnlyList<string> args, RosTransportFactory transportFactory, CancellationToken cancel, TextWriter? logOutput = null)
    {
        ArgumentNullException.ThrowIfNull(transportFactory);
        var log = new RosLogger(NodeSettings.DefaultNodeName, logOutput);
        NodeSettings settings;
        try
        {
            settings = NodeSettings.Create(args);
        }
        catch (Exception e) when (e is RosArgumentException or ParameterException or ArgumentException)
        {
            log.Log(RosLogLevel.Fatal, e.Message);
            return 2;
        }

        log.Name = RosLogger.NameFor(settings.Namespace, settings.NodeName);
        if (settings.Arguments.LogLevel is { } level)
        {
            log.Minimum = level;
        }

        foreach (var unknown in settings.Parameters.Unknown)
        {
            log.Warn($"unknown parameter ignored ({unknown}); declared: {string.Join(", ", NodeSettings.Descriptors.Select(d => d.Name))}");
        }

        foreach (var extra in settings.Arguments.NonRosArguments)
        {
            log.Warn($"ignoring argument '{extra}' (ROS arguments go after --ros-args)");
        }

        if (settings.Compressed && !Imaging.ImageCodec.IsAvailable)
        {
            log.Log(RosLogLevel.Fatal, $"parameter 'input_transport' is 'compressed', which needs an image codec: {Imaging.ImageCodec.UnavailableReason}");
            return 1;
        }
        if (settings.Compressed)
        {
            log.Info(Imaging.ImageCodec.Description);
        }

        SegmenterConfig config;
        try
        {
            config = settings.SegmenterConfig();
        }
        catch (Exception e) when (e is ConfigException or IOException)
        {
            log.Log(RosLogLevel.Fatal, $"parameter 'model_config': {e.Message}");
            return 2;
        }
        catch (ParameterException e)
        {
            log.Log(RosLogLevel.Fatal, e.Message);
            return 2;
        }

        if (StopRequested(cancel, log, "before loading the model"))
        {
            return 0;
        }

        ProcessMemory.MapLargeBlocks();
        Core.Pipeline.SegmentationPipeline pipeline;
        try
        {
            pipeline = SegmenterFactory.Create(config, m => log.Info(m));
        }
        catch (Exception e) when (e is ModelException or ConfigException or IOException or InvalidOperationException)
        {
            log.Log(RosLogLevel.Fatal, $"cannot load the model: {e.Message}");
            return 1;
        }

        var releasePipeline = true;
        try
        {
            if (StopRequested(cancel, log, "after loading the model"))
            {
                return 0;
            }

            IRosTransport transport;
            try
            {
                transport = transportFactory(settings, (l, m) => log.Log(l, m));
            }
#pragma warning disable CA1031 // any transport failure is reported as a start failure with its message
            catch (Exception e)
#pragma warning restore CA1031
            {
                log.Log(RosLogLevel.Fatal, $"cannot start the ROS transport: {e.Message}");
                return 1;
            }

            if (StopRequested(cancel, log, "before creating the node's topics"))
            {
                transport.Dispose();
                return 0;
            }

            using var node = new PartSegmenterNode(settings, pipeline, transport, log);
            try
            {
                node.Start();
            }
#pragma warning disable CA1031 // e.g. permissions that do not grant a topic: report it and stop
            catch (Exception e)
#pragma warning restore CA1031
            {
                log.Log(RosLogLevel.Fatal, $"cannot create the node's topics: {e.Message}");
                return 1;
            }

            log.Info($"node {settings.FullyQualifiedName} running; Ctrl-C or SIGTERM stops it");
            cancel.WaitHandle.WaitOne();
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            node.Dispose();
            if (!node.WorkerStopped)
            {
                releasePipeline = false; // the worker may still be inside it: the process ends around it
                return 1;
            }

            log.Info($"shut down after {node.Received} frames received, {node.Processed} processed, {node.Dropped} dropped, {node.BadFrames} bad" + (node.BadFrames > 0 ? $" ({node.BadByCause})" : "")
                + $"; stopping took {stopping.ElapsedMilliseconds} ms");
        }
        finally
        {
            if (releasePipeline)
            {
                pipeline.Dispose();
            }
        }

        return 0;
    }
}

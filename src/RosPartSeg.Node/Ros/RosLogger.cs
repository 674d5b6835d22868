using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace RosPartSeg.Node;

/// <summary>ROS log severities, in rcutils order.</summary>
public enum RosLogLevel
{
    Debug = 10,
    Info = 20,
    Warn = 30,
    Error = 40,
    Fatal = 50,
}

/// <summary>
/// Writes log lines in the ROS 2 console format <c>[INFO] [1700000000.123456789] [node]: message</c> to stderr
/// (rcutils' default stream), with per-cause rate limiting for messages that could repeat every frame.
/// </summary>
public sealed class RosLogger
{
    private readonly TextWriter _out;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, long> _lastByCause = new();

    public RosLogger(string name, TextWriter? output = null, RosLogLevel minimum = RosLogLevel.Info)
    {
        Name = name;
        _out = output ?? Console.Error;
        Minimum = minimum;
    }

    /// <summary>The logger name (ROS uses the node's namespace and name joined with dots).</summary>
    public string Name { get; set; }

    public RosLogLevel Minimum { get; set; }

    /// <summary>
    /// Receives every line written (level, logger name, message, Unix time in ns) after the console has it: the
    /// node's <c>/rosout</c> publisher. It must not throw nor log.
    /// </summary>
    public Action<RosLogLevel, string, string, long>? Sink { get; set; }

    /// <summary>The logger name ROS gives a node: namespace segments and the node name joined with dots.</summary>
    public static string NameFor(string nodeNamespace, string nodeName)
    {
        var ns = nodeNamespace.Trim('/').Replace('/', '.');
        return ns.Length == 0 ? nodeName : $"{ns}.{nodeName}";
    }

    public void Debug(string message) => Log(RosLogLevel.Debug, message);

    public void Info(string message) => Log(RosLogLevel.Info, message);

    public void Warn(string message) => Log(RosLogLevel.Warn, message);

    public void Error(string message) => Log(RosLogLevel.Error, message);

    public void Log(RosLogLevel level, string message)
    {
        if (level < Minimum)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var ns = (now.ToUnixTimeMilliseconds() * 1_000_000L) + (now.Ticks % TimeSpan.TicksPerMillisecond * 100);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{LevelName(level)}] [{ns / 1_000_000_000}.{ns % 1_000_000_000:D9}] [{Name}]: {message}");
        lock (_lock)
        {
            _out.WriteLine(line);
            _out.Flush();
        }

        Sink?.Invoke(level, Name, message, ns);
    }

    /// <summary>
    /// Logs at most once per <paramref name="interval"/> for each <paramref name="cause"/>; returns whether it logged.
    /// The message factory runs only when the line is written.
    /// </summary>
    public bool LogThrottled(RosLogLevel level, string cause, TimeSpan interval, Func<string> message)
    {
        var now = Stopwatch.GetTimestamp();
        var minTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_lastByCause.TryGetValue(cause, out var last))
            {
                if (now - last < minTicks || !_lastByCause.TryUpdate(cause, now, last))
                {
                    return false;
                }
            }
            else if (!_lastByCause.TryAdd(cause, now))
            {
                continue;
            }

            Log(level, message());
            return true;
        }
    }

    private static string LevelName(RosLogLevel level) => level switch
    {
        RosLogLevel.Debug => "DEBUG",
        RosLogLevel.Info => "INFO",
        RosLogLevel.Warn => "WARN",
        RosLogLevel.Error => "ERROR",
        _ => "FATAL",
    };
}

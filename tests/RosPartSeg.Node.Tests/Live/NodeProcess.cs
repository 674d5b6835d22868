using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using RosPartSeg.Dds;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>The built <c>rospartseg node</c> running as a separate process on a private loopback domain.</summary>
internal sealed partial class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private NodeProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _log.Enqueue(e.Data);
            }
        };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _log.Enqueue(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public IEnumerable<string> Log => _log;

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>The process's resident set size (VmRSS) in KiB, or 0 when it cannot be read.</summary>
    public long RssKb() => Status("VmRSS:");

    /// <summary>The process's peak resident set size so far (VmHWM) in KiB, or 0 when it cannot be read.</summary>
    public long PeakRssKb() => Status("VmHWM:");

    private long Status(string key)
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.AsSpan(key.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public int ExitCode => _process.ExitCode;

    public static string CliPath
    {
        get
        {
            var config = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
            var path = Path.Combine(TestEnvironment.RepoRoot, "src", "RosPartSeg.Cli", "bin", config, "net10.0", "rospartseg.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("build the CLI first", path);
        }
    }

    /// <summary>Starts the node and waits until it says it is running (model loaded, topics created).</summary>
    public static NodeProcess Start(uint domain, string? distro, params string[] nodeArgs) =>
        StartCommand(["dotnet", CliPath, "node", .. nodeArgs], domain, distro, TimeSpan.FromSeconds(30));

    /// <summary>Starts the node with extra environment variables (e.g. ROS_SECURITY_*) and waits until it runs.</summary>
    public static NodeProcess StartWith(IReadOnlyDictionary<string, string> env, uint domain, string? distro, params string[] nodeArgs) =>
        StartCommand(["dotnet", CliPath, "node", .. nodeArgs], domain, distro, TimeSpan.FromSeconds(40), env);

    /// <summary>Starts the node without waiting for it to run (for signals during start-up).</summary>
    public static NodeProcess Launch(uint domain, params string[] nodeArgs) =>
        new(Process.Start(StartInfo(["dotnet", CliPath, "node", .. nodeArgs], domain, "humble", null)) ?? throw new InvalidOperationException("could not start the node"));

    /// <summary>Sends a signal without waiting.</summary>
    public void Send(int signal) => _ = Kill(_process.Id, signal);

    /// <summary>Waits for the process to exit (and its output to drain); false if it did not within the limit.</summary>
    public bool WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit))
        {
            return false;
        }

        _process.WaitForExit();
        return true;
    }

    /// <summary>Runs the node until it exits by itself (a refused start) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) RunToExit(IReadOnlyDictionary<string, string> env, uint domain, TimeSpan limit, params string[] nodeArgs)
    {
        var psi = StartInfo(["dotnet", CliPath, "node", .. nodeArgs], domain, "humble", env);
        using var node = new NodeProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start the node"));
        if (!node._process.WaitForExit(limit))
        {
            throw new TimeoutException($"the node did not exit within {limit.TotalSeconds} s:\n" + string.Join('\n', node.Log));
        }

        node._process.WaitForExit(); // drains the redirected output
        return (node.ExitCode, string.Join('\n', node.Log));
    }

    /// <summary>
    /// Starts <paramref name="command"/> (a program and its arguments that run the node, e.g. another build of it
    /// under an emulator) on <paramref name="domain"/> over loopback DDS and waits up to <paramref name="startLimit"/>
    /// until it says it is running.
    /// </summary>
    public static NodeProcess StartCommand(IReadOnlyList<string> command, uint domain, string? distro, TimeSpan startLimit,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var node = new NodeProcess(Process.Start(StartInfo(command, domain, distro, env)) ?? throw new InvalidOperationException("could not start the node"));
        if (!node.WaitForLog("running;", startLimit))
        {
            var log = string.Join('\n', node.Log);
            node.Dispose();
            throw new InvalidOperationException("the node did not start:\n" + log);
        }

        return node;
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> command, uint domain, string? distro, IReadOnlyDictionary<string, string>? env)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["CYCLONEDDS_URI"] = DdsConfig.Loopback;
        psi.Environment["ROS_DOMAIN_ID"] = domain.ToString(CultureInfo.InvariantCulture);
        if (distro is null)
        {
            psi.Environment.Remove("ROS_DISTRO");
        }
        else
        {
            psi.Environment["ROS_DISTRO"] = distro;
        }

        TestEnvironment.SetSecurityEnvironment(psi, env);
        return psi;
    }

    public bool WaitForLog(string fragment, TimeSpan timeout) =>
        TestEnvironment.WaitUntil(() => _log.Any(l => l.Contains(fragment, StringComparison.Ordinal)) || _process.HasExited, timeout)
        && _log.Any(l => l.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Sends SIGTERM and returns how long the process took to exit (or null if it did not within the limit).</summary>
    public TimeSpan? Terminate(TimeSpan limit) => Signal(15, limit);

    /// <summary>Sends a signal (2 SIGINT, 15 SIGTERM) and returns how long the process took to exit, or null.</summary>
    public TimeSpan? Signal(int signal, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        _ = Kill(_process.Id, signal);
        if (!_process.WaitForExit(limit))
        {
            return null;
        }

        var took = sw.Elapsed;
        _process.WaitForExit(); // without a timeout it also waits for the redirected output's last lines
        return took;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
            if (!_process.WaitForExit(3000))
            {
                _process.Kill();
                _process.WaitForExit(3000);
            }
        }

        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using RosPartSeg.Dds;

namespace RosPartSeg.Node.Tests;

/// <summary>Process-wide test setup: loopback-only Cyclone DDS, a private domain id per test, repo paths.</summary>
internal static class TestEnvironment
{
    private static int _nextDomain = 40 + (Environment.ProcessId % 60) * 3;

    [ModuleInitializer]
    internal static void Init() => DdsConfig.UseForThisProcess(DdsConfig.Loopback);

    /// <summary>A domain id no other test in this run uses, so concurrent runs and tests do not cross-talk.</summary>
    public static uint NewDomain() => (uint)(Interlocked.Increment(ref _nextDomain) % 200) + 10;

    /// <summary>The repository root (the folder holding RosPartSeg.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d is not null && !File.Exists(Path.Combine(d.FullName, "RosPartSeg.sln")))
            {
                d = d.Parent;
            }

            return d?.FullName ?? throw new InvalidOperationException("RosPartSeg.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Starts this test assembly as a peer process (see Program.cs) on <paramref name="domain"/>.</summary>
    public static Process StartPeer(uint domain, params string[] args) => StartPeerWith(new Dictionary<string, string>(), domain, args);

    /// <summary>Starts a peer process with SROS2 settings only from <paramref name="env"/> (none if it has none).</summary>
    public static Process StartPeerWith(IReadOnlyDictionary<string, string> env, uint domain, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(typeof(TestEnvironment).Assembly.Location);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["CYCLONEDDS_URI"] = DdsConfig.Loopback;
        psi.Environment["ROS_DOMAIN_ID"] = domain.ToString(System.Globalization.CultureInfo.InvariantCulture);
        SetSecurityEnvironment(psi, env);
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start peer");
    }

    /// <summary>A child process gets SROS2 settings only where a test asks for them, whatever the test run's environment says.</summary>
    public static void SetSecurityEnvironment(ProcessStartInfo psi, IReadOnlyDictionary<string, string>? env)
    {
        ArgumentNullException.ThrowIfNull(psi);
        foreach (var v in DdsSecurity.EnvironmentVariables)
        {
            psi.Environment.Remove(v);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return condition();
    }

    public static void Kill(Process p)
    {
        if (!p.HasExited)
        {
            p.Kill(entireProcessTree: true);
        }

        p.WaitForExit(5000);
        p.Dispose();
    }
}

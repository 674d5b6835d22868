using System.Diagnostics;
using RosPartSeg.Node.Tests.Live;

namespace RosPartSeg.Node.Tests.Cli;

/// <summary><c>rospartseg run</c> from the built CLI in its own process, as the CLI tests start it.</summary>
internal static class CliRun
{
    /// <summary>
    /// Runs <c>rospartseg run photo --out outDir extra...</c> and returns its exit code and its output (stdout then
    /// stderr). <paramref name="environment"/> sets variables for the child; a null value removes one.
    /// </summary>
    public static (int Code, string Log) Run(string photo, string outDir, IReadOnlyDictionary<string, string?> environment, params string[] extra)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { NodeProcess.CliPath, "run", photo, "--out", outDir }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync(); // read both pipes at once, so neither can fill and stall the child
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "rospartseg run did not finish in 60 s");
        return (p.ExitCode, stdout + stderr.Result);
    }
}

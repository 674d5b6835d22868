namespace RosPartSeg.Cli.Commands;

/// <summary>One <c>rospartseg</c> subcommand. Each lives in its own file and parses its own arguments.</summary>
internal interface ICliCommand
{
    /// <summary>The word after <c>rospartseg</c>, e.g. <c>run</c>.</summary>
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>Runs the command with the arguments after its name; returns the process exit code.</summary>
    int Execute(string[] args);
}

using RosPartSeg.Cli.Commands;

// The registry of subcommands: one line each, one file each under Commands/.
ICliCommand[] commands =
[
    new RunCommand(),
    new BenchCommand(),
    new NodeCommand(),
    new LiveBenchCommand(),
    new McapRecordsCommand(),
    new InfoCommand(),
    new ProcessCommand(),
    new MakeSampleBagCommand(),
    new BagBenchCommand(),
    new CompareLabelsCommand(),
];

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine("rospartseg: human body-part segmentation for ROS 2");
    Console.WriteLine();
    Console.WriteLine("usage: rospartseg <command> [options]   (rospartseg <command> --help for details)");
    Console.WriteLine();
    foreach (var c in commands)
    {
        Console.WriteLine($"  {c.Name,-16} {c.Summary}");
    }
    return args.Length == 0 ? 2 : 0;
}

foreach (var command in commands)
{
    if (command.Name != args[0])
    {
        continue;
    }
    try
    {
        return command.Execute(args[1..]);
    }
    catch (UsageException e)
    {
        Console.Error.WriteLine($"rospartseg {command.Name}: {e.Message} (try 'rospartseg {command.Name} --help')");
        return 2;
    }
    catch (Exception e) when (e is RosPartSeg.Core.Model.ModelException or RosPartSeg.Inference.ConfigException or RosPartSeg.Imaging.CodecUnavailableException)
    {
        Console.Error.WriteLine($"rospartseg {command.Name}: {e.Message}");
        return 1;
    }
}

Console.Error.WriteLine($"rospartseg: unknown command '{args[0]}' (try 'rospartseg --help')");
return 2;

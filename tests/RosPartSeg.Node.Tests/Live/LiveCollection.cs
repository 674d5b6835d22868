namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// Tests that run the model (node processes, the in-process node) share the 2 cores of a CI machine; run them one
/// class at a time so timing-sensitive checks (drops, latency, best-effort delivery) see an idle machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveCollection
{
    public const string Name = "live-dds";
}

using RosPartSeg.Dds.Interop;

namespace RosPartSeg.Dds;

/// <summary>What a reader and a writer share: the entity, its GUID, topic, type and QoS, and its matched count.</summary>
public abstract class DdsEndpoint
{
    private protected DdsEndpoint(DdsEntityHandle handle, DdsGuid guid, string topic, string type, DdsQos qos)
    {
        Handle = handle;
        Guid = guid;
        TopicName = topic;
        TypeName = type;
        Qos = qos;
    }

    public DdsGuid Guid { get; }

    public string TopicName { get; }

    public string TypeName { get; }

    public DdsQos Qos { get; }

    private protected DdsEntityHandle Handle { get; }

    /// <summary>Endpoints of the other kind currently matched (0 once this one is deleted).</summary>
    private protected int Matched()
    {
        if (!Handle.TryEnter())
        {
            return 0;
        }

        try
        {
            return QueryMatched(Handle.Entity);
        }
        finally
        {
            Handle.Exit();
        }
    }

    /// <summary>Reads the entity's matched status (subscription or publication).</summary>
    private protected abstract int QueryMatched(int entity);
}

namespace RosPartSeg.Bags;

/// <summary>A bag that cannot be opened or written: missing files, not a bag, unsupported storage or layout.</summary>
public sealed class BagException : Exception
{
    public BagException()
    {
    }

    public BagException(string message)
        : base(message)
    {
    }

    public BagException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

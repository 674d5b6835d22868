namespace RosPartSeg.Messages;

/// <summary>
/// What a message type is called and how it is defined: the ROS name (<c>sensor_msgs/msg/Image</c>), the DDS
/// name (<c>sensor_msgs::msg::dds_::Image_</c>), its own <c>.msg</c> text and the full definition with every
/// dependency appended, as rosbag2 stores it in MCAP schemas and in the sqlite3 <c>message_definitions</c> table.
/// </summary>
public sealed class MessageType
{
    internal MessageType(string package, string name, string text, string fullDefinition, IReadOnlyList<string> dependencies, string typeHash)
    {
        TypeHash = typeHash;
        Package = package;
        Name = name;
        Text = text;
        FullDefinition = fullDefinition;
        Dependencies = dependencies;
    }

    /// <summary>The ROS package, e.g. <c>sensor_msgs</c>.</summary>
    public string Package { get; }

    /// <summary>The type's own name, e.g. <c>Image</c>.</summary>
    public string Name { get; }

    /// <summary><c>package/msg/Name</c>: the name in bags, <c>ros2 topic list -t</c> and MCAP schemas.</summary>
    public string RosName => $"{Package}/msg/{Name}";

    /// <summary><c>package/Name</c>: the form used inside <c>.msg</c> texts and the <c>MSG:</c> delimiter lines.</summary>
    public string ShortName => $"{Package}/{Name}";

    /// <summary>The DDS type name rmw_cyclonedds registers: <c>package::msg::dds_::Name_</c>.</summary>
    public string DdsName => $"{Package}::msg::dds_::{Name}_";

    /// <summary>The type's own <c>.msg</c> text, exactly as the package installs it.</summary>
    public string Text { get; }

    /// <summary>The text followed by every dependency's text (see <see cref="MessageDefinitions.BuildFullText"/>).</summary>
    public string FullDefinition { get; }

    /// <summary>Direct dependencies as <c>package/Name</c>, in the order rosbag2 appends them (sorted, ordinal).</summary>
    public IReadOnlyList<string> Dependencies { get; }

    /// <summary>
    /// The REP 2011 type hash (<c>RIHS01_</c> + 64 hex digits) that Iron and Jazzy peers announce in endpoint
    /// USER_DATA as <c>typehash=...;</c>. Humble does not use it. For <c>rmw_dds_common</c> types it follows the
    /// Gid layout the type was looked up with (only the 16-byte one is meaningful).
    /// </summary>
    public string TypeHash { get; }

    public override string ToString() => RosName;
}

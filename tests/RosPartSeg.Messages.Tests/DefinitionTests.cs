using System.Security.Cryptography;
using System.Text;
using RosPartSeg.Messages.Parts;
using RosPartSeg.Messages.Rmw;
using RosPartSeg.Messages.Sensor;
using RosPartSeg.Messages.Vision;

namespace RosPartSeg.Messages.Tests;

public sealed class DefinitionTests
{
    private static readonly string Sep = new('=', 80);

    // SHA-256 of the upstream files (ros2/common_interfaces humble, ros2/rcl_interfaces humble,
    // ros-perception/vision_msgs 4.1.1, ros2/rmw_dds_common humble and jazzy; visualization_msgs from common_interfaces humble), taken from the upstream repositories.
    public static TheoryData<string, string> UpstreamHashes => new()
    {
        { "builtin_interfaces/Duration", "893d910e031bb06fb7483558b7e402b4a1397d52bfbf318fdba540ba919ee7ab" },
        { "builtin_interfaces/Time", "de44df4db63cb7ed6871c4603bfed97c9edc1a8b714ffcbe1363a1f38cb7f2d3" },
        { "diagnostic_msgs/DiagnosticArray", "019690e73d166237243a14998c4a9183c829dcc052ce7d190120d3892bf12c59" },
        { "diagnostic_msgs/DiagnosticStatus", "04b13e5ea9dd8559ef3f691bab371ec05ed227f1045f4fcd3b0b30338f9a15bd" },
        { "diagnostic_msgs/KeyValue", "89f6d92c75fbf2d5381e8c3e3b5bf92bbf6dbdb9683a5a5a4433a79f59fe0d74" },
        { "geometry_msgs/Point", "eb4c07e591cf0269ccb17245dcd4f998162feb09cc8add85fa082c8a30bfc91d" },
        { "geometry_msgs/Pose", "3eceb77c63ebbb544c11d7f991e475e9819e0cf534deb1a879392c1b3dc997de" },
        { "geometry_msgs/PoseWithCovariance", "a22f234e91b9fcd4ba0c5b533496b43c62d7f6ade39082212ac9835679d29f94" },
        { "geometry_msgs/Quaternion", "298495eb67a139642ffd37cc9029eae085e6c39a8789828b7517868a487939ed" },
        { "geometry_msgs/Vector3", "d8b9ea9aad1f424faf4d2b94dae1e1368af1e5d59de11aeed019399cff7f9e1d" },
        { "rcl_interfaces/FloatingPointRange", "1ab3ea0d423cece5169061a33388ce45a0c00a67df45995e78450b3563ea6bdf" },
        { "rcl_interfaces/IntegerRange", "a7a970ee3f920e209d245868ef4ea0e959b5d600fd7e95f27913c3ab1ddfbace" },
        { "rcl_interfaces/ListParametersResult", "505555153e477cf78a31b1f0463cbdc6b3fc0dc677afd42454340ebb4f50b186" },
        { "rcl_interfaces/Log", "4afcfd72a56191b0a6b9a708bd31904a245d9a86fe1bc111377f6798993582e6" },
        { "rcl_interfaces/Parameter", "2d49c337bdbbcfefccc5d24796b2eef8a025511ddff8a899c84e5c84638d5261" },
        { "rcl_interfaces/ParameterDescriptor", "66146fcc63a324ef4769b954f2ce6c9f92941274a40874275fb31b960db65e50" },
        { "rcl_interfaces/ParameterEvent", "99f239f007b55c675d4a21fb654a690f30d52395da48cf18c038384bbe857a29" },
        { "rcl_interfaces/ParameterValue", "5f7c95ce49c1c8a39b8c15171346de7bd1dc046a60ac33b2508cac1add5eedff" },
        { "rcl_interfaces/SetParametersResult", "4ccc12e3b0dcbcec35c4235bbd149cdbc8931a7b16f94987db646b2b6c184b8e" },
        { "rmw_dds_common/Gid.humble", "62ed952628bba7e3e577f7c6f56329c00f9580711dd2ffef160d41c17ae87a81" },
        { "rmw_dds_common/Gid.jazzy", "6c16e3ec5b14863d6515500923c5ee48248fbc721775dc2012867ae9c44b2789" },
        { "rmw_dds_common/NodeEntitiesInfo", "d0b813073b1c7139631e2f723cf845eb9505dd00e60118c3bf8698bc67ec0900" },
        { "rmw_dds_common/ParticipantEntitiesInfo", "6dd8a350f39681e993cefbd53290b496cbb4252aaf41c4592d33d00f8be04777" },
        { "sensor_msgs/CameraInfo", "1fced83678f5f2708aff8540987594692452de9f0b43905ce3bfba689226f3aa" },
        { "sensor_msgs/CompressedImage", "e7b7ab745dab5aae702745be23c0a7cf66f327e9712e83c873bdd7460151fa5b" },
        { "sensor_msgs/Image", "f057f9a5ed07bfc1726f6bf89632c21bb99831842b30dee28b3598173676fd45" },
        { "sensor_msgs/RegionOfInterest", "9c07010ab5ffddd1202876a778b44c99cafa780bc0503041c3fd935870a14c6a" },
        { "std_msgs/ColorRGBA", "6a2ce596d968f23d8456ff1e0b1218dec75ce2542614e004c99d29aceb3be697" },
        { "std_msgs/Header", "d2cea14630e39ed0fa5b432ba9160a7c38855b9427d3344f99e83e83facb53c2" },
        { "std_msgs/String", "2022b3f1c32b578ff8d54a9948a51a10778761e0ad4ba60e50ae51292ca16884" },
        { "vision_msgs/BoundingBox2D", "74ed6347e3c8f74b884a81c5a36925c0e320836c1a5ea55df2b8d03574cc25b1" },
        { "vision_msgs/BoundingBox3D", "30502a6e247a84d87b4c2c0262fd07ce6ba3fa8d6d24e6e39c1522d7e469c450" },
        { "vision_msgs/Detection2D", "868ffec733235c01bb5bfba3f3c528f193ea0fb3069650aaf95383a7fa9a8200" },
        { "vision_msgs/Detection2DArray", "bb2eeef88b466103b89a7ae9f927164d2064e9d94e8455bb98ad2b69130331ae" },
        { "vision_msgs/Detection3D", "68885eeededfc57231f171f2b3eb97f0d0a18580ca08307bc60b9b87216df985" },
        { "vision_msgs/Detection3DArray", "077f34a634e6de6654265af5b26508eea1105bef72395cffae50fde61b713c41" },
        { "vision_msgs/LabelInfo", "96cf2fa183f8f20a7356fd18163d2a8e875306c799f3fadec08169e5e487f3aa" },
        { "vision_msgs/ObjectHypothesis", "6224cb18c032fe062d18859089444f4e1f311ab478e45d937fdfac18a980695b" },
        { "vision_msgs/ObjectHypothesisWithPose", "162639c82b24a8fc4f3e93a4dc91704928d5cff9d39d169515bb748eccf4d573" },
        { "vision_msgs/Point2D", "6b99220dccc3193a603fb40d6a2880b4de67fb2175121c5683d0bde9f71e3733" },
        { "vision_msgs/Pose2D", "0cdb3bc9872a5c3379a5122c14d03ec13d59b92752d3b444cc41592492258ab2" },
        { "vision_msgs/VisionClass", "ae82ce087350e3ee1c0f0f8bb8f6e6c2e08f94dea6d984dec579fd72663bdb72" },
        { "visualization_msgs/Marker", "750fc972c9748e8a08dd537bd5e9088770aeb3d6acd69459f0bc4ee78f003136" },
        { "visualization_msgs/MarkerArray", "38a122bed2014534668ad143f6b57a831b6edb3d4453b2feeef8669930f234cc" },
        { "visualization_msgs/MeshFile", "6c5393590d3765a6da1bc815f0dba8962b55efad40ab4fb1346673cf89c294ed" },
        { "visualization_msgs/UVCoordinate", "544f2580cfb42e1e28dcb27856572abd52ad348d8f6197526f51f6d15acec1f0" },
    };

    [Theory]
    [MemberData(nameof(UpstreamHashes))]
    public void EmbeddedTextsAreByteForByteUpstream(string key, string sha256)
    {
        Assert.True(MessageDefinitions.Texts.TryGetValue(key, out var text), $"{key} is not embedded");
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void FullDefinitionFollowsTheRosbag2RuleOnItsOwnTestCase()
    {
        // rosbag2_storage_mcap's test_message_definition_cache (humble): ComplexMsg with one BasicMsg field.
        var texts = new Dictionary<string, string>
        {
            ["rosbag2_storage_mcap_testdata/ComplexMsg"] = "rosbag2_storage_mcap_testdata/BasicMsg b\n",
            ["rosbag2_storage_mcap_testdata/BasicMsg"] = "float32 c\n",
        };
        var full = MessageDefinitions.BuildFullText("rosbag2_storage_mcap_testdata/msg/ComplexMsg", k => texts.GetValueOrDefault(k));
        Assert.Equal("rosbag2_storage_mcap_testdata/BasicMsg b\n\n" + Sep + "\nMSG: rosbag2_storage_mcap_testdata/BasicMsg\nfloat32 c\n", full);
    }

    [Fact]
    public void LogFullDefinitionIsItsTextThenTime()
    {
        var log = MessageRegistry.Get("rcl_interfaces/msg/Log");
        var time = MessageRegistry.Get("builtin_interfaces/msg/Time");
        Assert.Equal(log.Text + "\n" + Sep + "\nMSG: builtin_interfaces/Time\n" + time.Text, log.FullDefinition);
    }

    [Fact]
    public void Detection2DArrayDefinitionHasEveryDependencyOnceInDepthFirstSortedOrder()
    {
        var full = Detection2DArray.Type.FullDefinition;
        var blocks = full.Split("\n" + Sep + "\n");
        Assert.Equal(Detection2DArray.Type.Text, blocks[0]);
        var names = blocks.Skip(1).Select(b => b[..b.IndexOf('\n', StringComparison.Ordinal)]).ToArray();
        string[] expected =
        [
            // Detection2DArray's deps sorted: std_msgs/Header, vision_msgs/Detection2D; each followed by its own.
            "MSG: std_msgs/Header", "MSG: builtin_interfaces/Time",
            "MSG: vision_msgs/Detection2D", "MSG: vision_msgs/BoundingBox2D", "MSG: vision_msgs/Pose2D", "MSG: vision_msgs/Point2D",
            "MSG: vision_msgs/ObjectHypothesisWithPose", "MSG: geometry_msgs/PoseWithCovariance", "MSG: geometry_msgs/Pose",
            "MSG: geometry_msgs/Point", "MSG: geometry_msgs/Quaternion", "MSG: vision_msgs/ObjectHypothesis",
        ];
        Assert.Equal(expected, names);
        foreach (var block in blocks.Skip(1))
        {
            string name = block["MSG: ".Length..block.IndexOf('\n', StringComparison.Ordinal)];
            Assert.Equal(MessageRegistry.Get(name).Text, block[(block.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        }
    }

    [Fact]
    public void DependenciesAreParsedFromFieldLinesOnly()
    {
        Assert.Equal(["std_msgs/Header"], Image.Type.Dependencies);
        Assert.Equal(["geometry_msgs/PoseWithCovariance", "vision_msgs/ObjectHypothesis"], ObjectHypothesisWithPose.Type.Dependencies);
        Assert.Empty(MessageRegistry.Get("geometry_msgs/msg/Quaternion").Dependencies); // "float64 x 0" has a default, not a type
        Assert.Equal(["rmw_dds_common/Gid"], NodeEntitiesInfo.TypeFor(GidLayout.Humble24).Dependencies); // string<=256 is no type
        Assert.Equal(["rospartseg/PartRegion", "rospartseg/Person", "std_msgs/Header"], PartRegionArrayMessage.Type.Dependencies);
    }

    [Theory]
    [InlineData("sensor_msgs/msg/Image", "sensor_msgs::msg::dds_::Image_")]
    [InlineData("sensor_msgs/CompressedImage", "sensor_msgs::msg::dds_::CompressedImage_")]
    [InlineData("vision_msgs/msg/Detection2DArray", "vision_msgs::msg::dds_::Detection2DArray_")]
    [InlineData("vision_msgs/msg/LabelInfo", "vision_msgs::msg::dds_::LabelInfo_")]
    [InlineData("diagnostic_msgs/msg/DiagnosticArray", "diagnostic_msgs::msg::dds_::DiagnosticArray_")]
    [InlineData("rmw_dds_common/msg/ParticipantEntitiesInfo", "rmw_dds_common::msg::dds_::ParticipantEntitiesInfo_")]
    [InlineData("rospartseg/msg/PartRegionArray", "rospartseg::msg::dds_::PartRegionArray_")]
    [InlineData("std_msgs/msg/String", "std_msgs::msg::dds_::String_")]
    [InlineData("rcl_interfaces/msg/Log", "rcl_interfaces::msg::dds_::Log_")]
    public void RegistryGivesDdsNames(string rosName, string ddsName)
    {
        Assert.True(MessageRegistry.TryGet(rosName, out var type));
        Assert.Equal(ddsName, type.DdsName);
        Assert.Equal(MessageDefinitions.ToShortName(rosName), type.ShortName);
    }

    [Fact]
    public void UnknownTypesAreNotFound()
    {
        Assert.False(MessageRegistry.TryGet("tf2_msgs/msg/TFMessage", out _));
        var e = Assert.Throws<KeyNotFoundException>(() => MessageRegistry.Get("tf2_msgs/msg/TFMessage"));
        Assert.Contains("tf2_msgs/msg/TFMessage", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRegisteredTypeResolvesAllItsDependencies()
    {
        foreach (var type in MessageRegistry.All)
        {
            foreach (var dep in type.Dependencies)
            {
                Assert.True(MessageRegistry.TryGet(dep, out _), $"{type} needs {dep}");
                Assert.Contains("\nMSG: " + dep + "\n", type.FullDefinition, StringComparison.Ordinal);
            }
        }
        Assert.Equal(48, MessageRegistry.All.Count()); // 45 upstream types and 3 of the project
    }

    [Fact]
    public void GidLayoutSelectsTheDistroDefinition()
    {
        var humble = ParticipantEntitiesInfo.TypeFor(GidLayout.Humble24).FullDefinition;
        var jazzy = ParticipantEntitiesInfo.TypeFor(GidLayout.Jazzy16).FullDefinition;
        Assert.Contains("MSG: rmw_dds_common/Gid\nchar[24] data\n", humble, StringComparison.Ordinal);
        Assert.Contains("MSG: rmw_dds_common/Gid\nchar[16] data\n", jazzy, StringComparison.Ordinal);
        Assert.Same(MessageRegistry.Get("rmw_dds_common/msg/Gid"), Gid.TypeFor(GidLayout.Humble24));
    }

    [Fact]
    public void ProjectMessagesCarryTheFieldsRobotCodeNeeds()
    {
        var region = PartRegionMessage.Type.Text;
        foreach (var field in new[] { "uint16 class_id", "string class_name", "uint16 person_id", "sensor_msgs/RegionOfInterest box",
                     "uint32 pixel_count", "float32 centroid_x", "float32 centroid_y", "float32 score" })
        {
            Assert.Contains("\n" + field + "\n", region, StringComparison.Ordinal);
        }
        var array = PartRegionArrayMessage.Type.FullDefinition;
        Assert.StartsWith(PartRegionArrayMessage.Type.Text, array, StringComparison.Ordinal);
        foreach (var dep in new[] { "rospartseg/PartRegion", "rospartseg/Person", "sensor_msgs/RegionOfInterest", "std_msgs/Header", "builtin_interfaces/Time" })
        {
            // Exactly one block per dependency.
            Assert.Equal(2, array.Split("\nMSG: " + dep + "\n").Length);
        }
    }

    [Fact]
    public void ProjectMessageTextsAreTheFilesInMsg()
    {
        var msgDir = Path.Combine(RepoRoot(), "msg");
        foreach (var name in new[] { "PartRegion", "Person", "PartRegionArray" })
        {
            var onDisk = File.ReadAllText(Path.Combine(msgDir, name + ".msg"));
            Assert.Equal(onDisk, MessageRegistry.Get("rospartseg/msg/" + name).Text);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RosPartSeg.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("repository root (RosPartSeg.sln) not found");
    }
}

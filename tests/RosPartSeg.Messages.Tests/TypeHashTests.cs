using RosPartSeg.Messages.Rmw;

namespace RosPartSeg.Messages.Tests;

/// <summary>
/// RIHS01 hashes checked against values published upstream: rosidl-generated <c>*__description.c</c> files of
/// Jazzy-era builds (sensor_msgs, vision_msgs 4.x, diagnostic_msgs, rmw_dds_common) and the rmw_zenoh design
/// document's <c>std_msgs/msg/String</c> example.
/// </summary>
public sealed class TypeHashTests
{
    [Theory]
    [InlineData("std_msgs/msg/String", "RIHS01_df668c740482bbd48fb39d76a70dfd4bd59db1288021743503259e948f6b1a18")]
    [InlineData("builtin_interfaces/msg/Time", "RIHS01_b106235e25a4c5ed35098aa0a61a3ee9c9b18d197f398b0e4206cea9acf9c197")]
    [InlineData("std_msgs/msg/Header", "RIHS01_f49fb3ae2cf070f793645ff749683ac6b06203e41c891e17701b1cb597ce6a01")]
    [InlineData("diagnostic_msgs/msg/KeyValue", "RIHS01_d68081eaa540288c5440753baecef0c4e16e81a5f78ad68902ded5100413bb42")]
    [InlineData("diagnostic_msgs/msg/DiagnosticArray", "RIHS01_5a8a36efb05fb25070fa0fb3810290c0e6cd4862b54a8fb975a1ee8dc55a333e")]
    [InlineData("sensor_msgs/msg/Image", "RIHS01_d31d41a9a4c4bc8eae9be757b0beed306564f7526c88ea6a4588fb9582527d47")]
    [InlineData("sensor_msgs/msg/CompressedImage", "RIHS01_15640771531571185e2efc8a100baf923961a4d15d5569652e6cb6691e8e371a")]
    [InlineData("sensor_msgs/msg/RegionOfInterest", "RIHS01_ad16bcba5f9131dcdba6fbded19f726f5440e3c513b4fb586dd3027eeed8abb1")]
    [InlineData("vision_msgs/msg/Detection2DArray", "RIHS01_2142741200 07f4a683866481336b70310268cfa107aebe9d594a6acf75bda968")]
    [InlineData("vision_msgs/msg/LabelInfo", "RIHS01_3d37df4015cdf660cc851c51897f2acd957e1ca6205ba0a99aebffb9406b0783")]
    public void HashesMatchUpstream(string type, string expected)
        => Assert.Equal(expected.Replace(" ", "", StringComparison.Ordinal), MessageRegistry.Get(type).TypeHash);

    [Fact]
    public void RmwDdsCommonHashesMatchJazzyWithTheSixteenByteGid()
    {
        Assert.Equal("RIHS01_ab6f21cfbb0a6dbb837161e1110c2051a2850ed9f9c53944d7115d9bcebedf71", Gid.TypeFor(GidLayout.Jazzy16).TypeHash);
        Assert.Equal("RIHS01_8ffef65ee2d088c63b1e8fcd31e800ba9fc8dbe0ee15ca60d1676de5218087a7", NodeEntitiesInfo.TypeFor(GidLayout.Jazzy16).TypeHash);
        Assert.Equal("RIHS01_91a0593bacdcc50ea9bdcf849a938b128412cc1ea821245c663bcd26f83c295e", ParticipantEntitiesInfo.TypeFor(GidLayout.Jazzy16).TypeHash);
        Assert.NotEqual(Gid.TypeFor(GidLayout.Jazzy16).TypeHash, Gid.TypeFor(GidLayout.Humble24).TypeHash);
    }

    [Fact]
    public void CommentsConstantsAndDefaultsDoNotChangeTheHash()
    {
        var plain = new Dictionary<string, string> { ["p/A"] = "int32 sec\nuint32 nanosec\n" };
        var decorated = new Dictionary<string, string> { ["p/A"] = "# comment\nuint8 K=3\nint32 sec 5 # default and comment\n\nuint32 nanosec\n" };
        var renamed = new Dictionary<string, string> { ["p/A"] = "int32 secs\nuint32 nanosec\n" };
        string hash = TypeHashes.Compute("p/A", k => plain.GetValueOrDefault(k));
        Assert.Equal(hash, TypeHashes.Compute("p/msg/A", k => decorated.GetValueOrDefault(k)));
        Assert.NotEqual(hash, TypeHashes.Compute("p/A", k => renamed.GetValueOrDefault(k)));
        // The type's name is part of what is hashed.
        Assert.NotEqual(hash, TypeHashes.Compute("q/A", k => k == "q/A" ? plain["p/A"] : null));
    }

    [Fact]
    public void EveryRegisteredTypeHasAHash()
    {
        foreach (var type in MessageRegistry.All)
        {
            Assert.Matches("^RIHS01_[0-9a-f]{64}$", type.TypeHash);
        }
    }
}

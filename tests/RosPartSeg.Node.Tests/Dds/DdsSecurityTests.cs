using RosPartSeg.Dds;

namespace RosPartSeg.Node.Tests.Dds;

/// <summary>SROS2 environment parsing and the participant properties, without DDS.</summary>
public sealed class DdsSecurityTests : IDisposable
{
    private static readonly string[] EnclaveFiles =
        ["identity_ca.cert.pem", "cert.pem", "key.pem", "permissions_ca.cert.pem", "governance.p7s", "permissions.p7s"];

    private readonly string _keystore = Directory.CreateTempSubdirectory("rospartseg-sec-").FullName;

    public void Dispose() => Directory.Delete(_keystore, recursive: true);

    [Fact]
    public void SecurityIsOffUnlessEnableIsExactlyTrue()
    {
        foreach (var v in new string?[] { null, "", "false", "True", "1" })
        {
            var s = Parse("/", new() { ["ROS_SECURITY_ENABLE"] = v, ["ROS_SECURITY_STRATEGY"] = "Enforce" });
            Assert.False(s.Enabled);
            Assert.Empty(s.Properties);
            Assert.Equal("enclave=/;", s.UserData);
        }
    }

    [Fact]
    public void AllFilesGiveRmwCycloneddsPropertiesWithFileUris()
    {
        var dir = MakeEnclave("/robot/part_segmenter");
        var s = Parse("/robot/part_segmenter", Env("Enforce"));
        Assert.True(s.Active);
        Assert.Equal(Path.Combine(_keystore, "enclaves", "robot", "part_segmenter"), s.EnclaveDirectory);
        Assert.Equal("enclave=/robot/part_segmenter;", s.UserData);
        var p = s.Properties.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("file:" + Path.Combine(dir, "identity_ca.cert.pem"), p["dds.sec.auth.identity_ca"]);
        Assert.Equal("file:" + Path.Combine(dir, "cert.pem"), p["dds.sec.auth.identity_certificate"]);
        Assert.Equal("file:" + Path.Combine(dir, "key.pem"), p["dds.sec.auth.private_key"]);
        Assert.Equal("file:" + Path.Combine(dir, "permissions_ca.cert.pem"), p["dds.sec.access.permissions_ca"]);
        Assert.Equal("file:" + Path.Combine(dir, "governance.p7s"), p["dds.sec.access.governance"]);
        Assert.Equal("file:" + Path.Combine(dir, "permissions.p7s"), p["dds.sec.access.permissions"]);
        Assert.Equal(("dds_security_auth", "init_authentication", "finalize_authentication"),
            (p["dds.sec.auth.library.path"], p["dds.sec.auth.library.init"], p["dds.sec.auth.library.finalize"]));
        Assert.Equal(("dds_security_crypto", "init_crypto", "finalize_crypto"),
            (p["dds.sec.crypto.library.path"], p["dds.sec.crypto.library.init"], p["dds.sec.crypto.library.finalize"]));
        Assert.Equal(("dds_security_ac", "init_access_control", "finalize_access_control"),
            (p["dds.sec.access.library.path"], p["dds.sec.access.library.init"], p["dds.sec.access.library.finalize"]));
        Assert.Equal(15, p.Count);
        Assert.DoesNotContain("org.eclipse.cyclonedds.sec.auth.crl", p.Keys);
        Assert.Contains("security on (Enforce)", s.Describe(), StringComparison.Ordinal);
        Assert.Contains(_keystore, s.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ACrlIsPassedWhenPresent()
    {
        var dir = MakeEnclave("/n");
        File.WriteAllText(Path.Combine(dir, "crl.pem"), "x");
        var p = Parse("/n", Env("Enforce")).Properties.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("file:" + Path.Combine(dir, "crl.pem"), p["org.eclipse.cyclonedds.sec.auth.crl"]);
    }

    [Fact]
    public void TheRootEnclaveIsTheEnclavesFolderAndTheOverrideWins()
    {
        Assert.Equal(Path.Combine("/k", "enclaves"), DdsSecurity.EnclavePath("/k", "/"));
        MakeEnclave("/other");
        var env = Env("Enforce");
        env["ROS_SECURITY_ENCLAVE_OVERRIDE"] = "/other";
        var s = Parse("/", env);
        Assert.True(s.Active);
        Assert.Equal(Path.Combine(_keystore, "enclaves", "other"), s.EnclaveDirectory);
        Assert.Equal("enclave=/;", s.UserData); // rcl keeps the --enclave name; the override only picks the files
    }

    [Fact]
    public void EnforceWithAMissingFileRefusesNamingIt()
    {
        var dir = MakeEnclave("/n");
        File.Delete(Path.Combine(dir, "permissions.p7s"));
        var e = Assert.Throws<DdsSecurityException>(() => Parse("/n", Env("Enforce")));
        Assert.Contains(Path.Combine(dir, "permissions.p7s"), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("governance.p7s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnforceWithoutKeystoreOrEnclaveDirectoryRefusesNamingIt()
    {
        var env = Env("Enforce");
        env["ROS_SECURITY_KEYSTORE"] = null;
        Assert.Contains("ROS_SECURITY_KEYSTORE", Assert.Throws<DdsSecurityException>(() => Parse("/n", env)).Message, StringComparison.Ordinal);
        var e = Assert.Throws<DdsSecurityException>(() => Parse("/absent", Env("Enforce")));
        Assert.Contains(Path.Combine(_keystore, "enclaves", "absent"), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Permissive")]
    [InlineData(null)]
    public void PermissiveWithMissingFilesRunsUnsecuredAndSaysWhy(string? strategy)
    {
        var dir = MakeEnclave("/n");
        File.Delete(Path.Combine(dir, "key.pem"));
        var s = Parse("/n", Env(strategy));
        Assert.True(s.Enabled);
        Assert.False(s.Active);
        Assert.Empty(s.Properties);
        Assert.Equal(DdsSecurityStrategy.Permissive, s.Strategy);
        Assert.Equal([Path.Combine(dir, "key.pem")], s.Missing);
        Assert.Contains("running unsecured", s.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("enforce")]
    [InlineData("Strict")]
    public void AMisspeltStrategyIsAnError(string strategy)
    {
        MakeEnclave("/n");
        var e = Assert.Throws<DdsSecurityException>(() => Parse("/n", Env(strategy)));
        Assert.Contains($"ROS_SECURITY_STRATEGY='{strategy}'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relative")]
    [InlineData("/a/../b")]
    [InlineData("/trailing/")]
    public void EnclaveNamesMustBeAbsoluteRosNames(string enclave)
    {
        Assert.Throws<DdsSecurityException>(() => Parse(enclave, Env("Enforce")));
        var env = Env("Enforce");
        env["ROS_SECURITY_ENCLAVE_OVERRIDE"] = enclave;
        Assert.Contains("ROS_SECURITY_ENCLAVE_OVERRIDE", Assert.Throws<DdsSecurityException>(() => Parse("/", env)).Message, StringComparison.Ordinal);
        Assert.Throws<RosArgumentException>(() => RosArguments.Parse(["--ros-args", "--enclave", enclave]));
    }

    [Fact]
    public void TheEnclaveArgumentIsParsed()
    {
        Assert.Equal("/", RosArguments.Parse([]).Enclave);
        Assert.Equal("/robot/seg", RosArguments.Parse(["--ros-args", "--enclave", "/robot/seg"]).Enclave);
        Assert.Equal("/e", RosArguments.Parse(["--ros-args", "-e", "/e", "--", "x"]).Enclave);
    }

    private static DdsSecurity Parse(string enclave, Dictionary<string, string?> env) =>
        DdsSecurity.FromEnvironment(enclave, k => env.GetValueOrDefault(k));

    private Dictionary<string, string?> Env(string? strategy) => new()
    {
        ["ROS_SECURITY_ENABLE"] = "true",
        ["ROS_SECURITY_STRATEGY"] = strategy,
        ["ROS_SECURITY_KEYSTORE"] = _keystore,
    };

    private string MakeEnclave(string enclave)
    {
        var dir = DdsSecurity.EnclavePath(_keystore, enclave);
        Directory.CreateDirectory(dir);
        foreach (var f in EnclaveFiles)
        {
            File.WriteAllText(Path.Combine(dir, f), "x");
        }

        return dir;
    }
}

using System.Diagnostics;
using RosPartSeg.Dds;

namespace RosPartSeg.Node.Tests.Live;

/// <summary>
/// An SROS2 keystore in a temporary folder, made with the openssl command line in the layout of
/// <c>ros2 security create_keystore</c> / <c>create_enclave</c>: one EC P-256 CA that is both identity and
/// permissions CA, and per enclave <c>enclaves/&lt;name&gt;/</c> with cert.pem, key.pem, both CA certificates and
/// governance/permissions documents signed as S/MIME (<c>openssl smime -sign -text</c>, as sros2 signs them).
/// </summary>
internal sealed class TestKeystore : IDisposable
{
    private const string Governance = """
        <?xml version="1.0" encoding="UTF-8"?>
        <dds xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.omg.org/spec/DDS-Security/20170801/omg_shared_ca_governance.xsd">
          <domain_access_rules>
            <domain_rule>
              <domains><id_range><min>0</min><max>230</max></id_range></domains>
              <allow_unauthenticated_participants>false</allow_unauthenticated_participants>
              <enable_join_access_control>true</enable_join_access_control>
              <discovery_protection_kind>ENCRYPT</discovery_protection_kind>
              <liveliness_protection_kind>ENCRYPT</liveliness_protection_kind>
              <rtps_protection_kind>SIGN</rtps_protection_kind>
              <topic_access_rules>
                <topic_rule>
                  <topic_expression>*</topic_expression>
                  <enable_discovery_protection>true</enable_discovery_protection>
                  <enable_liveliness_protection>true</enable_liveliness_protection>
                  <enable_read_access_control>true</enable_read_access_control>
                  <enable_write_access_control>true</enable_write_access_control>
                  <metadata_protection_kind>ENCRYPT</metadata_protection_kind>
                  <data_protection_kind>ENCRYPT</data_protection_kind>
                </topic_rule>
              </topic_access_rules>
            </domain_rule>
          </domain_access_rules>
        </dds>
        """;

    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(20);

    private int _serial;

    /// <summary>Creates the keystore with its CA (named <paramref name="caName"/>) under a new temporary folder.</summary>
    public TestKeystore(string caName = "rospartseg test CA")
    {
        Root = Directory.CreateTempSubdirectory("rospartseg-keystore-").FullName;
        MakeCa(caName);
    }

    /// <summary>The keystore folder (ROS_SECURITY_KEYSTORE).</summary>
    public string Root { get; }

    /// <summary>The CA's private key and certificate (private/ca.key.pem, public/ca.cert.pem).</summary>
    public string CaKey => Path.Combine(Root, "private", "ca.key.pem");

    public string CaCert => Path.Combine(Root, "public", "ca.cert.pem");

    /// <summary>
    /// Creates <c>enclaves/&lt;enclave&gt;</c>: a certificate with subject <c>CN=&lt;enclave&gt;</c> signed by
    /// <paramref name="signer"/> (this keystore's CA unless given, e.g. another keystore's), valid from
    /// <paramref name="notBefore"/> to <paramref name="notAfter"/> (default: a day ago to a year ahead), and
    /// permissions to publish and subscribe the DDS topic expressions given (<c>*</c> for all).
    /// </summary>
    public string AddEnclave(string enclave, string publish = "*", string subscribe = "*", TestKeystore? signer = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var dir = DdsSecurity.EnclavePath(Root, enclave);
        Directory.CreateDirectory(dir);
        var by = signer ?? this;
        OpenSsl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem");
        OpenSsl(dir, "req", "-new", "-key", "key.pem", "-out", "req.csr", "-subj", "/CN=" + enclave.Replace("/", "\\/", StringComparison.Ordinal));
        by.Sign(Path.Combine(dir, "req.csr"), Path.Combine(dir, "cert.pem"),
            notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(365));
        File.Delete(Path.Combine(dir, "req.csr"));
        File.Copy(CaCert, Path.Combine(dir, "identity_ca.cert.pem"));
        File.Copy(CaCert, Path.Combine(dir, "permissions_ca.cert.pem"));
        SignDocument(Governance, Path.Combine(dir, "governance.p7s"));
        SignDocument(Permissions(enclave, publish, subscribe), Path.Combine(dir, "permissions.p7s"));
        return dir;
    }

    /// <summary>The environment that makes a node use <paramref name="enclave"/> of this keystore.</summary>
    public Dictionary<string, string> Environment(string strategy = "Enforce") => new()
    {
        ["ROS_SECURITY_ENABLE"] = "true",
        ["ROS_SECURITY_STRATEGY"] = strategy,
        ["ROS_SECURITY_KEYSTORE"] = Root,
    };

    /// <summary>The security settings of <paramref name="enclave"/>, for a peer in this process.</summary>
    public DdsSecurity SecurityFor(string enclave)
    {
        var env = Environment();
        return DdsSecurity.FromEnvironment(enclave, k => env.GetValueOrDefault(k));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Permissions(string enclave, string publish, string subscribe) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <dds xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.omg.org/spec/DDS-Security/20170801/omg_shared_ca_permissions.xsd">
          <permissions>
            <grant name="{enclave}">
              <subject_name>CN={enclave}</subject_name>
              <validity><not_before>2020-01-01T00:00:00</not_before><not_after>2100-01-01T00:00:00</not_after></validity>
              <allow_rule>
                <domains><id_range><min>0</min><max>230</max></id_range></domains>
                <publish><topics><topic>{publish}</topic></topics></publish>
                <subscribe><topics><topic>{subscribe}</topic></topics></subscribe>
              </allow_rule>
              <default>DENY</default>
            </grant>
          </permissions>
        </dds>
        """;

    private static void OpenSsl(string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo("openssl") { WorkingDirectory = workDir, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start openssl");
        var err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(CommandLimit))
        {
            p.Kill();
            throw new TimeoutException("openssl " + string.Join(' ', args) + " did not finish");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
        }
    }

    private static string Date(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMddHHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private void MakeCa(string name)
    {
        var ca = Path.Combine(Root, ".ca"); // keeps `openssl ca`'s bookkeeping out of the keystore layout
        Directory.CreateDirectory(Path.Combine(Root, "private"));
        Directory.CreateDirectory(Path.Combine(Root, "public"));
        Directory.CreateDirectory(Path.Combine(Root, "enclaves"));
        Directory.CreateDirectory(ca);
        OpenSsl(Root, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "private/ca.key.pem");
        OpenSsl(Root, "req", "-x509", "-new", "-key", "private/ca.key.pem", "-out", "public/ca.cert.pem", "-days", "365", "-sha256", "-subj", "/CN=" + name);
        File.WriteAllText(Path.Combine(ca, "index.txt"), "");
        File.WriteAllText(Path.Combine(ca, "ca.cnf"), """
            [ca]
            default_ca = test_ca
            [test_ca]
            database = index.txt
            serial = serial
            new_certs_dir = .
            default_md = sha256
            policy = any_cn
            unique_subject = no
            [any_cn]
            commonName = supplied
            """);
    }

    // `openssl ca` rather than `x509 -req`: only it takes an explicit validity window (for expired certificates).
    private void Sign(string csr, string cert, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var ca = Path.Combine(Root, ".ca");
        var serial = Interlocked.Increment(ref _serial);
        File.WriteAllText(Path.Combine(ca, "serial"), serial.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + "\n");
        OpenSsl(ca, "ca", "-batch", "-config", "ca.cnf", "-cert", CaCert, "-keyfile", CaKey, "-in", csr, "-out", cert,
            "-startdate", Date(notBefore), "-enddate", Date(notAfter), "-notext");
    }

    private void SignDocument(string xml, string p7s)
    {
        var plain = Path.ChangeExtension(p7s, ".xml"); // sros2 keeps the plain document next to the signed one
        File.WriteAllText(plain, xml);
        OpenSsl(Path.GetDirectoryName(p7s)!, "smime", "-sign", "-text", "-in", plain, "-out", p7s, "-signer", CaCert, "-inkey", CaKey);
    }
}

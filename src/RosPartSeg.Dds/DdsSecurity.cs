using RosPartSeg.Node;

namespace RosPartSeg.Dds;

/// <summary>What to do when security is enabled but the enclave's files are missing (ROS_SECURITY_STRATEGY).</summary>
public enum DdsSecurityStrategy
{
    /// <summary>Run without security, with a warning (rcl's default).</summary>
    Permissive,

    /// <summary>Refuse to start.</summary>
    Enforce,
}

/// <summary>Security is enforced but the enclave cannot be used; the message names what is missing.</summary>
public sealed class DdsSecurityException : Exception
{
    public DdsSecurityException()
    {
    }

    public DdsSecurityException(string message)
        : base(message)
    {
    }

    public DdsSecurityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// SROS2 for the Cyclone participant, as rcl and rmw_cyclonedds do it: ROS_SECURITY_ENABLE=true turns it on,
/// the enclave directory is <c>$ROS_SECURITY_KEYSTORE/enclaves/&lt;enclave&gt;</c> (the enclave from
/// <c>--enclave</c>, or ROS_SECURITY_ENCLAVE_OVERRIDE), and its files become the participant's <c>dds.sec.*</c>
/// properties, which load Cyclone's built-in authentication, access control and crypto plugins.
/// </summary>
public sealed class DdsSecurity
{
    /// <summary>The files <c>ros2 security create_enclave</c> writes, keyed by the property each one feeds.</summary>
    public static readonly IReadOnlyList<(string Property, string File)> RequiredFiles =
    [
        ("dds.sec.auth.identity_ca", "identity_ca.cert.pem"),
        ("dds.sec.auth.identity_certificate", "cert.pem"),
        ("dds.sec.auth.private_key", "key.pem"),
        ("dds.sec.access.permissions_ca", "permissions_ca.cert.pem"),
        ("dds.sec.access.governance", "governance.p7s"),
        ("dds.sec.access.permissions", "permissions.p7s"),
    ];

    /// <summary>The environment variables that decide SROS2 (rcl's names).</summary>
    public static readonly IReadOnlyList<string> EnvironmentVariables =
        ["ROS_SECURITY_ENABLE", "ROS_SECURITY_STRATEGY", "ROS_SECURITY_KEYSTORE", "ROS_SECURITY_ENCLAVE_OVERRIDE"];

    /// <summary>The optional revocation list and the (Cyclone-specific) property rmw_cyclonedds gives it.</summary>
    public static readonly (string Property, string File) CrlFile = ("org.eclipse.cyclonedds.sec.auth.crl", "crl.pem");

    // The plugin names rmw_cyclonedds uses. Cyclone adds lib/.so itself and searches the loader path; Debian's build
    // also looks in /usr/lib/<triplet>/libddsc0debian, where libddsc0debian puts them.
    private static readonly (string Property, string Value)[] Plugins =
    [
        ("dds.sec.auth.library.path", "dds_security_auth"),
        ("dds.sec.auth.library.init", "init_authentication"),
        ("dds.sec.auth.library.finalize", "finalize_authentication"),
        ("dds.sec.crypto.library.path", "dds_security_crypto"),
        ("dds.sec.crypto.library.init", "init_crypto"),
        ("dds.sec.crypto.library.finalize", "finalize_crypto"),
        ("dds.sec.access.library.path", "dds_security_ac"),
        ("dds.sec.access.library.init", "init_access_control"),
        ("dds.sec.access.library.finalize", "finalize_access_control"),
    ];

    private DdsSecurity(string enclave, bool enabled, DdsSecurityStrategy strategy, string? keystore, string? directory,
        IReadOnlyList<string> missing, IReadOnlyList<KeyValuePair<string, string>> properties)
    {
        Enclave = enclave;
        Enabled = enabled;
        Strategy = strategy;
        Keystore = keystore;
        EnclaveDirectory = directory;
        Missing = missing;
        Properties = properties;
    }

    /// <summary>Security off: no properties.</summary>
    public static DdsSecurity Off { get; } = new("/", false, DdsSecurityStrategy.Permissive, null, null, [], []);

    /// <summary>The enclave name (from <c>--enclave</c>, default <c>/</c>); it goes into the participant's USER_DATA.</summary>
    public string Enclave { get; }

    /// <summary>ROS_SECURITY_ENABLE is <c>true</c>.</summary>
    public bool Enabled { get; }

    public DdsSecurityStrategy Strategy { get; }

    public string? Keystore { get; }

    /// <summary>Where the enclave's files are looked for; null when the keystore is not set.</summary>
    public string? EnclaveDirectory { get; }

    /// <summary>What is missing (the keystore variable, the directory or files, as paths); empty when all is there.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>The participant properties; empty unless security is on and every file is there.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; }

    /// <summary>Security is enabled and every file was found: the participant is created with <see cref="Properties"/>.</summary>
    public bool Active => Properties.Count > 0;

    /// <summary>The USER_DATA rmw gives its participant.</summary>
    public string UserData => $"enclave={Enclave};";

    /// <summary>Reads the process environment; see <see cref="FromEnvironment(string, Func{string, string?})"/>.</summary>
    public static DdsSecurity FromEnvironment(string enclave) => FromEnvironment(enclave, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Decides from ROS_SECURITY_* (read through <paramref name="env"/>) for <paramref name="enclave"/>. Enforce with
    /// anything missing throws <see cref="DdsSecurityException"/> naming it; Permissive returns a config with
    /// <see cref="Missing"/> set and no properties (run unsecured, warn).
    /// </summary>
    public static DdsSecurity FromEnvironment(string enclave, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        CheckEnclaveName(enclave, "--enclave");

        // rcl turns security on only for the exact value "true" and enforces only for the exact value "Enforce".
        // A misspelt strategy is an error here rather than a silent Permissive: it is a security switch.
        if (env("ROS_SECURITY_ENABLE") != "true")
        {
            return new DdsSecurity(enclave, false, DdsSecurityStrategy.Permissive, null, null, [], []);
        }

        var strategy = env("ROS_SECURITY_STRATEGY") switch
        {
            null or "" or "Permissive" => DdsSecurityStrategy.Permissive,
            "Enforce" => DdsSecurityStrategy.Enforce,
            var s => throw new DdsSecurityException($"ROS_SECURITY_STRATEGY='{s}' is neither 'Enforce' nor 'Permissive'"),
        };

        var keystore = env("ROS_SECURITY_KEYSTORE");
        if (string.IsNullOrEmpty(keystore))
        {
            return Incomplete(enclave, strategy, null, null, ["ROS_SECURITY_KEYSTORE (not set)"]);
        }

        var lookup = env("ROS_SECURITY_ENCLAVE_OVERRIDE") is { Length: > 0 } o ? o : enclave;
        CheckEnclaveName(lookup, "ROS_SECURITY_ENCLAVE_OVERRIDE");
        var dir = EnclavePath(keystore, lookup);
        if (!Directory.Exists(dir))
        {
            return Incomplete(enclave, strategy, keystore, dir, [dir + " (enclave directory)"]);
        }

        var missing = RequiredFiles.Select(f => Path.Combine(dir, f.File)).Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            return Incomplete(enclave, strategy, keystore, dir, missing);
        }

        return new DdsSecurity(enclave, true, strategy, keystore, dir, [], BuildProperties(dir));
    }

    /// <summary><c>&lt;keystore&gt;/enclaves/&lt;enclave without its leading slash&gt;</c> (the root enclave is <c>enclaves</c> itself).</summary>
    public static string EnclavePath(string keystore, string enclave) =>
        enclave == "/" ? Path.Combine(keystore, "enclaves") : Path.Combine([keystore, "enclaves", .. enclave[1..].Split('/')]);

    /// <summary>The properties rmw_cyclonedds sets for the enclave in <paramref name="directory"/> (file: URIs).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> BuildProperties(string directory)
    {
        var full = Path.GetFullPath(directory);
        var props = RequiredFiles.Select(f => KeyValuePair.Create(f.Property, FileUri(Path.Combine(full, f.File)))).ToList();
        props.AddRange(Plugins.Select(p => KeyValuePair.Create(p.Property, p.Value)));
        var crl = Path.Combine(full, CrlFile.File);
        if (File.Exists(crl))
        {
            props.Add(KeyValuePair.Create(CrlFile.Property, FileUri(crl)));
        }

        return props;
    }

    /// <summary>One line for the start-up log.</summary>
    public string Describe() => !Enabled
        ? "security off (ROS_SECURITY_ENABLE is not 'true')"
        : Active
            ? $"security on ({Strategy}): enclave {Enclave}, keystore {Keystore}, files from {EnclaveDirectory}"
            : $"security NOT active ({Strategy}, enclave {Enclave}, keystore {Keystore ?? "not set"}): missing {string.Join(", ", Missing)}; running unsecured";

    // Cyclone reads "file:" + an absolute path, as rmw passes it (no host part, no escaping).
    private static string FileUri(string path) => "file:" + path;

    private static DdsSecurity Incomplete(string enclave, DdsSecurityStrategy strategy, string? keystore, string? dir, IReadOnlyList<string> missing) =>
        strategy == DdsSecurityStrategy.Enforce
            ? throw new DdsSecurityException($"ROS_SECURITY_STRATEGY=Enforce and enclave {enclave} cannot be used: missing {string.Join(", ", missing)}")
            : new DdsSecurity(enclave, true, strategy, keystore, dir, missing, []);

    // Enclave names are absolute ROS names (like namespaces); anything else could point outside the keystore.
    private static void CheckEnclaveName(string name, string source)
    {
        if (!RosNames.IsValidNamespace(name))
        {
            throw new DdsSecurityException($"{source} '{name}' is not a valid enclave name (absolute, e.g. /part_segmenter)");
        }
    }
}

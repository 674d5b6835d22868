using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;

namespace RosPartSeg.Messages.Sensor;

/// <summary>How a fuzzed <c>sensor_msgs/Image</c> sample was made.</summary>
public enum FuzzKind
{
    /// <summary>Well-formed CDR whose width or height lies: zero, beyond the size limit, odd for YUV, larger than the data.</summary>
    LyingSize,

    /// <summary>Well-formed CDR whose step is shorter than a row or longer than the data holds.</summary>
    LyingStep,

    /// <summary>Well-formed CDR with an encoding the pipeline does not take.</summary>
    BadEncoding,

    /// <summary>A valid message cut short.</summary>
    TruncatedCdr,

    /// <summary>A valid message with bits flipped between the encapsulation header and the pixel data (stamp, frame id, sizes, encoding, lengths).</summary>
    BitFlippedCdr,

    /// <summary>Random bytes behind a valid encapsulation header.</summary>
    RandomBytes,
}

/// <summary>One malformed sample: its serialized bytes, how it was made, and why the node must refuse it.</summary>
public sealed record FuzzSample(byte[] Cdr, FuzzKind Kind, BadFrameCause Cause);

/// <summary>
/// Deterministic generator of malformed <c>sensor_msgs/Image</c> messages for fuzzing the node's input: the same
/// seed gives the same samples. Each sample is built from a small valid image and then broken in one of the
/// <see cref="FuzzKind"/> ways; it is decoded here as the node decodes it, and a mutation that happens to stay
/// valid (a flipped stamp bit, say) is replaced, so every sample is refused and <see cref="FuzzSample.Cause"/>
/// says under which cause. Samples are 4 bytes (a DDS sample's encapsulation header) to <see cref="MaxBytes"/> long.
/// </summary>
public sealed class ImageFuzzer
{
    private static readonly string[] GoodEncodings = ["rgb8", "bgr8", "rgba8", "bgra8", "mono8", "yuv422", "yuv422_yuy2"];

    private static readonly string[] BadEncodings =
        ["16UC1", "32FC1", "bayer_rggb8", "", "RGB8", "rgb8 ", "rgb16", "jpeg", "8UC3", "mono16", "nv12", "\u00e9\u00e9"];

    private static readonly int Kinds = Enum.GetValues<FuzzKind>().Length;

    private readonly Random _rng;
    private readonly CdrWriter _writer = new(1 << 16);
    private long _count;

    public ImageFuzzer(int seed, int maxBytes = 16384)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 256);
        _rng = new Random(seed);
        MaxBytes = maxBytes;
    }

    public int MaxBytes { get; }

    /// <summary>The next malformed sample; the kinds take turns, so each appears equally often.</summary>
    public FuzzSample Next()
    {
        var kind = (FuzzKind)(_count++ % Kinds);
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var bytes = Make(kind);
            if (Refusal(bytes) is { } cause)
            {
                return new FuzzSample(bytes, kind, cause);
            }
        }

        // Sixteen valid mutations in a row (practically never): a message too short to hold a header is always refused.
        var shortOne = new byte[] { 0, 1, 0, 0, (byte)_rng.Next(256) };
        return new FuzzSample(shortOne, FuzzKind.TruncatedCdr, Refusal(shortOne) ?? BadFrameCause.CdrMalformed);
    }

    /// <summary>Why the node refuses <paramref name="cdr"/> as an Image, or null when it is a valid frame.</summary>
    public static BadFrameCause? Refusal(byte[] cdr)
    {
        try
        {
            _ = ImageMessages.DecodeFrame(cdr);
            return null;
        }
#pragma warning disable CA1031 // any exception is a cause (processing_failed when it is none of the decoders')
        catch (Exception e)
#pragma warning restore CA1031
        {
            return BadFrameCauses.Of(e);
        }
    }

    private byte[] Make(FuzzKind kind) => kind switch
    {
        FuzzKind.LyingSize => LyingSize(),
        FuzzKind.LyingStep => LyingStep(),
        FuzzKind.BadEncoding => Valid(encoding: BadEncodings[_rng.Next(BadEncodings.Length)]),
        FuzzKind.TruncatedCdr => Truncated(),
        FuzzKind.BitFlippedCdr => BitFlipped(),
        _ => RandomBytes(),
    };

    /// <summary>A small image, valid unless a field is overridden: data is always step x height of the true size.</summary>
    private byte[] Valid(uint? width = null, uint? height = null, string? encoding = null, uint? step = null)
    {
        var w = _rng.Next(1, 48) * 2; // even, so YUV encodings are valid
        var h = _rng.Next(1, 32);
        var name = GoodEncodings[_rng.Next(GoodEncodings.Length)];
        var bpp = PixelEncodings.Parse(name).BytesPerPixel();
        var trueStep = (w * bpp) + _rng.Next(0, 8);
        var data = new byte[Math.Min(trueStep * h, MaxBytes - 128)];
        _rng.NextBytes(data);
        _writer.Reset();
        Image.Write(_writer, Timestamp.FromNanoseconds(_rng.NextInt64(0, 2_000_000_000_000_000_000L)), FrameId(),
            height ?? (uint)h, width ?? (uint)w, encoding ?? name, step ?? (uint)trueStep, data);
        return _writer.ToArray();
    }

    private string FrameId() => _rng.Next(4) switch
    {
        0 => "",
        1 => "camera_optical",
        2 => "cam" + _rng.Next(1000),
        _ => new string('f', _rng.Next(1, 300)),
    };

    private byte[] LyingSize() => _rng.Next(6) switch
    {
        0 => Valid(width: 0),
        1 => Valid(height: 0),
        2 => Valid(width: (uint)_rng.Next(ImageFrame.MaxSide + 1, 1 << 20)),
        3 => Valid(height: uint.MaxValue - (uint)_rng.Next(1000)),
        4 => Valid(width: (uint)(_rng.Next(1, 40) * 2) + 1, encoding: _rng.Next(2) == 0 ? "yuv422" : "yuv422_yuy2", step: 4096),
        _ => Valid(height: (uint)_rng.Next(200, 4000), step: 4096), // the data holds far fewer rows
    };

    private byte[] LyingStep() => _rng.Next(3) switch
    {
        0 => Valid(width: (uint)_rng.Next(8, 64), encoding: "rgb8", step: (uint)_rng.Next(0, 24)), // shorter than a row
        1 => Valid(step: (uint)_rng.Next(20_000, 1_000_000)), // longer than the data holds
        _ => Valid(step: uint.MaxValue - (uint)_rng.Next(1000)),
    };

    private byte[] Truncated()
    {
        var full = Valid();
        return full.AsSpan(0, _rng.Next(4, full.Length)).ToArray(); // DDS samples hold at least the encapsulation header
    }

    private byte[] BitFlipped()
    {
        var bytes = Valid();
        var prefix = bytes.Length - DataLength(bytes);
        for (int flips = _rng.Next(1, 5), i = 0; i < flips; i++)
        {
            var bit = _rng.Next(32, prefix * 8); // after the encapsulation header (see RandomBytes)
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        return bytes;
    }

    // The pixel data is the message's last field; its length is the uint32 just before it.
    private static int DataLength(byte[] valid)
    {
        var reader = new CdrReader(valid);
        var image = Image.Read(ref reader);
        return image.Data.Length + 4;
    }

    private byte[] RandomBytes()
    {
        // Behind a valid CDR little-endian encapsulation header: Cyclone DDS drops samples whose header it does not
        // accept (logging "malformed packet") before any reader sees them, so only those would test nothing here.
        var bytes = new byte[_rng.Next(4, Math.Min(4096, MaxBytes))];
        _rng.NextBytes(bytes);
        (bytes[0], bytes[1], bytes[2], bytes[3]) = ((byte)0, (byte)1, (byte)0, (byte)0);
        return bytes;
    }
}

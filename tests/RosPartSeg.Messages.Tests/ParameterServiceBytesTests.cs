using RosPartSeg.Core.Frames;
using RosPartSeg.Messages.Cdr;
using RosPartSeg.Messages.Rcl;
using RosPartSeg.Messages.Rmw;

namespace RosPartSeg.Messages.Tests;

/// <summary>
/// The rcl_interfaces parameter messages and the six services' requests and responses, against bytes written out by
/// hand from the XCDR1 rules (offsets in comments counted after the encapsulation header), and rmw_cyclonedds'
/// 16-byte request header in front of a payload.
/// </summary>
public sealed class ParameterServiceBytesTests
{
    private static readonly byte[] GetRequestWithHeader =
    [
        0x00, 0x01, 0x00, 0x00,                         // encapsulation
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // 0: guid 0x0102030405060708
        0x03, 0, 0, 0, 0, 0, 0, 0,                      // 8: sequence 3
        0x01, 0, 0, 0,                                  // 16: names: 1
        0x02, 0, 0, 0, (byte)'a', 0,                    // 20: "a"
    ];

    private static readonly byte[] ListRequest =
    [
        0x00, 0x01, 0x00, 0x00,
        0x01, 0, 0, 0,                     // 0: prefixes: 1
        0x03, 0, 0, 0, (byte)'a', (byte)'b', 0, // 4: "ab"
        0, 0, 0, 0, 0,                     // 11: padding to 16
        0x01, 0, 0, 0, 0, 0, 0, 0,         // 16: depth 1
    ];

    private static readonly byte[] ListResponse =
    [
        0x00, 0x01, 0x00, 0x00,
        0x01, 0, 0, 0,               // 0: names: 1
        0x02, 0, 0, 0, (byte)'x', 0, // 4: "x"
        0, 0,                        // 10: padding to 12
        0, 0, 0, 0,                  // 12: prefixes: 0
    ];

    private static readonly byte[] GetResponseDouble =
    [
        0x00, 0x01, 0x00, 0x00,
        0x01, 0, 0, 0,                                   // 0: values: 1
        0x03,                                            // 4: type DOUBLE
        0x00,                                            // 5: bool_value
        0, 0,                                            // 6: padding to 8
        0, 0, 0, 0, 0, 0, 0, 0,                          // 8: integer_value
        0, 0, 0, 0, 0, 0, 0xE0, 0x3F,                    // 16: double_value 0.5
        0x01, 0, 0, 0, 0,                                // 24: string_value ""
        0, 0, 0,                                         // 29: padding to 32
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 32: five empty arrays
    ];

    private static readonly byte[] SetRequest =
    [
        0x00, 0x01, 0x00, 0x00,
        0x01, 0, 0, 0,                                   // 0: parameters: 1
        0x02, 0, 0, 0, (byte)'a', 0,                     // 4: name "a"
        0x03,                                            // 10: type DOUBLE
        0x00,                                            // 11: bool_value
        0, 0, 0, 0,                                      // 12: padding to 16
        0, 0, 0, 0, 0, 0, 0, 0,                          // 16: integer_value
        0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0xD3, 0x3F,  // 24: double_value 0.3
        0x01, 0, 0, 0, 0,                                // 32: string_value ""
        0, 0, 0,                                         // 37: padding to 40
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 40: five empty arrays
    ];

    private static readonly byte[] SetResponse =
    [
        0x00, 0x01, 0x00, 0x00,
        0x02, 0, 0, 0,                               // 0: results: 2
        0x01,                                        // 4: successful
        0, 0, 0,                                     // 5: padding to 8
        0x01, 0, 0, 0, 0,                            // 8: reason ""
        0x00,                                        // 13: successful = false
        0, 0,                                        // 14: padding to 16
        0x03, 0, 0, 0, (byte)'n', (byte)'o', 0,      // 16: reason "no"
    ];

    private static readonly byte[] SetAtomicallyResponse =
    [
        0x00, 0x01, 0x00, 0x00,
        0x00,                        // 0: successful = false
        0, 0, 0,                     // 1: padding to 4
        0x02, 0, 0, 0, (byte)'x', 0, // 4: reason "x"
    ];

    private static readonly byte[] TypesResponse = [0x00, 0x01, 0x00, 0x00, 0x02, 0, 0, 0, 0x03, 0x04];

    private static readonly byte[] DescribeResponse =
    [
        0x00, 0x01, 0x00, 0x00,
        0x01, 0, 0, 0,                   // 0: descriptors: 1
        0x02, 0, 0, 0, (byte)'a', 0,     // 4: name "a"
        0x03,                            // 10: type DOUBLE
        0,                               // 11: padding to 12
        0x02, 0, 0, 0, (byte)'d', 0,     // 12: description "d"
        0, 0,                            // 18: padding to 20
        0x01, 0, 0, 0, 0,                // 20: additional_constraints ""
        0x01,                            // 25: read_only
        0x00,                            // 26: dynamic_typing
        0,                               // 27: padding to 28
        0x01, 0, 0, 0,                   // 28: floating_point_range: 1
        0, 0, 0, 0, 0, 0, 0, 0,          // 32: from_value 0
        0, 0, 0, 0, 0, 0, 0xF0, 0x3F,    // 40: to_value 1
        0, 0, 0, 0, 0, 0, 0, 0,          // 48: step 0
        0, 0, 0, 0,                      // 56: integer_range: 0
    ];

    private static readonly byte[] Event =
    [
        0x00, 0x01, 0x00, 0x00,
        0x01, 0, 0, 0, 0x02, 0, 0, 0,    // 0: stamp 1 s 2 ns
        0x03, 0, 0, 0, (byte)'/', (byte)'n', 0, // 8: node "/n"
        0,                               // 15: padding to 16
        0x01, 0, 0, 0,                   // 16: new_parameters: 1
        0x02, 0, 0, 0, (byte)'a', 0,     // 20: name "a"
        0x01,                            // 26: type BOOL
        0x01,                            // 27: bool_value true
        0, 0, 0, 0,                      // 28: padding to 32
        0, 0, 0, 0, 0, 0, 0, 0,          // 32: integer_value
        0, 0, 0, 0, 0, 0, 0, 0,          // 40: double_value
        0x01, 0, 0, 0, 0,                // 48: string_value ""
        0, 0, 0,                         // 53: padding to 56
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 56: five empty arrays
        0, 0, 0, 0,                      // 76: changed_parameters: 0
        0, 0, 0, 0,                      // 80: deleted_parameters: 0
    ];

    private static byte[] Encode(Action<CdrWriter> write)
    {
        var w = new CdrWriter();
        w.Reset();
        write(w);
        return w.ToArray();
    }

    [Fact]
    public void RequestHeaderPrecedesThePayloadAndKeepsItsAlignment()
    {
        var bytes = Encode(w =>
        {
            new ServiceHeader(0x0102030405060708, 3).Write(w);
            new ParameterNamesRequest(["a"]).Write(w);
        });
        Assert.Equal(GetRequestWithHeader, bytes);

        var r = new CdrReader(GetRequestWithHeader);
        Assert.Equal(new ServiceHeader(0x0102030405060708, 3), ServiceHeader.Read(ref r));
        Assert.Equal(["a"], ParameterNamesRequest.Read(ref r).Names);
    }

    [Fact]
    public void ListParametersRequestAndResponse()
    {
        Assert.Equal(ListRequest, Encode(new ListParametersRequest(["ab"], 1).Write));
        var r = new CdrReader(ListRequest);
        var req = ListParametersRequest.Read(ref r);
        Assert.Equal(["ab"], req.Prefixes);
        Assert.Equal(1UL, req.Depth);

        Assert.Equal(ListResponse, Encode(new ListParametersResponse(new ListParametersResult(["x"], [])).Write));
        r = new CdrReader(ListResponse);
        Assert.Equal(["x"], ListParametersResponse.Read(ref r).Result.Names);
    }

    [Fact]
    public void GetParametersResponseWritesEverySlotOfTheValue()
    {
        Assert.Equal(GetResponseDouble, Encode(new GetParametersResponse([ParameterValue.Of(0.5)]).Write));
        var r = new CdrReader(GetResponseDouble);
        var v = Assert.Single(GetParametersResponse.Read(ref r).Values);
        Assert.Equal((ParameterTypes.Double, 0.5), (v.Kind, v.DoubleValue));
    }

    [Fact]
    public void SetParametersRequestAndResponses()
    {
        Assert.Equal(SetRequest, Encode(new SetParametersRequest([new Parameter("a", ParameterValue.Of(0.3))]).Write));
        var r = new CdrReader(SetRequest);
        var p = Assert.Single(SetParametersRequest.Read(ref r).Parameters);
        Assert.Equal(("a", ParameterTypes.Double, 0.3), (p.Name, p.Value.Kind, p.Value.DoubleValue));

        Assert.Equal(SetResponse, Encode(new SetParametersResponse([SetParametersResult.Success, new SetParametersResult(false, "no")]).Write));
        r = new CdrReader(SetResponse);
        Assert.Equal([SetParametersResult.Success, new SetParametersResult(false, "no")], SetParametersResponse.Read(ref r).Results);

        Assert.Equal(SetAtomicallyResponse, Encode(new SetParametersAtomicallyResponse(new SetParametersResult(false, "x")).Write));
        r = new CdrReader(SetAtomicallyResponse);
        Assert.Equal(new SetParametersResult(false, "x"), SetParametersAtomicallyResponse.Read(ref r).Result);
    }

    [Fact]
    public void GetParameterTypesResponseIsAByteSequence()
    {
        Assert.Equal(TypesResponse, Encode(new GetParameterTypesResponse([ParameterTypes.Double, ParameterTypes.String]).Write));
        var r = new CdrReader(TypesResponse);
        Assert.Equal([3, 4], GetParameterTypesResponse.Read(ref r).Types);
    }

    [Fact]
    public void DescribeParametersResponseCarriesAtMostOneRange()
    {
        var d = new ParameterDescriptor
        {
            Name = "a", Kind = ParameterTypes.Double, Description = "d", ReadOnly = true, FloatingPointRange = new FloatingPointRange(0, 1, 0),
        };
        Assert.Equal(DescribeResponse, Encode(new DescribeParametersResponse([d]).Write));
        var r = new CdrReader(DescribeResponse);
        Assert.Equal(d, Assert.Single(DescribeParametersResponse.Read(ref r).Descriptors));

        var two = (byte[])DescribeResponse.Clone();
        two[4 + 28] = 2; // two floating point ranges in a bounded sequence of one
        Assert.Throws<CdrException>(() =>
        {
            var reader = new CdrReader(two);
            DescribeParametersResponse.Read(ref reader);
        });
    }

    [Fact]
    public void ParameterEventEncodesToHandDerivedBytes()
    {
        var e = new ParameterEvent { Stamp = new Timestamp(1, 2), Node = "/n", NewParameters = [new Parameter("a", ParameterValue.Of(true))] };
        Assert.Equal(Event, RosMessage.EncodeToArray(e));
        var back = RosMessage.Decode<ParameterEvent>(Event.AsMemory());
        Assert.Equal(("/n", "a", true), (back.Node, back.NewParameters[0].Name, back.NewParameters[0].Value.BoolValue));
    }

    [Fact]
    public void TruncatedRequestsAreCdrErrorsAtEveryLength()
    {
        for (int n = 4; n < SetRequest.Length; n++)
        {
            var cut = SetRequest.AsSpan(0, n).ToArray();
            Assert.Throws<CdrException>(() =>
            {
                var r = new CdrReader(cut);
                SetParametersRequest.Read(ref r);
            });
        }
    }

    // The hashes rosidl generates for Jazzy (rcl_interfaces' generated *__description.c), request then response.
    [Theory]
    [InlineData("rcl_interfaces/srv/DescribeParameters", "05dd1c2bc87dec2627105c8070d6f9725c781a4f2ab852975bf105462b82b644", "ad6747319613c6131589e062e095b469a46cc764f7d0f12a001a49e6cd893995")]
    [InlineData("rcl_interfaces/srv/GetParameterTypes", "87d7ec5ef545d4daa289d500025d31fb2437bc8b8365ca367161c4dac4be33fd", "ac1335dce67c478e669434f6ac2fbff34fcd529580f272d3006785ba8b54e47f")]
    [InlineData("rcl_interfaces/srv/GetParameters", "135a9e1c3d7cebef792f6687d7ddf99949b21a0bd9a320d863a9110a3f5cf4d6", "9fa773b46e39cc5d02db6224d8fd520bb9caeeffc2b27c96c1e59431baba9f2a")]
    [InlineData("rcl_interfaces/srv/ListParameters", "a1b0b5d6b967a5b8ac5bc8563c3ea678f349e312a6a4967227c5a96bc5ce38df", "31b937b82de3612426be79f231e386259f97e8dc843e3f2845288b4bfa296bdd")]
    [InlineData("rcl_interfaces/srv/SetParameters", "130d46386b7e84ea9ecf60608a4d83cbe5e5cb7c6cc5b712b7a4e3a6c254e932", "7a0e8140a0b8d98308fa81a5403a766e610af29a239caf54b7553227906fc266")]
    [InlineData("rcl_interfaces/srv/SetParametersAtomically", "db0bd950ed5ed867a0e90b225e44dea382d762c0762ff3e0ee842190042a59e5", "31b1a38c5b0b9d893ee24da45f69638f4561c78461d82d52750f429b534502b8")]
    public void ServiceHalvesHashAsJazzysRosidl(string service, string request, string response)
    {
        Assert.Equal(("RIHS01_" + request, "RIHS01_" + response), ParameterServices.TypeHashes(service));
    }

    [Fact]
    public void ParameterMessagesHashAsJazzysRosidl()
    {
        Assert.Equal("RIHS01_043e627780fcad87a22d225bc2a037361dba713fca6a6b9f4b869a5aa0393204", ParameterEvent.Type.TypeHash);
        Assert.Equal("RIHS01_115fc089a387e23c7ecd3525c9189c379109119d6ab82e8dfbde0fdf6a7f9b68", ParameterValue.Type.TypeHash);
    }

    [Fact]
    public void StringArrayValuesRoundTrip()
    {
        var v = new ParameterValue { Kind = ParameterTypes.StringArray, StringArrayValue = ["p", "q"], IntegerArrayValue = [1, -2], BoolArrayValue = [true] };
        var bytes = Encode(new GetParametersResponse([v]).Write);
        var r = new CdrReader(bytes);
        var back = Assert.Single(GetParametersResponse.Read(ref r).Values);
        Assert.Equal(["p", "q"], back.StringArrayValue);
        Assert.Equal([1L, -2L], back.IntegerArrayValue);
        Assert.Equal([true], back.BoolArrayValue);
    }
}

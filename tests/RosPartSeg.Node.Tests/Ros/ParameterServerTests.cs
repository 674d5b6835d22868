using RosPartSeg.Core.Pipeline;
using RosPartSeg.Messages.Rcl;
using RosPartSeg.Node.PartSegmenter;

namespace RosPartSeg.Node.Tests.Ros;

/// <summary>
/// The parameter services' answers over the node's own table (no transport): what is listed, described, got and
/// refused, that a refused set changes nothing, that set_parameters_atomically is all or none, and that the table,
/// the descriptors and the run-time settings agree.
/// </summary>
public sealed class ParameterServerTests
{
    private readonly List<IReadOnlyList<(string Name, object Value)>> _applied = [];
    private readonly List<ParameterEvent> _events = [];

    private ParameterServer Server(params string[] args)
    {
        var settings = NodeSettings.Create(["--ros-args", .. args.SelectMany(a => new[] { "-p", a })]);
        return new ParameterServer(settings.Parameters, NodeSettings.Descriptors, "/part_segmenter", _applied.Add) { Events = _events.Add };
    }

    [Fact]
    public void ListAnswersEveryDeclaredNameInTableOrder()
    {
        var s = Server();
        Assert.Equal(NodeSettings.Descriptors.Select(d => d.Name), s.List([], ListParametersRequest.DepthRecursive).Names);
        Assert.Equal(["overlay_alpha"], s.List(["overlay_alpha"], 1).Names);
        Assert.Empty(s.List(["nothing"], 0).Names);
    }

    [Fact]
    public void GetDescribeAndTypesAnswerNothingWhenANameIsUndeclared()
    {
        var s = Server("overlay_alpha:=0.25");
        var values = s.Get(["overlay_alpha", "input_transport", "detections_include_people", "min_region_area"]);
        Assert.Equal([ParameterValue.Of(0.25), ParameterValue.Of("raw"), ParameterValue.Of(true), ParameterValue.Of(64L)], values);
        Assert.Equal([ParameterTypes.Double, ParameterTypes.String], s.GetTypes(["overlay_alpha", "model_path"]));
        Assert.Empty(s.Get(["overlay_alpha", "no_such"]));
        Assert.Empty(s.GetTypes(["no_such"]));
        Assert.Empty(s.Describe(["overlay_alpha", "no_such"]));
    }

    [Fact]
    public void DescriptorsCarryTheTableRangesChoicesAndReadOnly()
    {
        var s = Server();
        var alpha = Assert.Single(s.Describe(["overlay_alpha"]));
        Assert.Equal((ParameterTypes.Double, false, new FloatingPointRange(0, 1, 0)), (alpha.Kind, alpha.ReadOnly, alpha.FloatingPointRange));
        Assert.Null(alpha.IntegerRange);
        var area = Assert.Single(s.Describe(["min_region_area"]));
        Assert.Equal(new IntegerRange(0, 67108864, 0), area.IntegerRange);
        var grouping = Assert.Single(s.Describe(["person_grouping"]));
        Assert.Equal("one of: split | components", grouping.AdditionalConstraints);
        Assert.False(grouping.ReadOnly);
        var model = Assert.Single(s.Describe(["model_path"]));
        Assert.True(model.ReadOnly);

        foreach (var d in NodeSettings.Descriptors)
        {
            var m = ParameterServer.ToMessage(d);
            Assert.Equal((d.Name, d.Description, !d.Dynamic), (m.Name, m.Description, m.ReadOnly));
            Assert.Equal(d.Type == ParameterType.Double && d.Min is not null, m.FloatingPointRange is not null);
            Assert.Equal(d.Type == ParameterType.Integer && d.Min is not null, m.IntegerRange is not null);
        }
    }

    [Theory]
    [InlineData("overlay_alpha", ParameterTypes.Integer, "is of type double, setting it to integer is not allowed")]
    [InlineData("overlay_alpha", ParameterTypes.Double, "out of range [0, 1]")]
    [InlineData("person_grouping", ParameterTypes.String, "is not one of split | components")]
    [InlineData("model_path", ParameterTypes.String, "read-only")]
    [InlineData("no_such", ParameterTypes.Bool, "was not declared")]
    public void ABadSetIsRefusedWithAReasonAndChangesNothing(string name, byte kind, string reason)
    {
        var s = Server();
        var before = s.Get([.. NodeSettings.Descriptors.Select(d => d.Name)]);
        var value = new ParameterValue { Kind = kind, IntegerValue = 1, DoubleValue = 1.5, StringValue = "touching", BoolValue = true };
        var result = Assert.Single(s.Set([new Parameter(name, value)]));
        Assert.False(result.Successful);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.Equal(before, s.Get([.. NodeSettings.Descriptors.Select(d => d.Name)]));
        Assert.Empty(_applied);
        Assert.Empty(_events);
        Assert.Equal(1, s.RefusedSets);
    }

    [Fact]
    public void SetChangesEachParameterOnItsOwnAndAnnouncesEachChange()
    {
        var s = Server();
        var results = s.Set([new Parameter("overlay_alpha", ParameterValue.Of(0.2)), new Parameter("model_path", ParameterValue.Of("x")),
            new Parameter("min_person_score", ParameterValue.Of(0.9))]);
        Assert.Equal([true, false, true], results.Select(r => r.Successful));
        Assert.Equal([ParameterValue.Of(0.2), ParameterValue.Of(0.9)], s.Get(["overlay_alpha", "min_person_score"]));
        Assert.Equal(2, _applied.Count);
        Assert.Equal(2, _events.Count);
        Assert.Equal(("/part_segmenter", "overlay_alpha", 0.2), (_events[0].Node, _events[0].ChangedParameters[0].Name, _events[0].ChangedParameters[0].Value.DoubleValue));
        Assert.Empty(_events[0].NewParameters);
    }

    [Fact]
    public void SetAtomicallyChangesAllOrNone()
    {
        var s = Server();
        var refused = s.SetAtomically([new Parameter("overlay_alpha", ParameterValue.Of(0.2)), new Parameter("min_person_area", ParameterValue.Of(-1L))]);
        Assert.False(refused.Successful);
        Assert.Contains("min_person_area", refused.Reason, StringComparison.Ordinal);
        Assert.Equal([ParameterValue.Of(0.5)], s.Get(["overlay_alpha"]));
        Assert.Empty(_applied);

        var ok = s.SetAtomically([new Parameter("overlay_alpha", ParameterValue.Of(0.2)), new Parameter("overlay_annotations", ParameterValue.Of("parts"))]);
        Assert.True(ok.Successful);
        Assert.Equal([ParameterValue.Of(0.2), ParameterValue.Of("parts")], s.Get(["overlay_alpha", "overlay_annotations"]));
        Assert.Equal(2, Assert.Single(_applied).Count);
        Assert.Equal(2, Assert.Single(_events).ChangedParameters.Count);
    }

    [Fact]
    public void DeclaredEventHoldsEveryParameterWithItsValue()
    {
        var e = Server("min_region_area:=10").Declared();
        Assert.Equal(NodeSettings.Descriptors.Select(d => d.Name), e.NewParameters.Select(p => p.Name));
        Assert.Equal(ParameterValue.Of(10L), e.NewParameters.Single(p => p.Name == "min_region_area").Value);
    }

    [Fact]
    public void EveryDynamicParameterChangesTheRuntimeSettingsAndNoOtherCan()
    {
        var settings = NodeSettings.Create([]);
        var start = RuntimeSettings.From(settings, new PipelineOptions());
        foreach (var d in NodeSettings.Descriptors)
        {
            if (d.Dynamic)
            {
                var changed = start.With(d.Name, d.Default);
                Assert.NotNull(changed);
            }
            else
            {
                Assert.Throws<ArgumentException>(() => start.With(d.Name, d.Default));
            }
        }

        var r = start.With("overlay_alpha", 0.25).With("person_grouping", "components").With("detections_include_people", false).With("diagnostics_period", 2.0);
        Assert.Equal((0.25f, PersonGrouping.Components, false, TimeSpan.FromSeconds(2)),
            (r.Pipeline.OverlayAlpha, r.Pipeline.PersonGrouping, r.DetectionsIncludePeople, r.DiagnosticsPeriod));
        Assert.Equal(0.5f, start.Pipeline.OverlayAlpha); // the old snapshot is untouched
    }

    [Fact]
    public void ParametersReportWhatTheModelConfigSetsWhereNoParameterWasGiven()
    {
        var settings = NodeSettings.Create(["--ros-args", "-p", "min_region_area:=10"]);
        RuntimeSettings.ReportEffective(settings.Parameters, new PipelineOptions { OverlayAlpha = 0.3f, MinRegionArea = 10, MinPersonScore = 0.7f });
        Assert.Equal(0.3, settings.Parameters.GetDouble("overlay_alpha"));
        Assert.Equal(0.7, settings.Parameters.GetDouble("min_person_score"));
        Assert.Equal(10, settings.Parameters.GetInteger("min_region_area"));
    }
}

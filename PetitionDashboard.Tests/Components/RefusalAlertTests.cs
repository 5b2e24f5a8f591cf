using Bunit;
using PetitionDashboard.Components;
using PetitionDashboard.Tests.Support;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Components;

/// <summary>A refusal as a page shows it through the one helper: the message, then every problem on its own line.</summary>
public sealed class RefusalAlertTests : ComponentTestContext
{
    [Fact]
    public async Task RefusedAction_ShowsItsMessageAndListsEveryProblem()
    {
        var refusal = await Refusals.RunAsync(() => throw new ActionRefusedException(
            "以下 2 个信访编号不能包案，本批未做任何包案，请修改清单后重试。",
            ["LC-NO-SUCH：信访编号不存在", "LC-20261101-0001：已办结（2026-11-20）"]));

        var cut = Render<RefusalAlert>(p => p.Add(a => a.Refusal, refusal));

        Assert.Equal("以下 2 个信访编号不能包案，本批未做任何包案，请修改清单后重试。", cut.Find(".refusal-message").TextContent);
        Assert.Equal(["LC-NO-SUCH：信访编号不存在", "LC-20261101-0001：已办结（2026-11-20）"],
            cut.FindAll(".refusal-problems li").Select(li => li.TextContent));
    }

    [Fact]
    public async Task FieldProblems_AreListedOnce_NotRepeatedInTheMessage()
    {
        var refusal = await Refusals.RunAsync(() => throw ActionRefusedException.Invalid(["包案领导：必选", "责任人：必填"]));

        var cut = Render<RefusalAlert>(p => p.Add(a => a.Refusal, refusal));

        Assert.Equal(["包案领导：必选", "责任人：必填"], Refusals.Lines(refusal));
        Assert.Equal("包案领导：必选；责任人：必填", cut.Find(".refusal-message").TextContent);
        Assert.Empty(cut.FindAll(".refusal-problems li"));
    }

    [Fact]
    public async Task ActionThatIsNotRefused_ReturnsNoRefusal_AndOtherErrorsGoOnToTheBoundary()
    {
        Assert.Null(await Refusals.RunAsync(() => Task.CompletedTask));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Refusals.RunAsync(() => throw new InvalidOperationException("x")));
        Assert.Empty(Render<RefusalAlert>().Markup.Trim());
    }
}

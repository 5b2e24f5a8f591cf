using PetitionDashboard.Domain;
using static PetitionDashboard.Tests.Domain.DomainTestData;

namespace PetitionDashboard.Tests.Domain;

/// <summary>督办 levels of docs/rules.md §5 (WarnDays 5, ListedAfterDays 30), due date 2026-11-20.</summary>
public class SupervisionRuleTests
{
    [Theory]
    [InlineData("2026-11-14", false, SupervisionLevel.None)] // 6 days left
    [InlineData("2026-11-15", false, SupervisionLevel.Urge)] // 5 days left: 催办
    [InlineData("2026-11-20", false, SupervisionLevel.Urge)] // due today
    [InlineData("2026-11-20", true, SupervisionLevel.Urge)] // not past due yet, even for a 包案
    [InlineData("2026-11-21", false, SupervisionLevel.Supervise)] // 1 day past due: 督办
    [InlineData("2026-11-21", true, SupervisionLevel.Listed)] // past due and 包案 / backlog: 挂牌督办
    [InlineData("2026-12-20", false, SupervisionLevel.Supervise)] // 30 days past due: not more than 30
    [InlineData("2026-12-21", false, SupervisionLevel.Listed)] // 31 days past due
    public void Derive_FollowsTheDeadline(string today, bool assignedOrBacklog, SupervisionLevel expected) =>
        Assert.Equal(expected, SupervisionRule.Derive(true, D("2026-11-20"), D(today), assignedOrBacklog, 5, 30));

    [Fact]
    public void Derive_NoLevelWhenNotOpenOrNoDeadline()
    {
        Assert.Equal(SupervisionLevel.None, SupervisionRule.Derive(false, D("2026-11-20"), D("2027-01-20"), true, 5, 30));
        Assert.Equal(SupervisionLevel.None, SupervisionRule.Derive(true, null, D("2027-01-20"), true, 5, 30));
    }

    [Fact]
    public void Derive_UsesTheConfiguredThresholds()
    {
        // ListedAfterDays 10: 11 days past due is 挂牌督办; WarnDays 2: 3 days left is nothing yet.
        Assert.Equal(SupervisionLevel.Listed, SupervisionRule.Derive(true, D("2026-11-20"), D("2026-12-01"), false, 5, 10));
        Assert.Equal(SupervisionLevel.None, SupervisionRule.Derive(true, D("2026-11-20"), D("2026-11-17"), false, 2, 30));
    }

    [Theory]
    // A hand-raised level survives while the case is still overdue…
    [InlineData(SupervisionLevel.Listed, true, SupervisionLevel.Supervise, true, SupervisionLevel.Listed, true)]
    [InlineData(SupervisionLevel.Listed, true, SupervisionLevel.Listed, true, SupervisionLevel.Listed, true)]
    // …and is recomputed once the case is no longer overdue (e.g. an extension moved the deadline).
    [InlineData(SupervisionLevel.Listed, true, SupervisionLevel.Urge, false, SupervisionLevel.Urge, false)]
    [InlineData(SupervisionLevel.Listed, true, SupervisionLevel.None, false, SupervisionLevel.None, false)]
    // The automatic level may rise above a hand-raised one; it is then automatic.
    [InlineData(SupervisionLevel.Supervise, true, SupervisionLevel.Listed, true, SupervisionLevel.Listed, false)]
    // An automatic level follows the deadline both ways.
    [InlineData(SupervisionLevel.Listed, false, SupervisionLevel.Supervise, true, SupervisionLevel.Supervise, false)]
    [InlineData(SupervisionLevel.Urge, false, SupervisionLevel.Supervise, true, SupervisionLevel.Supervise, false)]
    public void Recompute_NeverLowersAHandRaisedLevelWhileOverdue(
        SupervisionLevel current, bool byHand, SupervisionLevel derived, bool overdue, SupervisionLevel level, bool stillByHand)
    {
        var result = SupervisionRule.Recompute(current, byHand, derived, overdue);
        Assert.Equal(level, result.Level);
        Assert.Equal(stillByHand, result.RaisedByHand);
    }

    [Fact]
    public void LevelNames_AreChinese()
    {
        Assert.Equal("催办", SupervisionLevel.Urge.ToChinese());
        Assert.Equal("督办", SupervisionLevel.Supervise.ToChinese());
        Assert.Equal("挂牌督办", SupervisionLevel.Listed.ToChinese());
    }
}

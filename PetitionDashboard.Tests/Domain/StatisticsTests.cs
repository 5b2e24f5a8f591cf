using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Domain;

public class StatisticsTests
{
    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(0, 4, 0.0)]
    [InlineData(4, 4, 1.0)]
    [InlineData(1, 4, 0.25)]
    public void Rate_ZeroDenominatorIsNull_NeverZeroOrHundredPercent(int numerator, int denominator, double? expected) =>
        Assert.Equal(expected, Kpi.Rate(numerator, denominator));

    [Theory]
    [InlineData(null, "—")]
    [InlineData(0.0, "0.0%")]
    [InlineData(1.0, "100.0%")]
    [InlineData(2.0 / 3, "66.7%")]
    public void Format_ShowsADashForNoDenominator(double? rate, string expected) => Assert.Equal(expected, Kpi.Format(rate));

    [Theory]
    [InlineData(0.95, 0.95, TargetStatus.Met)]      // 19/20 meets a 95 % target exactly
    [InlineData(0.93, 0.95, TargetStatus.Near)]     // within the 5-point amber margin
    [InlineData(0.90, 0.95, TargetStatus.Near)]
    [InlineData(0.89, 0.95, TargetStatus.Missed)]
    [InlineData(null, 0.95, TargetStatus.NoData)]
    [InlineData(0.5, null, TargetStatus.NoTarget)]
    public void TargetStatus_RedAmberGreen(double? rate, double? target, TargetStatus expected) =>
        Assert.Equal(expected, Kpi.Status(rate, target, 0.05));

    [Fact]
    public void Status_ExactRatioMeetsItsTarget() => Assert.Equal(TargetStatus.Met, Kpi.Status(Kpi.Rate(19, 20), 0.95, 0.05));

    [Fact]
    public void LeadershipIndex_IsTheWeightedShareOfTargetsMet_OverRatesThatHaveData()
    {
        var targets = new Dictionary<string, double> { ["及时受理率"] = 0.95, ["按期答复率"] = 0.90, ["满意率"] = 0.90 };
        var weights = new Dictionary<string, double> { ["及时受理率"] = 0.3, ["按期答复率"] = 0.3, ["满意率"] = 0.2, ["参评率"] = 0.2 };
        // 及时受理 met (0.3), 按期答复 missed (0.3), 满意率 "—" (left out), 参评率 has no target (left out): 0.3 / 0.6.
        var rates = new Dictionary<string, double?> { ["及时受理率"] = 0.96, ["按期答复率"] = 0.80, ["满意率"] = null, ["参评率"] = 0.7 };
        Assert.Equal(0.5, Kpi.LeadershipIndex(rates, targets, weights));
        Assert.Null(Kpi.LeadershipIndex(new Dictionary<string, double?> { ["及时受理率"] = null }, targets, weights));
        // Weights are configuration: weighing 按期答复率 at 0 leaves only the met target.
        Assert.Equal(1.0, Kpi.LeadershipIndex(rates, targets, new Dictionary<string, double> { ["及时受理率"] = 1, ["按期答复率"] = 0 }));
    }

    /// <summary>
    /// First-decision deadlines (received + 15 days, last day moved to the next working day) around the 2026 holidays:
    /// 中秋 09-25…09-27 (09-20 a make-up Sunday), 国庆 10-01…10-07 (10-10 a make-up Saturday).
    /// </summary>
    [Theory]
    [InlineData(2026, 39, "09-06", "09-09", "09-06..09-06→09-21 09-07..09-07→09-22 09-08..09-08→09-23 09-09..09-09→09-24")]
    [InlineData(2026, 40, "09-10", "09-15", "09-10..09-13→09-28 09-14..09-14→09-29 09-15..09-15→09-30")]
    [InlineData(2026, 41, "09-16", "09-25", "09-16..09-23→10-08 09-24..09-24→10-09 09-25..09-25→10-10")]
    [InlineData(2026, 46, "10-23", "10-29", "10-23..10-25→11-09 10-26..10-26→11-10 10-27..10-27→11-11 10-28..10-28→11-12 10-29..10-29→11-13")]
    public void WeekWindow_FirstDecisionDueInWeek_IsARangeOfReceivedDates(int year, int week, string first, string last, string groups)
    {
        var window = new WeekWindow(new IsoWeek(year, week), TestRules.Deadlines(), 180);
        var t = window.FirstDecision;
        Assert.Equal(first, t.LatestStartDueByPreviousSunday.AddDays(1).ToString("MM-dd"));
        Assert.Equal(last, t.LatestStartDueBySunday.ToString("MM-dd"));
        Assert.Equal(groups, string.Join(" ", t.DueInWeek.Select(g => $"{g.FirstStart:MM-dd}..{g.LastStart:MM-dd}→{g.Due:MM-dd}")));
        // The thresholds agree with the calculator day by day.
        var deadlines = TestRules.Deadlines();
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
            Assert.Equal(window.Week.Contains(deadlines.FirstDecision(d).Due), d > t.LatestStartDueByPreviousSunday && d <= t.LatestStartDueBySunday);
    }

    [Fact]
    public void WeekWindow_ReplyKey_AcceptedPlusExtension_MatchesTheCalculator()
    {
        var deadlines = TestRules.Deadlines();
        var window = new WeekWindow(new IsoWeek(2026, 46), deadlines, 180);
        for (var accepted = new DateOnly(2026, 7, 1); accepted < new DateOnly(2026, 11, 1); accepted = accepted.AddDays(1))
            foreach (var extension in new[] { 0, 5, 30 })
            {
                var key = accepted.AddDays(extension);
                var inWeek = key > window.Reply.LatestStartDueByPreviousSunday && key <= window.Reply.LatestStartDueBySunday;
                Assert.Equal(window.Week.Contains(deadlines.Reply(accepted, extension, false).Due), inWeek);
                Assert.Equal(deadlines.Reply(accepted, extension, false).Due <= window.Sunday, key <= window.Reply.LatestStartDueBySunday);
            }
    }
}

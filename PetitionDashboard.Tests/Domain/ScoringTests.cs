using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Domain;

/// <summary>The arithmetic of docs/rules.md §14 on hand-made rows: items, "—", grade bands, the ranking within each kind.</summary>
public class ScoringTests
{
    private static WeeklyUnitStatistic Row(
        (int On, int Due) acceptance = default, (int On, int Due) reply = default, (int Evaluated, int Replied) evaluation = default,
        int satisfied = 0, int repeats = 0) => new()
    {
        FirstDecisionOnTime = acceptance.On, FirstDecisionDue = acceptance.Due, RepliedOnTime = reply.On, ReplyDue = reply.Due,
        Evaluated = evaluation.Evaluated, RepliedInWeek = evaluation.Replied, Satisfied = satisfied, RepeatPetitions = repeats,
        NewPetitions = repeats,
    };

    [Fact]
    public void Dachuan_ByHand_WithDashRatesEarningFullPoints_AndTheDeduction()
    {
        // 及时受理率 19/20 × 5 = 4.75; 按期答复率 — → 10; 满意率 3/4 × 10 = 7.5; 参评率 4/8 × 5 = 2.5; 3 重件 → −3. Total 21.75.
        var score = ScoringSchemes.Dachuan.Score(Row(acceptance: (19, 20), evaluation: (4, 8), satisfied: 3, repeats: 3));
        Assert.Equal([4.75, 10, 7.5, 2.5, -3], score.Items.Select(i => i.Points));
        Assert.Equal(21.75, score.Total);
        Assert.Equal("C", score.Grade);   // 21.75 / 30 = 72.5 %: at least 70 %, below 80 %
    }

    [Theory]
    [InlineData(27.0, "A")]    // exactly 90 % of 30
    [InlineData(26.99, "B")]
    [InlineData(24.0, "B")]    // exactly 80 %
    [InlineData(21.0, "C")]    // exactly 70 %
    [InlineData(20.99, "D")]
    [InlineData(-4.0, "D")]    // deductions can push a score below zero
    public void GradeBands_AreSharesOfTheMaximum_ABoundaryBelongsToTheHigherGrade(double total, string grade) =>
        Assert.Equal(grade, ScoringSchemes.Dachuan.GradeOf(total));

    [Fact]
    public void Threshold_LosesItsPointsOnlyBelowTheLine_ADashLosesNothing()
    {
        var scheme = new ScoringScheme("测试", 1, [new(ScoringItemKind.Threshold, StatisticFigure.TimelyAcceptanceRate, 2, 0.95)], []);
        Assert.Equal(0, scheme.Score(Row(acceptance: (19, 20))).Total);     // 95 % meets 95 % (basis points, like the targets)
        Assert.Equal(-2, scheme.Score(Row(acceptance: (18, 20))).Total);
        Assert.Equal(0, scheme.Score(Row()).Total);
        Assert.Null(scheme.Score(Row()).Grade);                              // no bands
    }

    [Fact]
    public void Ranking_IsWithinEachKind_ByScore_TiesByName_ADashLast()
    {
        (string Name, UnitKind Kind, double? Score)[] units =
        [
            ("乙县", UnitKind.County, 20), ("甲县", UnitKind.County, 20), ("丙县", UnitKind.County, 25), ("丁县", UnitKind.County, null),
            ("一镇", UnitKind.Township, 30), ("某局", UnitKind.CityDepartment, 1),
        ];
        var ranked = ScoringSchemes.Rank(units, u => u.Kind, u => u.Name, u => u.Score);
        Assert.Equal(
            [("丙县", 1), ("乙县", 2), ("甲县", 3), ("丁县", 4), ("某局", 1), ("一镇", 1)],
            ranked.Select(r => (r.Row.Name, r.Rank)));
    }

    [Fact]
    public void ASchemeSurvivesItsJsonCopy()
    {
        var copy = ScoringScheme.FromJson(ScoringSchemes.Dachuan.ToJson());
        Assert.Equal(ScoringSchemes.Dachuan.Items, copy.Items);
        Assert.Equal(ScoringSchemes.Dachuan.GradeBands, copy.GradeBands);
        Assert.Equal((ScoringSchemes.Dachuan.Name, 1, 30.0), (copy.Name, copy.Version, copy.MaxScore));
    }
}

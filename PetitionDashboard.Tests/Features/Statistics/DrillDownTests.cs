using PetitionDashboard.Domain;
using PetitionDashboard.Features.Statistics;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Statistics;

public class DrillDownTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StatisticMeasure> CountedMeasures() =>
        new(Enum.GetValues<StatisticMeasure>().Where(m => m != StatisticMeasure.GroupVisitPeople));

    [Theory]
    [MemberData(nameof(CountedMeasures))]
    public async Task EveryCount_HasExactlyThatManyRowsInItsList(StatisticMeasure measure)
    {
        await using var w = await HandBuiltAsync();
        foreach (var week in new[] { W45, W46 })
            Assert.True(await w.Recomputer.RecomputeWeekAsync(week, w.Clock.GetUtcNow().UtcDateTime, Ct));
        var nonZero = 0;
        foreach (var week in new[] { W45, W46 })
            foreach (var unit in new int?[] { null, w.A, w.B, w.C })
            {
                var stored = (await w.RowAsync(week, unit))[measure];
                var list = await w.Service.ListAsync(new DrillDownQuery(week, measure, unit), 0, 1000, ct: Ct);
                Assert.Equal(stored, list.Total);
                Assert.Equal(stored, list.Rows.Count);
                Assert.Equal(stored, list.Rows.Select(r => r.CaseNumber).Distinct().Count());
                nonZero += stored;
            }
        Assert.True(nonZero > 0, $"{measure} 在测试数据中应有非零值");
    }

    [Fact]
    public async Task OverdueList_NamesTheHandPickedPetitions()
    {
        await using var w = await HandBuiltAsync();
        var list = await w.Service.ListAsync(new DrillDownQuery(W46, StatisticMeasure.Overdue, null), 0, 100, "CaseNumber", ct: Ct);
        Assert.Equal(["P13", "P14", "P17", "P20", "P22", "P8"], list.Rows.Select(r => r.CaseNumber.Split('-')[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GroupVisitPeople_ListsTheBatches_WhosePeopleAddUpToTheFigure()
    {
        await using var w = await HandBuiltAsync();
        Assert.True(await w.Recomputer.RecomputeWeekAsync(W46, w.Clock.GetUtcNow().UtcDateTime, Ct));
        var list = await w.Service.ListAsync(new DrillDownQuery(W46, StatisticMeasure.GroupVisitPeople, null), 0, 100, ct: Ct);
        Assert.Equal((await w.RowAsync(W46, null)).GroupVisitPeople, list.Rows.Sum(r => r.PeopleCount));
    }

    [Fact]
    public async Task Breakdown_ByCategoryAndForm_AddsUpToNewPetitions_AndEachCellDrillsDown()
    {
        await using var w = await HandBuiltAsync();
        var byForm = await w.Service.BreakdownAsync(W46, null, byForm: true, Ct);
        // W46: P1 来信, P2 来访, P4 网上信访 (repeat), P5 来访.
        Assert.Equal([("来访", 2, 0), ("来信", 1, 0), ("网上信访", 1, 1)], byForm.Select(r => (r.Label, r.NewPetitions, r.RepeatPetitions)));
        var byCategory = await w.Service.BreakdownAsync(W46, null, byForm: false, Ct);
        Assert.Equal(4, byCategory.Sum(r => r.NewPetitions));
        foreach (var row in byCategory)
            Assert.Equal(row.NewPetitions, await w.Service.CountAsync(new DrillDownQuery(W46, StatisticMeasure.NewPetitions, null, Category: row.Key), Ct));
        Assert.Equal(2, await w.Service.CountAsync(new DrillDownQuery(W46, StatisticMeasure.NewPetitions, null, Form: PetitionForm.Visit), Ct));
    }
}

/// <summary>The statistics are read on the server only by a signed-in user whose role the policy table lets read them.</summary>
public sealed class StatisticsAccessTests
{
    [Fact]
    public async Task AnAnonymousCaller_CannotReadTheStatistics()
    {
        await using var w = await StatisticsWorld.EmptyAsync();
        var service = new StatisticsService(w.Db, w.Calculator, Microsoft.Extensions.Options.Options.Create(w.Options),
            Microsoft.Extensions.Options.Options.Create(new ReportOptions()), TestScoring.Store(w.Options), w.Clock,
            new PetitionDashboard.Features.Account.AccessGuard(PetitionDashboard.Features.Account.FixedCurrentUser.Anonymous));

        await Refused.NotAllowedAsync(() => service.WeeksAsync(TestContext.Current.CancellationToken));
        await Refused.NotAllowedAsync(() =>
            service.ListAsync(new DrillDownQuery(StatisticsWorld.W46, StatisticMeasure.Overdue, null), 0, 10, ct: TestContext.Current.CancellationToken));
    }
}

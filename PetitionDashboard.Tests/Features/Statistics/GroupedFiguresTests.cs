using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// The weekly recompute counts every measure in a few grouped queries (WeeklyStatisticsCalculator); the drill-down lists
/// count each measure on its own (StatisticPopulations.Petitions per unit). On generated data that crosses the year end,
/// the Spring Festival and National Day holidays and month ends, with a unit that has nothing, transfers and relinks dated
/// after some of the weeks, 包案 resolved and relapsed, every figure of every unit must be the per-measure count.
/// </summary>
public sealed class GroupedFiguresTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Year end (W01: 2025-12-29 … 2026-01-04), Spring Festival (W08), month ends (W36, W44), National Day (W40), and W46.
    public static TheoryData<int, int> Weeks() => new() { { 2026, 1 }, { 2026, 8 }, { 2026, 36 }, { 2026, 40 }, { 2026, 44 }, { 2026, 46 } };

    [Theory]
    [MemberData(nameof(Weeks))]
    public async Task EveryGroupedFigure_EqualsItsPerMeasureCount(int year, int weekNumber)
    {
        var week = new IsoWeek(year, weekNumber);
        await using var w = await EmptyAsync();
        await GenerateAsync(w, seed: 20261130);

        await using var db = w.Db.CreateDbContext();
        var rows = await w.Calculator.ComputeAsync(db, week, DateTime.UtcNow, Ct);
        var pop = w.Calculator.Populations(week);
        var units = new int?[] { w.A, w.B, w.C };
        var nonZero = 0;
        foreach (var unit in units)
        {
            var row = rows.Single(r => r.UnitId == unit);
            foreach (var m in Enum.GetValues<StatisticMeasure>())
            {
                var expected = m switch
                {
                    StatisticMeasure.Assignments or StatisticMeasure.AssignmentsResolved => await pop.Assignments(db, m, unit).CountAsync(Ct),
                    StatisticMeasure.GroupVisitPeople => await pop.Petitions(db, m, unit).SumAsync(p => p.PeopleCount, Ct),
                    _ => await pop.Petitions(db, m, unit).CountAsync(Ct),
                };
                Assert.True(expected == row[m], $"{week} 单位 {unit} {m}: 分组计算 {row[m]}，逐项计数 {expected}");
                nonZero += expected;
            }
        }
        // Unit C never has a petition: a row of zeros, not a missing row.
        Assert.All(Enum.GetValues<StatisticMeasure>(), m => Assert.Equal(0, rows.Single(r => r.UnitId == w.C)[m]));
        var all = rows.Single(r => r.UnitId == null);
        Assert.All(Enum.GetValues<StatisticMeasure>(), m => Assert.Equal(rows.Where(r => r.UnitId != null).Sum(r => r[m]), all[m]));
        Assert.True(nonZero > 20, $"{week} 的测试数据应有足够的非零计数（{nonZero}）");
    }

    /// <summary>
    /// 600 petitions in units A and B received 2025-06 … 2026-11 at every stage, a tenth of them repeats, some relinked
    /// or transferred on a date after the weeks tested (history rows as the product writes them), and 包案 on some threads.
    /// </summary>
    private static async Task GenerateAsync(StatisticsWorld w, int seed)
    {
        var rnd = new Random(seed);
        await using var ctx = w.Db.CreateDbContext();
        var first = new DateOnly(2025, 6, 1);
        var petitions = new List<Petition>();
        DateOnly? Maybe(DateOnly from, int minDays, int maxDays, double p) =>
            rnd.NextDouble() < p ? from.AddDays(rnd.Next(minDays, maxDays)) : null;
        for (var i = 0; i < 600; i++)
        {
            var received = first.AddDays(rnd.Next(0, 530));
            var unit = rnd.NextDouble() < 0.5 ? w.A : w.B;
            var repeatOf = petitions.Count > 20 && rnd.NextDouble() < 0.1 ? petitions[rnd.Next(petitions.Count)] : null;
            if (repeatOf is not null && repeatOf.ReceivedOn > received) repeatOf = null;
            var visit = rnd.NextDouble() < 0.3;
            var dispatched = Maybe(received, 1, 6, 0.3);
            var accepted = Maybe(dispatched ?? received, 1, 20, 0.85);
            var simple = accepted is not null && rnd.NextDouble() < 0.15;
            var extension = accepted is not null && !simple && rnd.NextDouble() < 0.1 ? rnd.Next(5, 30) : 0;
            var replied = accepted is { } a ? Maybe(a, simple ? 3 : 20, simple ? 16 : 75 + extension, 0.8) : null;
            var evaluation = replied is not null && rnd.NextDouble() < 0.6 ? (Evaluation?)(Evaluation)rnd.Next(1, 4) : null;
            var review = replied is { } r ? Maybe(r, 5, 30, 0.1) : null;
            var notAccepted = accepted is null && dispatched is null && rnd.NextDouble() < 0.3;
            var finished = notAccepted ? received.AddDays(rnd.Next(1, 15))
                : review is null && replied is { } r2 ? Maybe(r2, 31, 40, 0.7) : null;
            var p = w.Petition(ctx, $"G{i:000}", unit, received, visit ? PetitionForm.Visit : PetitionForm.Letter, visit ? rnd.Next(1, 12) : 1,
                repeatOf, dispatched, accepted, simple, extension, extension > 0 ? Maybe(accepted!.Value, 20, 70, 0.7) : null, replied, evaluation,
                review, finished, notAccepted ? PetitionState.NotAccepted : finished is not null ? PetitionState.Closed : null,
                batch: repeatOf is null && rnd.NextDouble() < 0.03 ? 1 + rnd.Next(2) : null);
            if (notAccepted) p.FirstDecisionOn = finished;
            petitions.Add(p);
        }
        await ctx.SaveChangesAsync(Ct);

        // Dated history after some of the weeks: transfers to another unit and relinks (thread and 初件/重件 flag changes).
        var threads = petitions.Select(p => p.ThreadId).Distinct().ToList();
        foreach (var p in petitions.Where(_ => rnd.NextDouble() < 0.08))
        {
            var on = p.ReceivedOn.AddDays(rnd.Next(1, 200));
            var from = p.UnitId;
            p.UnitId = from == w.A ? w.B : w.A;
            PetitionHistory.UnitChanged(p, from, on, BusinessTime.StartOfDayUtc(on));
        }
        foreach (var p in petitions.Where(_ => rnd.NextDouble() < 0.06))
        {
            var on = p.ReceivedOn.AddDays(rnd.Next(1, 200));
            var (fromThread, fromRepeat) = (p.ThreadId, p.IsRepeat);
            p.ThreadId = threads[rnd.Next(threads.Count)];
            p.IsRepeat = !p.IsRepeat;
            PetitionHistory.ThreadChanged(p, fromThread, fromRepeat, on, BusinessTime.StartOfDayUtc(on));
        }
        await ctx.SaveChangesAsync(Ct);

        // 包案 on some threads, led by A or B; some resolved, a few of those relapsed and resolved again.
        var leader = await ctx.Leaders.SingleAsync(Ct);
        foreach (var t in threads.Where(_ => rnd.NextDouble() < 0.05))
        {
            var assigned = first.AddDays(rnd.Next(30, 520));
            var a = new LeaderAssignment
            {
                Leader = leader, ThreadId = t, LeadUnitId = rnd.NextDouble() < 0.5 ? w.A : w.B, ResponsiblePerson = "李四", Plan = "化解方案",
                AssignedOn = assigned, DueOn = assigned.AddDays(90), Status = AssignmentStatus.Active,
            };
            if (rnd.NextDouble() < 0.6)
            {
                var resolved = assigned.AddDays(rnd.Next(10, 90));
                AssignmentLifecycle.Resolve(a, "息诉罢访", resolved, "督查", []);
                if (rnd.NextDouble() < 0.3)
                {
                    AssignmentLifecycle.Relapse(a, resolved.AddDays(rnd.Next(5, 40)));
                    AssignmentLifecycle.Resolve(a, "息诉罢访", a.RelapsedOn!.Value.AddDays(rnd.Next(5, 40)), "督查", []);
                }
            }
            ctx.LeaderAssignments.Add(a);
        }
        await ctx.SaveChangesAsync(Ct);
    }
}

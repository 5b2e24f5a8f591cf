using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// Every §8 figure on the hand-built data set of <see cref="StatisticsWorld"/>, week 2026-W46 (11-09 … 11-15), expected
/// values worked out by hand (the petitions named in each comment are the ones counted).
/// </summary>
public class WeeklyFiguresTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<StatisticsWorld> ComputedAsync(params IsoWeek[] weeks) => HandBuiltComputedAsync(weeks);

    [Fact]
    public async Task NewPetitions_CountTheShanghaiWeek_SundayNightInMondayMidnightOut()
    {
        await using var w = await ComputedAsync(W46, W47);
        // W46: A = P1 (Mon 11-09), P2 (Sunday 23:59 Shanghai); B = P4, P5.  P3 (Monday 00:00 Shanghai = Sunday 16:00 UTC) is W47.
        Assert.Equal(2, (await w.RowAsync(W46, w.A)).NewPetitions);
        Assert.Equal(2, (await w.RowAsync(W46, w.B)).NewPetitions);
        Assert.Equal(4, (await w.RowAsync(W46, null)).NewPetitions);
        Assert.Equal(1, (await w.RowAsync(W47, w.A)).NewPetitions);
        Assert.Equal(0, (await w.RowAsync(W46, w.C)).NewPetitions);
    }

    [Fact]
    public async Task FirstAndRepeat_AndRepeatRate()
    {
        await using var w = await ComputedAsync();
        var (a, b, all, c) = (await w.RowAsync(W46, w.A), await w.RowAsync(W46, w.B), await w.RowAsync(W46, null), await w.RowAsync(W46, w.C));
        Assert.Equal((2, 0), (a.FirstPetitions, a.RepeatPetitions));   // P1, P2
        Assert.Equal((1, 1), (b.FirstPetitions, b.RepeatPetitions));   // P5; P4 repeats P10
        Assert.Equal((3, 1), (all.FirstPetitions, all.RepeatPetitions));
        Assert.Equal(0.0, a.Value(StatisticFigure.RepeatRate));         // 0/2 is a real 0 %
        Assert.Equal(0.5, b.Value(StatisticFigure.RepeatRate));
        Assert.Equal(0.25, all.Value(StatisticFigure.RepeatRate));
        Assert.Null(c.Value(StatisticFigure.RepeatRate));               // 0/0 is "—"
    }

    [Fact]
    public async Task GroupVisits_AreVisitsWithAtLeastGroupSizePeople()
    {
        await using var w = await ComputedAsync(W46, W47);
        // P2: 来访, 6 people (W46). P5: 来访, 4 people: not a group. P3: 8 people but W47.
        var a = await w.RowAsync(W46, w.A);
        Assert.Equal((1, 6), (a.GroupVisitBatches, a.GroupVisitPeople));
        Assert.Equal((0, 0), ((await w.RowAsync(W46, w.B)).GroupVisitBatches, (await w.RowAsync(W46, w.B)).GroupVisitPeople));
        Assert.Equal((1, 8), ((await w.RowAsync(W47, w.A)).GroupVisitBatches, (await w.RowAsync(W47, w.A)).GroupVisitPeople));
    }

    [Fact]
    public async Task TimelyAcceptance_OfPetitionsWhoseFirstDecisionDeadlineFallsInTheWeek()
    {
        await using var w = await ComputedAsync();
        // Received 10-23 … 10-29 → due in W46. A: P6 (due 11-09, decided 11-09 ✓), P7 (due 11-13, decided 11-14 ✗);
        // B: P8 (due 11-10, undecided ✗). P9 (received 10-22, due 11-06) belongs to W45.
        var (a, b, all) = (await w.RowAsync(W46, w.A), await w.RowAsync(W46, w.B), await w.RowAsync(W46, null));
        Assert.Equal((1, 2), (a.FirstDecisionOnTime, a.FirstDecisionDue));
        Assert.Equal((0, 1), (b.FirstDecisionOnTime, b.FirstDecisionDue));
        Assert.Equal(1.0 / 3, all.Value(StatisticFigure.TimelyAcceptanceRate));
        Assert.Equal(0.0, b.Value(StatisticFigure.TimelyAcceptanceRate));
        Assert.Null((await w.RowAsync(W46, w.C)).Value(StatisticFigure.TimelyAcceptanceRate));
    }

    [Fact]
    public async Task OnTimeReply_UsesTheExtendedDeadline_AnExtensionMovesItIntoTheNextWeek()
    {
        await using var w = await ComputedAsync(W46, W47);
        // W46: A = P11 (accepted 08-20 + 60 + 25 → due 11-13, replied 11-12 ✓), P14 (简易办理 accepted 10-30 → 10 working days
        // → due 11-13, replied 11-16 ✗); B = P10 (accepted 09-10 → due 11-09, replied 11-09 ✓).
        // P12 (accepted 09-10, +5) would be due 11-09 without its extension; with it 11-14 (Saturday) → 11-16, so W47.
        var (a46, b46) = (await w.RowAsync(W46, w.A), await w.RowAsync(W46, w.B));
        Assert.Equal((1, 2), (a46.RepliedOnTime, a46.ReplyDue));
        Assert.Equal((1, 1), (b46.RepliedOnTime, b46.ReplyDue));
        Assert.Equal(2.0 / 3, (await w.RowAsync(W46, null)).Value(StatisticFigure.OnTimeReplyRate));
        // W47: A = P12 (due 11-16, replied 11-16 ✓); B = P13 (accepted 09-09 + 10 → due 11-18, not replied ✗).
        var (a47, b47) = (await w.RowAsync(W47, w.A), await w.RowAsync(W47, w.B));
        Assert.Equal((1, 1), (a47.RepliedOnTime, a47.ReplyDue));
        Assert.Equal((0, 1), (b47.RepliedOnTime, b47.ReplyDue));
    }

    [Fact]
    public async Task EvaluationAndSatisfaction_ALateEvaluationChangesLastWeeksRates()
    {
        await using var w = await ComputedAsync();
        // Replied in W46: A = P11 (基本满意), P15 (not evaluated); B = P10 (满意), P16 (不满意).
        var a = await w.RowAsync(W46, w.A);
        Assert.Equal((2, 1, 1), (a.RepliedInWeek, a.Evaluated, a.Satisfied));
        Assert.Equal(0.5, a.Value(StatisticFigure.EvaluationRate));
        Assert.Equal(1.0, a.Value(StatisticFigure.SatisfactionRate));
        var all = await w.RowAsync(W46, null);
        Assert.Equal(0.75, all.Value(StatisticFigure.EvaluationRate));
        Assert.Equal(2.0 / 3, all.Value(StatisticFigure.SatisfactionRate));
        Assert.Null((await w.RowAsync(W46, w.C)).Value(StatisticFigure.SatisfactionRate));

        // P15's petitioner evaluates on 11-18 (W47): 不满意. The next recompute changes W46.
        await using (var ctx = w.Db.CreateDbContext())
        {
            var p15 = await ctx.Petitions.SingleAsync(p => p.CaseNumber.StartsWith("P15-"), Ct);
            p15.Evaluation = Evaluation.Dissatisfied;
            p15.EvaluatedOn = new DateOnly(2026, 11, 18);
            await ctx.SaveChangesAsync(Ct);
        }
        Assert.True(await w.Recomputer.RecomputeWeekAsync(W46, w.Clock.GetUtcNow().UtcDateTime, Ct));
        a = await w.RowAsync(W46, w.A);
        Assert.Equal(1.0, a.Value(StatisticFigure.EvaluationRate));
        Assert.Equal(0.5, a.Value(StatisticFigure.SatisfactionRate));
        Assert.Equal(0.5, (await w.RowAsync(W46, null)).Value(StatisticFigure.SatisfactionRate)); // 2 of 4
    }

    [Fact]
    public async Task OpenAndOverdue_AtTheEndOfTheWeek_FromTheDatesThenInForce()
    {
        await using var w = await ComputedAsync();
        // Open on Sunday 11-15. A: P1, P2 (registered), P6, P7, P12, P14 (in handling), P18 (dispatched), P25 (registered)
        // = 8. B: P4, P5, P8 (registered), P13, P22 (in handling), P17 (under review), P20 (dispatched; accepted only 11-17) = 7.
        // Not open: P3 (received 11-16), replied P10 P11 P15 P16, finished P9 P19 P21 P23 P24.
        // Overdue: A = P14 (简易办理 due 11-13). B = P8 (first decision due 11-10), P13 (due 11-09: its extension was only
        // granted 11-16), P17 (review due 11-09), P20 (unit acceptance due 11-02), P22 (reply due 06-01) = 5.
        // Not overdue: P12 (extension granted 11-02 moved its deadline to 11-16).
        var (a, b, all) = (await w.RowAsync(W46, w.A), await w.RowAsync(W46, w.B), await w.RowAsync(W46, null));
        Assert.Equal((8, 1), (a.Open, a.Overdue));
        Assert.Equal((7, 5), (b.Open, b.Overdue));
        Assert.Equal((15, 6), (all.Open, all.Overdue));
    }

    [Fact]
    public async Task Assignments_MadeAndResolvedByTheEndOfTheWeek()
    {
        await using var w = await ComputedAsync(W45, W46);
        // B: T10 assigned 10-01, resolved 11-10; T17 assigned 11-12. A: T6 assigned only 11-16 → none in W46.
        var (a, b) = (await w.RowAsync(W46, w.A), await w.RowAsync(W46, w.B));
        Assert.Equal((0, 0), (a.Assignments, a.AssignmentsResolved));
        Assert.Null(a.Value(StatisticFigure.AssignmentResolutionRate));
        Assert.Equal((2, 1), (b.Assignments, b.AssignmentsResolved));
        Assert.Equal(0.5, b.Value(StatisticFigure.AssignmentResolutionRate));
        // W45 (Sunday 11-08): only T10, not yet resolved → 0 %, not "—".
        var b45 = await w.RowAsync(W45, w.B);
        Assert.Equal((1, 0), (b45.Assignments, b45.AssignmentsResolved));
        Assert.Equal(0.0, b45.Value(StatisticFigure.AssignmentResolutionRate));
    }

    [Fact]
    public async Task Backlog_BatchThreadsAndAgedOpenThreads_ResolvedWhenNothingIsOpen()
    {
        await using var w = await ComputedAsync();
        // A: T21 (集中交办, closed 10-01) → backlog, resolved. T23 (aged, closed 05-10) is not a backlog case any more.
        // B: T22 (received 04-01 < 05-19, open) and T24 (集中交办; its repeat P25, unit A, still open) → backlog, unresolved.
        var (a, b, all) = (await w.RowAsync(W46, w.A), await w.RowAsync(W46, w.B), await w.RowAsync(W46, null));
        Assert.Equal((1, 1), (a.BacklogThreads, a.BacklogResolved));
        Assert.Equal((2, 0), (b.BacklogThreads, b.BacklogResolved));
        Assert.Equal((3, 1), (all.BacklogThreads, all.BacklogResolved));
        Assert.Equal(1.0 / 3, all.Value(StatisticFigure.BacklogResolutionRate));
        Assert.Equal(0.0, b.Value(StatisticFigure.BacklogResolutionRate));
    }

    [Fact]
    public async Task Backlog_AThreadHandedDownInABatch_CountsFromTheBatchDateOn_NotInEarlierWeeks()
    {
        await using var w = await HandBuiltAsync();
        await using (var ctx = w.Db.CreateDbContext())
        {
            // Batch 7 is handed down on Wednesday 11-18 (W47); its thread was received 10-01 and is still open.
            ctx.AssignmentBatches.Add(new AssignmentBatch
            {
                Id = 7, Name = "第七批集中交办", CreatedOn = new DateOnly(2026, 11, 18), CreatedAtUtc = DateTime.UtcNow, CreatedBy = "值班员",
            });
            w.Petition(ctx, "P30", w.A, new DateOnly(2026, 10, 1), accepted: new DateOnly(2026, 10, 2), batch: 7);
            await ctx.SaveChangesAsync(Ct);
        }
        foreach (var week in new[] { W46, W47 })
            Assert.True(await w.Recomputer.RecomputeWeekAsync(week, w.Clock.GetUtcNow().UtcDateTime, Ct));

        // A: T21 (batch 1, handed down 03-01) in both weeks; T30 only from W47.
        Assert.Equal(1, (await w.RowAsync(W46, w.A)).BacklogThreads);
        Assert.Equal(2, (await w.RowAsync(W47, w.A)).BacklogThreads);
    }

    [Fact]
    public async Task AssignmentResolvedInW46_RelapsedInW48_IsResolvedInW46AndW47_NotInW48()
    {
        await using var w = await HandBuiltAsync();
        var w48 = new IsoWeek(2026, 48);
        // T17's 包案 (B, assigned 11-12) is resolved on Friday 11-13 (W46); a repeat reopens it on Wednesday 11-25 (W48).
        // Both steps go through the lifecycle the product uses, so the dates are those the product keeps.
        await using (var ctx = w.Db.CreateDbContext())
        {
            var t17 = await ctx.LeaderAssignments.SingleAsync(a => a.AssignedOn == new DateOnly(2026, 11, 12), Ct);
            AssignmentLifecycle.Resolve(t17, "息诉罢访", new DateOnly(2026, 11, 13), "督查甲", []);
            AssignmentLifecycle.Relapse(t17, new DateOnly(2026, 11, 25));
            await ctx.SaveChangesAsync(Ct);
        }
        w.Clock.Now = TestClock.AtShanghai(2026, 12, 1).Now;
        foreach (var week in new[] { W46, W47, w48 })
            Assert.True(await w.Recomputer.RecomputeWeekAsync(week, w.Clock.GetUtcNow().UtcDateTime, Ct));

        // B: T10 (resolved 11-10) counts in every week; T17 in W46 and W47 only. Recomputing after the relapse keeps them.
        Assert.Equal((2, 2), ((await w.RowAsync(W46, w.B)).Assignments, (await w.RowAsync(W46, w.B)).AssignmentsResolved));
        Assert.Equal((2, 2), ((await w.RowAsync(W47, w.B)).Assignments, (await w.RowAsync(W47, w.B)).AssignmentsResolved));
        Assert.Equal((2, 1), ((await w.RowAsync(w48, w.B)).Assignments, (await w.RowAsync(w48, w.B)).AssignmentsResolved));
        Assert.Equal(0.5, (await w.RowAsync(w48, w.B)).Value(StatisticFigure.AssignmentResolutionRate));
    }

    [Fact]
    public async Task ZeroDenominators_ShowADash_ForEveryRate()
    {
        await using var w = await ComputedAsync();
        var c = await w.RowAsync(W46, w.C);
        foreach (var rate in StatisticFigures.Rates)
        {
            Assert.Null(c.Value(rate.Figure));
            Assert.Equal("—", Kpi.Format(c.Value(rate.Figure)));
        }
        Assert.Null(w.Service.LeadershipIndex(c));
    }
}

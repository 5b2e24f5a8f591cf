using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// "At the end of W" (docs/rules.md §8) against a later undo: small worlds, every figure worked by hand, the later change made
/// through the product's own service. W45 = 11-02 … 11-08, W46 = 11-09 … 11-15, W47 = 11-16 … 11-22 (2026); the 积案 age cut
/// of W46 is "received before 05-19".
/// </summary>
public sealed class DatedHistoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static DateOnly D(int m, int d) => new(2026, m, d);

    private static ThreadLinkingService Linking(StatisticsWorld w) => new(w.Db, w.Clock, TestUsers.Guard(Roles.DutyOfficer));

    private static CaseHandlingService Cases(StatisticsWorld w) => new(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Guard(Roles.DutyOfficer),
        Options.Create(new SupervisionOptions()), Options.Create(new BacklogOptions()));

    private static async Task<WeeklyUnitStatistic> StoredAsync(StatisticsWorld w, IsoWeek week, int unitId)
    {
        Assert.True(await w.Recomputer.RecomputeWeekAsync(week, w.Clock.GetUtcNow().UtcDateTime, Ct));
        return await w.RowAsync(week, unitId);
    }

    /// <summary>Every figure of a row, for "the same figures before and after".</summary>
    private static int?[] Figures(WeeklyUnitStatistic row) =>
        [.. Enum.GetValues<StatisticMeasure>().Select(m => (int?)row[m]), row.GroupVisitPeople];

    [Fact]
    public async Task UnlinkingARepeat_KeepsThePastWeeks重件And积案_TheRecomputeGivesTheSameFigures()
    {
        await using var w = await EmptyAsync();
        int p2Id;
        await using (var ctx = w.Db.CreateDbContext())
        {
            // T1: P1 (aged 初件, 办结 05-01) and its repeat P2, registered in W46 and still open.
            var p1 = w.Petition(ctx, "P1", w.A, D(3, 1), accepted: D(3, 2), replied: D(4, 1), finished: D(5, 1), state: PetitionState.Closed);
            var p2 = w.Petition(ctx, "P2", w.A, D(11, 10), repeatOf: p1);
            await ctx.SaveChangesAsync(Ct);
            p2Id = p2.Id;
        }
        // At the end of W46: 新增 1 (P2), 初件 0, 重件 1; 积案 1 (T1: P1 received before 05-19, P2 open), 化解 0.
        var before = await StoredAsync(w, W46, w.A);
        Assert.Equal((1, 0, 1, 1, 0), (before.NewPetitions, before.FirstPetitions, before.RepeatPetitions, before.BacklogThreads, before.BacklogResolved));

        // Tuesday of W47: an officer finds P2 is not a repeat of P1 and takes it out of the thread.
        await Linking(w).UnlinkAsync(p2Id, "非同一事项", Ct);

        // W46 is not rewritten: P2 was a 重件 of T1 at its end, and T1 had an open petition then.
        var after = await StoredAsync(w, W46, w.A);
        Assert.Equal(Figures(before), Figures(after));
        // From W47 on the unlink holds: P2 is a 初件 of its own thread, T1 has nothing open, so it is no longer a 积案;
        // P2's own thread is young (received 11-10).
        await using (var ctx = w.Db.CreateDbContext())
        {
            var p2 = await ctx.Petitions.AsNoTracking().SingleAsync(p => p.Id == p2Id, Ct);
            Assert.False(p2.IsRepeat);
            var w47 = w.Calculator.Populations(W47);
            Assert.False(w47.RepeatAtEnd.Compile()(p2));
            Assert.Equal(0, await w47.Petitions(ctx, StatisticMeasure.BacklogThreads, w.A).CountAsync(Ct));
            var w46 = w.Calculator.Populations(W46);
            Assert.Equal(["P2"], (await w46.Petitions(ctx, StatisticMeasure.RepeatPetitions, w.A).Select(p => p.CaseNumber).ToListAsync(Ct))
                .Select(n => n[..2]));
            // W46's list of 重件 shows P2 as the 重件 it was then.
            var list = await w.Service.ListAsync(new DrillDownQuery(W46, StatisticMeasure.RepeatPetitions, w.A), 0, 10, ct: Ct);
            Assert.True(Assert.Single(list.Rows).IsRepeat);
            var change = Assert.Single(await ctx.PetitionThreadChanges.AsNoTracking().Where(c => c.PetitionId == p2Id).ToListAsync(Ct));
            Assert.Equal((D(11, 17), true, false), (change.On, change.FromIsRepeat, change.ToIsRepeat));
        }
    }

    [Fact]
    public async Task AMergeUndoneTheNextWeek_CountsInTheWeekItHeld_AndNotBeforeOrAfter()
    {
        await using var w = await EmptyAsync();
        int p1Id, p3Id;
        await using (var ctx = w.Db.CreateDbContext())
        {
            var p1 = w.Petition(ctx, "P1", w.A, D(10, 20));                 // open 初件, unit A
            var p3 = w.Petition(ctx, "P3", w.A, D(11, 10));                 // registered in W46 as a first petition
            await ctx.SaveChangesAsync(Ct);
            (p1Id, p3Id) = (p1.Id, p3.Id);
        }
        // W46 as computed on Tuesday 11-10, before the merge: P3 is a 初件.
        w.Clock.Now = TestClock.AtShanghai(2026, 11, 10, 18).Now;
        await using (var ctx = w.Db.CreateDbContext())
        {
            var beforeMerge = (await w.Calculator.ComputeAsync(ctx, W46, w.Clock.GetUtcNow().UtcDateTime, Ct)).Single(r => r.UnitId == w.A);
            Assert.Equal((1, 1, 0), (beforeMerge.NewPetitions, beforeMerge.FirstPetitions, beforeMerge.RepeatPetitions));
        }

        // Wednesday 11-11 (W46): merged into P1's thread by hand — a 重件 from then on.
        w.Clock.Now = TestClock.AtShanghai(2026, 11, 11).Now;
        await Linking(w).LinkAsync(p3Id, p1Id, "同一信访人同一事项", confirmed: true, Ct);
        // Tuesday 11-17 (W47): the merge is undone (移出此链), P3 is back on a thread of its own.
        w.Clock.Now = TestClock.AtShanghai(2026, 11, 17).Now;
        await Linking(w).UnlinkAsync(p3Id, "误并，撤销", Ct);

        // W46's end saw the merge: 新增 1, 初件 0, 重件 1. W45 saw nothing of P3 (not yet received).
        var w46 = await StoredAsync(w, W46, w.A);
        Assert.Equal((1, 0, 1), (w46.NewPetitions, w46.FirstPetitions, w46.RepeatPetitions));
        await using var db = w.Db.CreateDbContext();
        Assert.False((await db.Petitions.AsNoTracking().SingleAsync(p => p.Id == p3Id, Ct)).IsRepeat);
        Assert.True(w.Calculator.Populations(W46).RepeatAtEnd.Compile().Invoke(await WithChangesAsync(db, p3Id)));
        Assert.False(w.Calculator.Populations(W47).RepeatAtEnd.Compile().Invoke(await WithChangesAsync(db, p3Id)));
        // Two dated changes: 11-11 (初件 of its own → 重件 of T1) and 11-17 (back).
        Assert.Equal([(D(11, 11), false, true), (D(11, 17), true, false)],
            (await db.PetitionThreadChanges.AsNoTracking().Where(c => c.PetitionId == p3Id).OrderBy(c => c.Id).ToListAsync(Ct))
                .Select(c => (c.On, c.FromIsRepeat, c.ToIsRepeat)).ToList());
    }

    [Fact]
    public async Task A包案ResolvedRelapsedAndResolvedAgain_Counts化解InTheWeeksItHeld()
    {
        await using var w = await EmptyAsync(historyWeeks: 8, recomputeWeeks: 6);
        int p1Id, p2Id, assignmentId;
        await using (var ctx = w.Db.CreateDbContext())
        {
            var p1 = w.Petition(ctx, "P1", w.B, D(9, 1), accepted: D(9, 2), replied: D(10, 1), finished: D(10, 20), state: PetitionState.Closed);
            var p2 = w.Petition(ctx, "P2", w.B, D(11, 3));                  // same person, same matter, registered in W45 as a new matter
            await ctx.SaveChangesAsync(Ct);
            var a = new LeaderAssignment
            {
                Leader = ctx.Leaders.Single(), ThreadId = p1.ThreadId, LeadUnitId = w.B, ResponsiblePerson = "李四", Plan = "化解方案",
                AssignedOn = D(9, 20), DueOn = D(12, 19), Status = AssignmentStatus.Active,
            };
            // 息诉罢访 on Wednesday 10-28 (W44), as the 包案 page does it.
            AssignmentLifecycle.Resolve(a, "息诉罢访", D(10, 28), "督查", []);
            ctx.LeaderAssignments.Add(a);
            await ctx.SaveChangesAsync(Ct);
            (p1Id, p2Id, assignmentId) = (p1.Id, p2.Id, a.Id);
        }
        // Thursday 11-05 (W45): P2 is linked to P1's thread by hand — a repeat after 息诉罢访: 反弹 (再访原领导包).
        w.Clock.Now = TestClock.AtShanghai(2026, 11, 5).Now;
        await Linking(w).LinkAsync(p2Id, p1Id, "同一事项再访", confirmed: true, Ct);
        // Thursday 11-12 (W46): resolved again.
        await using (var ctx = w.Db.CreateDbContext())
        {
            var a = await ctx.LeaderAssignments.Include(x => x.Resolutions).SingleAsync(x => x.Id == assignmentId, Ct);
            Assert.Equal(AssignmentStatus.Relapsed, a.Status);
            AssignmentLifecycle.Resolve(a, "再次息诉罢访", D(11, 12), "督查", []);
            await ctx.SaveChangesAsync(Ct);
        }
        w.Clock.Now = TestClock.AtShanghai(2026, 11, 17).Now;

        // 包案数 1 in every week from its assignment; 化解: W43 no (not yet), W44 yes, W45 no (relapsed 11-05), W46 yes, W47 yes.
        var expected = new Dictionary<IsoWeek, (int, int)>
        {
            [new IsoWeek(2026, 43)] = (1, 0), [new IsoWeek(2026, 44)] = (1, 1), [W45] = (1, 0), [W46] = (1, 1), [W47] = (1, 1),
        };
        await using var db = w.Db.CreateDbContext();
        foreach (var (week, figures) in expected)
        {
            var row = (await w.Calculator.ComputeAsync(db, week, w.Clock.GetUtcNow().UtcDateTime, Ct)).Single(r => r.UnitId == w.B);
            Assert.True(figures == (row.Assignments, row.AssignmentsResolved), $"{week}: {row.Assignments}/{row.AssignmentsResolved}");
        }
        var stored = await db.AssignmentResolutions.AsNoTracking().Where(r => r.AssignmentId == assignmentId).OrderBy(r => r.Id).ToListAsync(Ct);
        Assert.Equal([(D(10, 28), (DateOnly?)D(11, 5)), (D(11, 12), (DateOnly?)null)], stored.Select(r => (r.ResolvedOn, r.RelapsedOn)).ToList());
    }

    [Fact]
    public async Task AUnitChangedAfterW_WCountsItForTheUnitResponsibleAtItsEnd()
    {
        await using var w = await EmptyAsync();
        string caseNumber;
        await using (var ctx = w.Db.CreateDbContext())
        {
            // Registered 11-03 (W45) with 甲县 as 责任单位, waiting on the bureau; first decision due 11-18.
            var p = w.Petition(ctx, "P1", w.A, D(11, 3));
            await ctx.SaveChangesAsync(Ct);
            caseNumber = p.CaseNumber;
        }
        // W46's end, before anything else happens: 在办 1 for 甲县, 0 for 乙局.
        var aBefore = await StoredAsync(w, W46, w.A);
        var bBefore = await w.RowAsync(W46, w.B);
        Assert.Equal((1, 0), (aBefore.Open, bBefore.Open));

        // Tuesday 11-17 (W47): 转送 to 乙局.
        int version;
        await using (var ctx = w.Db.CreateDbContext()) version = (await ctx.Petitions.SingleAsync(p => p.CaseNumber == caseNumber, Ct)).Version;
        await Cases(w).RecordAsync(caseNumber, version, new CaseStepInput { Step = CaseStep.Transfer, On = D(11, 17), UnitId = w.B }, Ct);

        // W46 still counts it for 甲县 (its unit at W46's end): the same figures for both units, and the drill-down agrees.
        var aAfter = await StoredAsync(w, W46, w.A);
        var bAfter = await w.RowAsync(W46, w.B);
        Assert.Equal(Figures(aBefore), Figures(aAfter));
        Assert.Equal(Figures(bBefore), Figures(bAfter));
        await using var db = w.Db.CreateDbContext();
        var w46 = w.Calculator.Populations(W46);
        Assert.Equal(1, await w46.Petitions(db, StatisticMeasure.Open, w.A).CountAsync(Ct));
        Assert.Equal(0, await w46.Petitions(db, StatisticMeasure.Open, w.B).CountAsync(Ct));
        // The drill-down and the 超期清单-style lists name the unit it was counted for that week, not today's.
        var list = await w.Service.ListAsync(new DrillDownQuery(W46, StatisticMeasure.Open, w.A), 0, 10, ct: Ct);
        Assert.Equal(["甲县"], list.Rows.Select(r => r.UnitName));
        var now = await w.Service.ListAsync(new DrillDownQuery(W47, StatisticMeasure.Open, w.B), 0, 10, ct: Ct);
        Assert.Equal(["乙局"], now.Rows.Select(r => r.UnitName));
        // W47 (its end after the 转送): 乙局's.
        var w47 = await w.Calculator.ComputeAsync(db, W47, w.Clock.GetUtcNow().UtcDateTime, Ct);
        Assert.Equal((0, 1), (w47.Single(r => r.UnitId == w.A).Open, w47.Single(r => r.UnitId == w.B).Open));
        var change = Assert.Single(await db.PetitionUnitChanges.AsNoTracking().ToListAsync(Ct));
        Assert.Equal((D(11, 17), w.A, w.B), (change.On, change.FromUnitId, change.ToUnitId));
    }

    private static async Task<Petition> WithChangesAsync(PetitionDashboard.Data.AppDbContext db, int id) =>
        await db.Petitions.AsNoTracking().Include(p => p.ThreadChanges).SingleAsync(p => p.Id == id, Ct);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// DOMAIN §4: 存档备查 of a repeat while its first petition is still in its window (being handled within its time limit).
/// The repeat's first decision is the filing; it is finished (never 在办 or 超期), stays a 重件 of the thread, and the 初件
/// goes on. Figures worked by hand; W46 = 11-09 … 11-15, W48 = 11-23 … 11-29 (2026).
/// </summary>
public sealed class FiledRepeatTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static DateOnly D(int m, int d) => new(2026, m, d);

    [Fact]
    public async Task ARepeatFiledWhileTheFirstIsInItsWindow_IsFinishedDecidedOnTimeAndStillA重件()
    {
        await using var w = await EmptyAsync();
        string p2Number;
        int threadId, p1Id;
        await using (var ctx = w.Db.CreateDbContext())
        {
            // P1: received Mon 10-26, accepted Wed 10-28 → reply due 10-28+60 = Sun 12-27 → Mon 12-28: in its window in November.
            var p1 = w.Petition(ctx, "P1", w.A, D(10, 26), accepted: D(10, 28));
            // P2: the same person on the same matter, Tue 11-10 (W46) → first decision due 11-10+15 = Wed 11-25 (W48).
            var p2 = w.Petition(ctx, "P2", w.A, D(11, 10), repeatOf: p1);
            await ctx.SaveChangesAsync(Ct);
            (p2Number, threadId, p1Id) = (p2.CaseNumber, p1.ThreadId, p1.Id);
        }
        var cases = new CaseHandlingService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Guard(Roles.DutyOfficer),
            Options.Create(new SupervisionOptions()), Options.Create(new BacklogOptions()));
        int version;
        await using (var ctx = w.Db.CreateDbContext()) version = (await ctx.Petitions.SingleAsync(p => p.CaseNumber == p2Number, Ct)).Version;
        Assert.Contains(CaseStep.File, await cases.AvailableAsync(p2Number, Ct));

        // Thu 11-12: filed (存档备查), the note says why.
        await cases.RecordAsync(p2Number, version,
            new CaseStepInput { Step = CaseStep.File, On = D(11, 12), Note = "原信访事项正在办理期限内，存档备查" }, Ct);

        await using var db = w.Db.CreateDbContext();
        var filed = await db.Petitions.AsNoTracking().Include(p => p.Events).SingleAsync(p => p.CaseNumber == p2Number, Ct);
        Assert.Equal((PetitionState.Filed, (DateOnly?)D(11, 12), (DateOnly?)D(11, 12), (DateOnly?)null),
            (filed.State, filed.FinishedOn, filed.FirstDecisionOn, filed.CurrentDueDate));
        Assert.True(filed.IsRepeat);
        var e = Assert.Single(filed.Events, x => x.Kind == PetitionEventKind.Transition && x.ToState == PetitionState.Filed);
        Assert.Equal((D(11, 12), "原信访事项正在办理期限内，存档备查"), (e.On, e.Note));
        // The thread keeps both; the 初件 goes on being handled.
        var thread = await db.Threads.AsNoTracking().SingleAsync(t => t.Id == threadId, Ct);
        Assert.Equal(2, thread.PetitionCount);
        var first = await db.Petitions.AsNoTracking().SingleAsync(p => p.Id == p1Id, Ct);
        Assert.Equal((threadId, false, PetitionState.InHandling), (first.ThreadId, first.IsRepeat, first.State));
        // No further step: a finished petition is not reopened.
        Assert.DoesNotContain(await cases.AvailableAsync(p2Number, Ct), s => s is not (CaseStep.Evaluate or CaseStep.Extend));

        // W46: 新增 1 (P2), 初件 0, 重件 1; 在办 1 (P1; P2 finished 11-12), 超期 0; 及时受理: P1's first decision falls due in
        // W46 (10-26 + 15 = Tue 11-10) and was made 10-28: 1 / 1.
        var w46 = (await w.Calculator.ComputeAsync(db, W46, w.Clock.GetUtcNow().UtcDateTime, Ct)).Single(r => r.UnitId == w.A);
        Assert.Equal((1, 0, 1, 1, 0, 1, 1), (w46.NewPetitions, w46.FirstPetitions, w46.RepeatPetitions, w46.Open, w46.Overdue,
            w46.FirstDecisionDue, w46.FirstDecisionOnTime));
        // W48: P2's first decision falls due (11-25), and the filing on 11-12 met it: 1 / 1; still not 在办.
        var w48 = (await w.Calculator.ComputeAsync(db, new IsoWeek(2026, 48), w.Clock.GetUtcNow().UtcDateTime, Ct)).Single(r => r.UnitId == w.A);
        Assert.Equal((1, 1, 1, 0), (w48.FirstDecisionDue, w48.FirstDecisionOnTime, w48.Open, w48.Overdue));
    }
}

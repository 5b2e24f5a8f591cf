using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Supervision;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Supervision;

public sealed class SupervisionServiceTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 3, 10);
    private TestDatabase _db = null!;
    private readonly TestClock _clock = TestClock.AtShanghai(2026, 3, 10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // With the app's audit interceptor: a level change must reach the audit trail exactly once.
    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync(
        new PetitionDashboard.Data.Audit.AuditInterceptor(new PetitionDashboard.Data.Audit.AuditActorAccessor(), TimeProvider.System, PetitionDashboard.Tests.Support.TestPersonalData.Protector));

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private SupervisionService Service(int warnDays = 5, int listedAfterDays = 30, int backlogAgeDays = 180) => new(
        _db, _clock,
        Options.Create(new DeadlineOptions { WarnDays = warnDays }),
        Options.Create(new SupervisionOptions { ListedAfterDays = listedAfterDays }),
        Options.Create(new BacklogOptions { AgeDays = backlogAgeDays }),
        NullLogger<SupervisionService>.Instance,
        new PetitionDashboard.Features.Account.AccessGuard(PetitionDashboard.Features.Account.FixedCurrentUser.For("督查员甲", [Roles.Supervisor])));

    private async Task<T> Seed<T>(Func<SupervisionSeed, T> build)
    {
        await using var ctx = _db.CreateDbContext();
        var result = build(new SupervisionSeed(ctx));
        await ctx.SaveChangesAsync(Ct);
        return result;
    }

    private async Task<(SupervisionLevel Level, bool ByHand)> LevelOf(int petitionId)
    {
        await using var ctx = _db.CreateDbContext();
        var p = await ctx.Petitions.SingleAsync(x => x.Id == petitionId, Ct);
        return (p.Supervision, p.SupervisionRaisedByHand);
    }

    private async Task<List<PetitionEvent>> EventsOf(int petitionId)
    {
        await using var ctx = _db.CreateDbContext();
        return await ctx.PetitionEvents.Where(e => e.PetitionId == petitionId).OrderBy(e => e.Id).ToListAsync(Ct);
    }

    [Theory]
    [InlineData(6, SupervisionLevel.None)]      // 6 days left: 正常
    [InlineData(5, SupervisionLevel.Urge)]      // 5 days left: 临期 → 催办
    [InlineData(0, SupervisionLevel.Urge)]      // due today: not yet overdue
    [InlineData(-1, SupervisionLevel.Supervise)] // 1 day overdue → 督办
    [InlineData(-30, SupervisionLevel.Supervise)] // exactly 30 days overdue: not "more than 30"
    [InlineData(-31, SupervisionLevel.Listed)]  // 31 days overdue → 挂牌督办
    public async Task Recompute_DerivesTheLevelFromTheCurrentDeadline(int daysLeft, SupervisionLevel expected)
    {
        var p = await Seed(s => s.Petition(Today.AddDays(daysLeft)));

        await Service().RecomputeAsync(Today, Ct);

        Assert.Equal(expected, (await LevelOf(p.Id)).Level);
    }

    [Fact]
    public async Task Recompute_WritesAnEventWithOldAndNewLevel_AndAnAuditRow()
    {
        var p = await Seed(s => s.Petition(Today.AddDays(-31), level: SupervisionLevel.Supervise));

        var result = await Service().RecomputeAsync(Today, Ct);

        Assert.Equal(1, result.Changed);
        var e = Assert.Single(await EventsOf(p.Id));
        Assert.Equal(PetitionEventKind.SupervisionChanged, e.Kind);
        Assert.Equal("督办 → 挂牌督办", e.Detail);
        Assert.Equal("系统（每日重算）", e.Actor);
        Assert.Equal(Today, e.On);
        await using var ctx = _db.CreateDbContext();
        var audit = await ctx.AuditEntries.SingleAsync(a => a.Field == nameof(Petition.Supervision), Ct);
        Assert.Equal((p.CaseNumber, "督办", "挂牌督办"), (audit.CaseNumber, audit.OldValue, audit.NewValue));
    }

    [Fact]
    public async Task Recompute_Twice_ChangesNothingTheSecondTime()
    {
        var p = await Seed(s => s.Petition(Today.AddDays(-3)));
        var service = Service();

        await service.RecomputeAsync(Today, Ct);
        var second = await service.RecomputeAsync(Today, Ct);

        Assert.Equal(0, second.Changed);
        Assert.Single(await EventsOf(p.Id));
    }

    [Theory]
    [InlineData(AssignmentStatus.Active, SupervisionLevel.Listed)]
    [InlineData(AssignmentStatus.Relapsed, SupervisionLevel.Listed)]
    [InlineData(AssignmentStatus.Resolved, SupervisionLevel.Supervise)]
    public async Task Recompute_PastDueInA包案Thread_IsListed_WhileTheAssignmentIsNotResolved(
        AssignmentStatus status, SupervisionLevel expected)
    {
        var p = await Seed(s =>
        {
            var petition = s.Petition(Today.AddDays(-2));
            s.Assign(petition.Thread, status, Today.AddDays(-40));
            return petition;
        });

        await Service().RecomputeAsync(Today, Ct);

        Assert.Equal(expected, (await LevelOf(p.Id)).Level);
    }

    [Fact]
    public async Task Recompute_PastDueInABacklogThread_IsListed_ByBatchOrByAge()
    {
        var (batch, old, young) = await Seed(s =>
        {
            var inBatch = s.Petition(Today.AddDays(-2), receivedOn: Today.AddDays(-70));
            inBatch.Thread.BacklogBatchId = s.Batch(7, Today.AddDays(-60)).Id;
            var oldThread = s.Petition(Today.AddDays(-2), receivedOn: Today.AddDays(-181));
            var youngThread = s.Petition(Today.AddDays(-2), receivedOn: Today.AddDays(-180));
            return (inBatch, oldThread, youngThread);
        });

        await Service().RecomputeAsync(Today, Ct);

        Assert.Equal(SupervisionLevel.Listed, (await LevelOf(batch.Id)).Level);
        Assert.Equal(SupervisionLevel.Listed, (await LevelOf(old.Id)).Level);   // open 181 days > Backlog:AgeDays
        Assert.Equal(SupervisionLevel.Supervise, (await LevelOf(young.Id)).Level); // open exactly 180 days: not yet 积案
    }

    [Fact]
    public async Task Recompute_A包案ThreadNotYetPastDue_IsOnlyUrged()
    {
        var p = await Seed(s =>
        {
            var petition = s.Petition(Today.AddDays(3));
            s.Assign(petition.Thread, AssignmentStatus.Active, Today.AddDays(-10));
            return petition;
        });

        await Service().RecomputeAsync(Today, Ct);

        Assert.Equal(SupervisionLevel.Urge, (await LevelOf(p.Id)).Level);
    }

    [Fact]
    public async Task Recompute_KeepsAHandRaisedLevelWhileOverdue_AndDropsItOnceNoLongerOverdue()
    {
        var p = await Seed(s => s.Petition(Today.AddDays(-2), level: SupervisionLevel.Listed, raisedByHand: true));

        var kept = await Service().RecomputeAsync(Today, Ct);
        Assert.Equal(0, kept.Changed);
        Assert.Equal((SupervisionLevel.Listed, true), await LevelOf(p.Id));

        // The deadline is extended past the warning window: the petition is no longer overdue.
        await using (var ctx = _db.CreateDbContext())
        {
            var row = await ctx.Petitions.SingleAsync(x => x.Id == p.Id, Ct);
            row.CurrentDueDate = Today.AddDays(20);
            await ctx.SaveChangesAsync(Ct);
        }
        await Service().RecomputeAsync(Today, Ct);

        Assert.Equal((SupervisionLevel.None, false), await LevelOf(p.Id));
        Assert.Equal("挂牌督办 → 无", Assert.Single(await EventsOf(p.Id)).Detail);
    }

    [Fact]
    public async Task Recompute_LeavesFinishedPetitionsAlone()
    {
        var p = await Seed(s => s.Petition(Today.AddDays(-40), state: PetitionState.Closed));

        var result = await Service().RecomputeAsync(Today, Ct);

        Assert.Equal(0, result.Examined);
        Assert.Equal(SupervisionLevel.None, (await LevelOf(p.Id)).Level);
        Assert.Empty(await EventsOf(p.Id));
    }

    [Fact]
    public async Task Recompute_ReadsOnlyCandidates_InBatches_AndSavesOnlyChanges()
    {
        const int overdue = 1_100, alreadyRight = 150, farFromDue = 400;
        await Seed(s =>
        {
            for (var i = 0; i < overdue; i++) s.Petition(Today.AddDays(-1 - i % 20));
            for (var i = 0; i < alreadyRight; i++) s.Petition(Today.AddDays(-3), level: SupervisionLevel.Supervise);
            for (var i = 0; i < farFromDue; i++) s.Petition(Today.AddDays(30 + i % 30));
            return 0;
        });

        var result = await Service().RecomputeAsync(Today, Ct);

        Assert.Equal(overdue + alreadyRight, result.Examined);
        Assert.Equal(overdue, result.Changed);
        Assert.Equal((overdue + alreadyRight + SupervisionService.BatchSize - 1) / SupervisionService.BatchSize, result.Batches);
        await using var ctx = _db.CreateDbContext();
        Assert.Equal(overdue, await ctx.PetitionEvents.CountAsync(Ct));
        Assert.Equal(overdue + alreadyRight,
            await ctx.Petitions.CountAsync(x => x.Supervision == SupervisionLevel.Supervise, Ct));
        Assert.Equal(farFromDue, await ctx.Petitions.CountAsync(x => x.Supervision == SupervisionLevel.None, Ct));
    }

    [Fact]
    public async Task Raise_SetsTheLevelByHand_WithNoteAndActor_AndRecomputeKeepsIt()
    {
        var p = await Seed(s => s.Petition(Today.AddDays(-2), level: SupervisionLevel.Supervise));

        await Service().RaiseAsync(p.CaseNumber, SupervisionLevel.Listed, "群众多次来电反映，提级督办", Ct);

        Assert.Equal((SupervisionLevel.Listed, true), await LevelOf(p.Id));
        var e = Assert.Single(await EventsOf(p.Id));
        Assert.Equal(("督办 → 挂牌督办", "群众多次来电反映，提级督办", "督查员甲"), (e.Detail, e.Note, e.Actor));

        var recompute = await Service().RecomputeAsync(Today, Ct);
        Assert.Equal(0, recompute.Changed);
        Assert.Equal((SupervisionLevel.Listed, true), await LevelOf(p.Id));
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.DutyOfficer)]
    [InlineData(Roles.SystemAdmin)]
    public async Task Raise_IsForSupervisorsOnly(string role)
    {
        var p = await Seed(s => s.Petition(Today.AddDays(-2), level: SupervisionLevel.Supervise));
        var service = new SupervisionService(_db, _clock, Options.Create(new DeadlineOptions()), Options.Create(new SupervisionOptions()),
            Options.Create(new BacklogOptions()), NullLogger<SupervisionService>.Instance,
            new PetitionDashboard.Features.Account.AccessGuard(PetitionDashboard.Features.Account.FixedCurrentUser.For("某人", [role])));

        await Refused.NotAllowedAsync(() =>
            service.RaiseAsync(p.CaseNumber, SupervisionLevel.Listed, "说明", Ct));

        Assert.Equal((SupervisionLevel.Supervise, false), await LevelOf(p.Id));
    }

    [Fact]
    public async Task Raise_RefusesToLowerOrKeepTheLevel()
    {
        var p = await Seed(s => s.Petition(Today.AddDays(-2), level: SupervisionLevel.Listed));

        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service().RaiseAsync(p.CaseNumber, SupervisionLevel.Supervise, "说明", Ct));

        Assert.Contains("只能提高", ex.Message);
        Assert.Contains("挂牌督办", ex.Message);
        Assert.Empty(await EventsOf(p.Id));
    }

    [Fact]
    public async Task Raise_RefusesAFinishedPetition()
    {
        var p = await Seed(s => s.Petition(null, state: PetitionState.Closed));

        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service().RaiseAsync(p.CaseNumber, SupervisionLevel.Supervise, "说明", Ct));

        Assert.Contains("只有在办的信访事项", ex.Message);
        Assert.Equal(SupervisionLevel.None, (await LevelOf(p.Id)).Level);
    }

    [Fact]
    public async Task Raise_NeedsANote_AndAnExistingCaseNumber()
    {
        var p = await Seed(s => s.Petition(Today.AddDays(1)));

        var noNote = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service().RaiseAsync(p.CaseNumber, SupervisionLevel.Supervise, "  ", Ct));
        var unknown = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service().RaiseAsync("LC-NONE", SupervisionLevel.Supervise, "说明", Ct));

        Assert.Contains("说明", noNote.Message);
        Assert.Contains("LC-NONE", unknown.Message);
        Assert.Contains("不存在", unknown.Message);
    }

    [Fact]
    public async Task DailyJob_CountsDaysInShanghai_NotInUtc()
    {
        // 00:30 in Shanghai on 10 March is still 9 March in UTC: a petition due on 9 March is one day overdue.
        var p = await Seed(s => s.Petition(new DateOnly(2026, 3, 9)));
        var clock = TestClock.AtShanghai(2026, 3, 10, 0, 30);
        await using var services = JobServices(clock);

        var result = await services.GetRequiredService<SupervisionDailyJob>().RunAsync(Ct);

        Assert.Equal(Today, result.Today);
        Assert.Equal(SupervisionLevel.Supervise, (await LevelOf(p.Id)).Level);
        Assert.Equal(Today, Assert.Single(await EventsOf(p.Id)).On);
    }

    [Fact]
    public async Task DailyJob_RunsAsTheSystemUser_AndRecordsTheSystemActor_WhoeverStartedIt()
    {
        var p = await Seed(s => s.Petition(Today.AddDays(-1)));
        await using var services = JobServices(_clock);
        var audit = services.GetRequiredService<AuditActorAccessor>();

        // Started from a user's flow (a circuit sets the audit actor): the job still acts, and is recorded, as the system.
        using (audit.Use(() => "督查员甲"))
            await services.GetRequiredService<SupervisionDailyJob>().RunAsync(Ct);

        Assert.Equal(SupervisionLevel.Supervise, (await LevelOf(p.Id)).Level);
        Assert.Equal("系统（每日重算）", Assert.Single(await EventsOf(p.Id)).Actor);
        await using var ctx = _db.CreateDbContext();
        var row = await ctx.AuditEntries.SingleAsync(a => a.Field == nameof(Petition.Supervision), Ct);
        Assert.Equal((AuditActorAccessor.SystemActor, "无", "督办"), (row.Actor, row.OldValue, row.NewValue));
    }

    [Fact]
    public async Task Recompute_OutsideTheSystemScope_IsRefusedToAnonymous()
    {
        var p = await Seed(s => s.Petition(Today.AddDays(-1)));
        var anonymous = new SupervisionService(_db, _clock, Options.Create(new DeadlineOptions()), Options.Create(new SupervisionOptions()),
            Options.Create(new BacklogOptions()), NullLogger<SupervisionService>.Instance, new AccessGuard(FixedCurrentUser.Anonymous));

        await Refused.NotAllowedAsync(() => anonymous.RecomputeAsync(Today, Ct));

        Assert.Equal(SupervisionLevel.None, (await LevelOf(p.Id)).Level);
    }

    /// <summary>The services a job sees, registered as the app registers them: the current user is the app's CurrentUser.</summary>
    private ServiceProvider JobServices(TimeProvider clock) => new ServiceCollection()
        .AddHttpContextAccessor()
        .AddScoped<CurrentUser>()
        .AddScoped<ICurrentUser>(sp => sp.GetRequiredService<CurrentUser>())
        .AddScoped<AccessGuard>()
        .AddSingleton<AuditActorAccessor>()
        .AddSingleton(clock)
        .AddScoped(sp => new SupervisionService(_db, clock, Options.Create(new DeadlineOptions()), Options.Create(new SupervisionOptions()),
            Options.Create(new BacklogOptions()), NullLogger<SupervisionService>.Instance, sp.GetRequiredService<AccessGuard>()))
        .AddScoped(sp => new PetitionerWindowService(_db, TestRules.Deadlines(), clock, sp.GetRequiredService<AccessGuard>()))
        .AddScoped<SupervisionDailyJob>()
        .BuildServiceProvider();
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Support;

using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Tests.Features.Assignments;

public class AssignmentServiceTests : IAsyncLifetime
{
    /// <summary>A Saturday: 90 days later is 2026-06-19, the first day of the 端午 holiday, so the deadline moves to Monday 06-22.</summary>
    private static readonly DateOnly Today = new(2026, 3, 21);
    private readonly TestClock _clock = TestClock.AtShanghai(2026, 3, 21);
    private readonly TestAssignmentUser _user = new(TestAssignmentUser.Officer());
    private TestDatabase _db = null!;
    private AssignmentSeed _seed = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _seed = await AssignmentSeed.CreateAsync(_db, Ct);
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private AssignmentService Service() => AssignmentSeed.Service(_db, _clock, _user);

    private ICurrentUser Zhang => TestAssignmentUser.LeaderUser(_seed.Zhang, "张三");

    private Task<string[]> Thread(PetitionState state = PetitionState.InHandling, int repeats = 0, PetitionState? repeatState = null) =>
        _seed.ThreadAsync(_db, Today.AddDays(-40), state, repeats, repeatState, Ct);

    private async Task<int> AssignAsZhangAsync(string caseNumber)
    {
        _user.Current = TestAssignmentUser.Officer();
        var outcome = await Service().AssignAsync(caseNumber, _seed.Plan(), Ct);
        return outcome.AssignmentIds.Single();
    }

    private async Task<(int Assignments, int Progress, int Events, int Batches)> CountsAsync()
    {
        await using var db = _db.CreateDbContext();
        return (await db.LeaderAssignments.CountAsync(Ct), await db.AssignmentProgress.CountAsync(Ct),
            await db.PetitionEvents.CountAsync(Ct), await db.AssignmentBatches.CountAsync(Ct));
    }

    private async Task<LeaderAssignment> LoadAsync(int id)
    {
        await using var db = _db.CreateDbContext();
        return await db.LeaderAssignments.Include(a => a.Progress).SingleAsync(a => a.Id == id, Ct);
    }

    private async Task<List<(string CaseNumber, PetitionEvent Event)>> EventsAsync()
    {
        await using var db = _db.CreateDbContext();
        var rows = await db.PetitionEvents.Join(db.Petitions, e => e.PetitionId, p => p.Id, (e, p) => new { p.CaseNumber, e })
            .OrderBy(x => x.e.Id).ToListAsync(Ct);
        return [.. rows.Select(r => (r.CaseNumber, r.e))];
    }

    [Fact]
    public async Task Assign_GivesTheThreadToTheLeader_WithTheNinetyDayDeadlineShiftedOffTheHoliday()
    {
        var numbers = await Thread(repeats: 1);

        var outcome = await Service().AssignAsync(numbers[0], _seed.Plan(), Ct);

        var a = await LoadAsync(outcome.AssignmentIds.Single());
        Assert.Equal(AssignmentStatus.Active, a.Status);
        Assert.Equal(_seed.Zhang, a.LeaderId);
        Assert.Equal(_seed.County, a.LeadUnitId);
        Assert.Equal("市住建局", a.CoUnits);
        Assert.Equal("社区书记钱七", a.StabilityPerson);
        Assert.Equal(Today, a.AssignedOn);
        Assert.Equal(new DateOnly(2026, 6, 22), a.DueOn);
        Assert.Contains("张三（副市长）", outcome.Message);
        var progress = Assert.Single(a.Progress);
        Assert.Equal("值班员小王", progress.Actor);
        Assert.Contains("张三（副市长）", progress.Action);
        // The event goes on the thread's latest petition (the repeat), with old → new.
        var (caseNumber, e) = Assert.Single(await EventsAsync());
        Assert.Equal(numbers[1], caseNumber);
        Assert.Equal(PetitionEventKind.AssignmentChanged, e.Kind);
        Assert.StartsWith("未包案 → 张三（副市长）包案", e.Detail);
        Assert.Equal("值班员小王", e.Actor);
    }

    [Fact]
    public async Task DefaultDeadline_ExplainsTheShiftOffTheDragonBoatHoliday()
    {
        var deadline = Service().DefaultDeadline();

        Assert.Equal(new DateOnly(2026, 6, 22), deadline.Due);
        Assert.Contains("领导包案化解", deadline.Summary);
        Assert.Contains("90日", deadline.Summary);
        Assert.Contains("2026-06-19", deadline.ShiftRule);
    }

    [Fact]
    public async Task Assign_WithMissingFields_NamesEachFieldAndWritesNothing()
    {
        var numbers = await Thread();

        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service().AssignAsync(numbers[0], new AssignmentPlan { ResponsiblePerson = " " }, Ct));

        Assert.Contains("包案领导：必选", ex.Problems);
        Assert.Contains("牵头单位：必选", ex.Problems);
        Assert.Contains("责任人：必填", ex.Problems);
        Assert.Contains("化解方案：必填", ex.Problems);
        Assert.Equal((0, 0, 0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Assign_ByALeader_IsRefusedOnTheServer()
    {
        var numbers = await Thread();
        _user.Current = Zhang;

        var ex = await Refused.NotAllowedAsync(() => Service().AssignAsync(numbers[0], _seed.Plan(), Ct));

        Assert.Contains("值班登记", ex.Message);
        Assert.Equal((0, 0, 0, 0), await CountsAsync());
    }

    [Fact]
    public async Task BulkAssign_WithUnknownClosedAndAssignedCases_ListsEachAndWritesNothing()
    {
        var good1 = (await Thread())[0];
        var good2 = (await Thread())[0];
        var closed = (await Thread(PetitionState.Closed))[0];
        var taken = (await Thread())[0];
        await AssignAsZhangAsync(taken);
        var before = await CountsAsync();

        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() => Service().AssignBatchAsync(
            "2026年第一批集中交办", [good1, "LC-NO-SUCH", closed, taken, good2], _seed.Plan(_seed.Li), Ct));

        Assert.Contains("本批未做任何包案", ex.Message);
        var problems = ex.Problems.Select(p => p.Split('：', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(3, problems.Count);
        Assert.Equal("信访编号不存在", problems["LC-NO-SUCH"]);
        Assert.StartsWith("已办结", problems[closed]);
        Assert.StartsWith("已包案：由 张三（副市长）于", problems[taken]);
        Assert.Equal(before, await CountsAsync());
        await using var db = _db.CreateDbContext();
        Assert.False(await db.Threads.AnyAsync(t => t.BacklogBatchId != null, Ct));
    }

    [Fact]
    public async Task BulkAssign_CreatesANamedBatch_OneAssignmentPerThread_AndMarksTheThreadsAsBacklog()
    {
        var first = await Thread(repeats: 1);
        var second = (await Thread())[0];
        // The closed first petition of a thread whose repeat is still open can be assigned: the thread is not finished.
        var reopened = await Thread(PetitionState.Closed, repeats: 1, repeatState: PetitionState.Registered);

        var outcome = await Service().AssignBatchAsync("2026年第一批集中交办",
            [first[0], second, first[1], second, reopened[0]], new AssignmentPlan
            {
                LeaderId = _seed.Li, ResponsiblePerson = "赵六", Plan = "逐案研判，一案一策",
            }, Ct);

        Assert.Equal(3, outcome.AssignmentIds.Count);
        Assert.Contains("与", outcome.Message);
        Assert.Contains("合并", outcome.Message);
        await using var db = _db.CreateDbContext();
        var batch = await db.AssignmentBatches.SingleAsync(Ct);
        Assert.Equal("2026年第一批集中交办", batch.Name);
        Assert.Equal(outcome.BatchId, batch.Id);
        Assert.Equal("值班员小王", batch.CreatedBy);
        var assignments = await db.LeaderAssignments.ToListAsync(Ct);
        Assert.All(assignments, a => Assert.Equal(batch.Id, a.BatchId));
        // No lead unit chosen: each case's own responsible unit leads.
        Assert.All(assignments, a => Assert.Equal(_seed.County, a.LeadUnitId));
        Assert.Equal(3, await db.Threads.CountAsync(t => t.BacklogBatchId == batch.Id, Ct));
        var (rows, total) = await Service().BatchesAsync(0, 10, Ct);
        Assert.Equal(1, total);
        Assert.Equal(3, rows.Single().Cases);
        var page = await Service().ListAsync(new AssignmentListQuery(BatchId: batch.Id), Ct);
        Assert.Equal(3, page.Total);
        Assert.All(page.Rows, r => Assert.Equal("2026年第一批集中交办", r.BatchName));
    }

    [Fact]
    public async Task Extension_IsLimitedToThirtyDaysInTotal_AndApprovalRecomputesTheDeadline()
    {
        var id = await AssignAsZhangAsync((await Thread())[0]);
        _user.Current = Zhang;

        var tooLong = await Assert.ThrowsAsync<ActionRefusedException>(() => Service().RequestExtensionAsync(id, 31, "需协调多部门", Ct));
        Assert.Contains("延期天数：须为1至30之间的整数", tooLong.Problems);
        var noReason = await Assert.ThrowsAsync<ActionRefusedException>(() => Service().RequestExtensionAsync(id, 10, " ", Ct));
        Assert.Contains("延期理由：必填", noReason.Problems);

        await Service().RequestExtensionAsync(id, 20, "涉及产权登记，需等待不动产登记中心结论", Ct);
        var twice = await Assert.ThrowsAsync<ActionRefusedException>(() => Service().RequestExtensionAsync(id, 5, "再延", Ct));
        Assert.Contains("待审批", twice.Message);
        Assert.Equal(new DateOnly(2026, 6, 22), (await LoadAsync(id)).DueOn);

        // A leader cannot approve; a 督查 can.
        var pending = Assert.Single(await AsSupervisor(s => s.PendingExtensionsAsync(Ct)));
        await Refused.NotAllowedAsync(() => Service().DecideExtensionAsync(pending.RequestId, true, null, Ct));
        await AsSupervisor(s => s.DecideExtensionAsync(pending.RequestId, true, "同意", Ct));

        var a = await LoadAsync(id);
        Assert.Equal(20, a.ExtensionDays);
        Assert.Equal(TestRules.Deadlines().Assignment(Today, 20).Due, a.DueOn);
        Assert.Equal(new DateOnly(2026, 7, 9), a.DueOn);

        _user.Current = Zhang;
        var over = await Assert.ThrowsAsync<ActionRefusedException>(() => Service().RequestExtensionAsync(id, 11, "仍需时间", Ct));
        Assert.Contains("累计不得超过30日", over.Message);
        Assert.Contains("最多可申请 10 日", over.Message);

        await Service().RequestExtensionAsync(id, 10, "仍需时间", Ct);
        var second = Assert.Single(await AsSupervisor(s => s.PendingExtensionsAsync(Ct)));
        await AsSupervisor(s => s.DecideExtensionAsync(second.RequestId, true, null, Ct));
        a = await LoadAsync(id);
        Assert.Equal(30, a.ExtensionDays);
        Assert.Equal(new DateOnly(2026, 7, 20), a.DueOn); // 07-19 is a Sunday

        _user.Current = Zhang;
        var full = await Assert.ThrowsAsync<ActionRefusedException>(() => Service().RequestExtensionAsync(id, 1, "还要", Ct));
        Assert.Contains("不能再延期", full.Message);

        var history = (await EventsAsync()).Select(e => e.Event.Detail).ToList();
        Assert.Contains("包案化解期限 2026-06-22 → 2026-07-09（批准延期 20 日，累计延期 20 日）", history);
        Assert.Contains("包案化解期限 2026-07-09 → 2026-07-20（批准延期 10 日，累计延期 30 日）", history);
    }

    [Fact]
    public async Task Extension_Refused_KeepsTheDeadline_AndNeedsANote()
    {
        var id = await AssignAsZhangAsync((await Thread())[0]);
        _user.Current = Zhang;
        await Service().RequestExtensionAsync(id, 15, "信访人住院", Ct);
        var request = Assert.Single(await AsSupervisor(s => s.PendingExtensionsAsync(Ct)));

        var noNote = await Assert.ThrowsAsync<ActionRefusedException>(() => AsSupervisor(s => s.DecideExtensionAsync(request.RequestId, false, "", Ct)));
        Assert.Contains("审批意见：不予批准时必填", noNote.Problems);
        await AsSupervisor(s => s.DecideExtensionAsync(request.RequestId, false, "理由不充分", Ct));
        var again = await Changed(() => AsSupervisor(s => s.DecideExtensionAsync(request.RequestId, true, null, Ct)));
        Assert.Contains("督查科老陈", again.Message);

        var a = await LoadAsync(id);
        Assert.Equal(0, a.ExtensionDays);
        Assert.Equal(new DateOnly(2026, 6, 22), a.DueOn);
        _user.Current = Zhang;
        var detail = await Service().DetailAsync(id, Ct);
        Assert.Equal(ExtensionRequestStatus.Rejected, detail!.Extensions.Single().Status);
        Assert.Equal("理由不充分", detail.Extensions.Single().DecisionNote);
    }

    [Fact]
    public async Task OnlyTheOwningLeader_RecordsProgressAndResolves()
    {
        var id = await AssignAsZhangAsync((await Thread())[0]);
        _user.Current = TestAssignmentUser.LeaderUser(_seed.Li, "李四");

        await Refused.NotAllowedAsync(() => Service().AddProgressAsync(id, "约谈", Ct));
        await Refused.NotAllowedAsync(() => Service().ResolveAsync(id, 0, "息诉", Ct));
        await Refused.NotAllowedAsync(() => Service().RequestExtensionAsync(id, 5, "原因", Ct));
        Assert.Single((await LoadAsync(id)).Progress);
    }

    [Fact]
    public async Task Resolve_RecordsTheResult_AndAStaleVersionIsRefused()
    {
        var id = await AssignAsZhangAsync((await Thread())[0]);
        _user.Current = Zhang;
        _clock.Now = _clock.Now.AddDays(30);
        await Service().AddProgressAsync(id, "约访信访人，开发商承诺6月底前交房", Ct);
        var version = (await LoadAsync(id)).Version;

        var empty = await Assert.ThrowsAsync<ActionRefusedException>(() => Service().ResolveAsync(id, version, "", Ct));
        Assert.Contains("化解结果：必填", empty.Problems);
        await Changed(() => Service().ResolveAsync(id, version + 1, "已交房", Ct));

        await Service().ResolveAsync(id, version, "已交房，信访人签字息诉", Ct);

        var a = await LoadAsync(id);
        Assert.Equal(AssignmentStatus.Resolved, a.Status);
        Assert.Equal(Today.AddDays(30), a.ResolvedOn);
        Assert.Equal("已交房，信访人签字息诉", a.ResolutionResult);
        Assert.Equal(3, a.Progress.Count);
        Assert.Contains(a.Progress, p => p.Action.StartsWith("息诉罢访（按期化解）", StringComparison.Ordinal) && p.Actor == "张三");
        var events = (await EventsAsync()).Select(e => e.Event.Detail).ToList();
        Assert.Contains("包案在办 → 已化解（息诉罢访，按期化解）", events);
        var again = await Assert.ThrowsAsync<ActionRefusedException>(() => Service().ResolveAsync(id, a.Version, "再次", Ct));
        Assert.Contains("已于 2026-04-20 化解", again.Message);

        var row = (await Service().ListAsync(new AssignmentListQuery(_seed.Zhang), Ct)).Rows.Single();
        Assert.Equal(DeadlineStatus.OnTime, row.DeadlineStatus);
    }

    [Fact]
    public async Task RelapsedAssignment_ComesFirstInTheLeadersList_CountsAsAssigned_AndCanBeResolvedAgain()
    {
        var quiet = await AssignAsZhangAsync((await Thread())[0]);
        var overdue = await AssignAsZhangAsync((await Thread())[0]);
        var relapsedCase = await Thread();
        var relapsed = await AssignAsZhangAsync(relapsedCase[0]);
        await using (var db = _db.CreateDbContext())
        {
            // What the repeats feature does when a repeat arrives on a resolved 包案: 已化解 → 反弹, with a progress line.
            var a = await db.LeaderAssignments.SingleAsync(x => x.Id == relapsed, Ct);
            AssignmentLifecycle.Resolve(a, "息诉罢访", Today, "张三", []);
            AssignmentLifecycle.Relapse(a, Today);
            db.AssignmentProgress.Add(new AssignmentProgress { AssignmentId = a.Id, On = Today, Actor = "值班员", Action = "反弹：化解后再访" });
            var o = await db.LeaderAssignments.SingleAsync(x => x.Id == overdue, Ct);
            o.DueOn = Today.AddDays(-3);
            await db.SaveChangesAsync(Ct);
        }
        _user.Current = Zhang;

        var list = await Service().ListAsync(new AssignmentListQuery(_seed.Zhang), Ct);

        Assert.Equal([relapsed, overdue, quiet], list.Rows.Select(r => r.Id));
        Assert.Equal(AssignmentStatus.Relapsed, list.Rows[0].Status);
        Assert.Equal("反弹：化解后再访", list.Rows[0].LastProgress);
        Assert.Equal(DeadlineStatus.Overdue, list.Rows[1].DeadlineStatus);
        Assert.Equal(relapsed, (await Service().ListAsync(new AssignmentListQuery(_seed.Zhang, Filter: AssignmentFilter.Relapsed), Ct)).Rows.Single().Id);

        _user.Current = TestAssignmentUser.Officer();
        var check = await Service().CheckAsync([relapsedCase[0]], Ct);
        Assert.Contains("反弹", check.Lines.Single().Problem);

        _user.Current = Zhang;
        await Service().ResolveAsync(relapsed, (await LoadAsync(relapsed)).Version, "再次约访，达成和解", Ct);
        Assert.Contains("包案反弹 → 已化解（息诉罢访，按期化解）", (await EventsAsync()).Select(e => e.Event.Detail));
    }

    [Fact]
    public async Task ConcurrentAssign_TheSecondOfficerSeesWhoHoldsTheCase_AndOnlyOneAssignmentExists()
    {
        var numbers = await Thread();
        var officerB = new TestAssignmentUser(TestAssignmentUser.Officer("值班员小李"));
        var serviceB = AssignmentSeed.Service(_db, _clock, officerB);
        var prepared = await serviceB.PrepareAsync(numbers, Ct);
        Assert.True(prepared.Check.AllOk);

        await AssignAsZhangAsync(numbers[0]);
        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() => serviceB.AssignAsync(numbers[0], _seed.Plan(_seed.Li), Ct));

        Assert.Equal("该信访事项已由 张三（副市长）包案，请刷新后查看", ex.Message);
        Assert.Equal((1, 1, 1, 0), await CountsAsync());
        Assert.Equal(_seed.Zhang, (await LoadAsync((await Service().ListAsync(new AssignmentListQuery(_seed.Zhang), Ct)).Rows.Single().Id)).LeaderId);
    }

    [Fact]
    public async Task ConcurrentAssign_BothPassTheCheck_TheUniqueIndexStopsTheSecondInsert()
    {
        var numbers = await Thread();
        // Officer B's check has passed; just as B's transaction starts, officer A (another context) assigns the same case.
        var raced = new RaceInterceptor(() => AssignAsZhangAsync(numbers[0]));
        var factoryB = new InterceptedFactory(_db, raced);
        var serviceB = AssignmentSeed.Service(factoryB, _clock, new TestAssignmentUser(TestAssignmentUser.Officer("值班员小李")));

        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() => serviceB.AssignAsync(numbers[0], _seed.Plan(_seed.Li), Ct));

        Assert.True(raced.Fired);
        Assert.Equal("该信访事项已由 张三（副市长）包案，请刷新后查看", ex.Message);
        await using var db = _db.CreateDbContext();
        var only = await db.LeaderAssignments.SingleAsync(Ct);
        Assert.Equal(_seed.Zhang, only.LeaderId);
        Assert.Equal(1, await db.AssignmentProgress.CountAsync(Ct));
        Assert.Equal(1, await db.PetitionEvents.CountAsync(Ct));
    }

    [Fact]
    public async Task UniqueIndex_AllowsOneOpenAssignmentPerThread_ButKeepsResolvedOnes()
    {
        var numbers = await Thread();
        int threadId;
        await using (var db = _db.CreateDbContext())
            threadId = await db.Petitions.Where(p => p.CaseNumber == numbers[0]).Select(p => p.ThreadId).SingleAsync(Ct);
        LeaderAssignment New(AssignmentStatus status) => new()
        {
            ThreadId = threadId, LeaderId = _seed.Zhang, LeadUnitId = _seed.County, ResponsiblePerson = "赵六", Plan = "方案",
            AssignedOn = Today, DueOn = Today.AddDays(90), Status = status,
        };
        await using var first = _db.CreateDbContext();
        await using var second = _db.CreateDbContext();
        first.LeaderAssignments.AddRange(New(AssignmentStatus.Resolved), New(AssignmentStatus.Resolved), New(AssignmentStatus.Active));
        await first.SaveChangesAsync(Ct);

        second.LeaderAssignments.Add(New(AssignmentStatus.Relapsed));
        await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task Workload_CountsPerLeaderInSql_WithRateAndAverageDaysToResolve()
    {
        var a1 = await AssignAsZhangAsync((await Thread())[0]);
        var a2 = await AssignAsZhangAsync((await Thread())[0]);
        var a3 = await AssignAsZhangAsync((await Thread())[0]);
        await AssignAsZhangAsync((await Thread())[0]);
        await using (var db = _db.CreateDbContext())
        {
            var rows = await db.LeaderAssignments.Where(a => a.Id == a1 || a.Id == a2 || a.Id == a3).ToListAsync(Ct);
            rows.Single(a => a.Id == a1).Status = AssignmentStatus.Resolved;
            rows.Single(a => a.Id == a1).ResolvedOn = Today.AddDays(10);
            rows.Single(a => a.Id == a2).Status = AssignmentStatus.Resolved;
            rows.Single(a => a.Id == a2).ResolvedOn = Today.AddDays(30);
            rows.Single(a => a.Id == a3).DueOn = Today.AddDays(-1);
            await db.SaveChangesAsync(Ct);
        }
        _user.Current = TestAssignmentUser.Supervisor();

        var workload = await Service().WorkloadAsync(Ct);

        var zhang = workload.Single(w => w.LeaderId == _seed.Zhang);
        Assert.Equal((2, 1, 2, 4), (zhang.Active, zhang.Overdue, zhang.Resolved, zhang.Total));
        Assert.Equal(0.5, zhang.ResolutionRate);
        Assert.Equal(20.0, zhang.AverageDaysToResolve);
        var li = workload.Single(w => w.LeaderId == _seed.Li);
        Assert.Equal((0, 0, 0), (li.Active, li.Resolved, li.Total));
        Assert.Null(li.ResolutionRate);
        Assert.Null(li.AverageDaysToResolve);
    }

    // The leaders' 包案 counts kept per node until the change counter moves (WorkloadCache): after each kind of write —
    // assign, resolve, a deadline moved outside the app — and on the next day, the workload page shows what a recount from
    // the rows shows; a leader's new name shows at once (the Leaders table is read for every open).
    private AssignmentService Cached(WorkloadCache cache) =>
        new(_db, _clock, TestRules.Deadlines(), new AccessGuard(_user), NullLogger<AssignmentService>.Instance, cache);

    private static string[] Rows(IEnumerable<LeaderWorkload> rows) =>
        [.. rows.Select(r => $"{r.LeaderId} {r.Name} {r.Title}: {r.Active}/{r.Relapsed}/{r.Overdue}/{r.Resolved}/{r.Total} {r.AverageDaysToResolve}")];

    private async Task<string[]> AsSupervisorAsync(AssignmentService service)
    {
        _user.Current = TestAssignmentUser.Supervisor();
        return Rows(await service.WorkloadAsync(Ct));
    }

    private async Task<int> AssignThroughAsync(AssignmentService service)
    {
        _user.Current = TestAssignmentUser.Officer();
        var numbers = await _seed.ThreadAsync(_db, Today.AddDays(-40), ct: Ct);
        return (await service.AssignAsync(numbers[0], _seed.Plan(), Ct)).AssignmentIds.Single();
    }

    [Fact]
    public async Task Workload_KeptPerNode_EqualsARecount_AfterEachKindOfWrite_AndOnTheNextDay()
    {
        var feed = new DatabaseChangeFeed(_db, NullLogger<DatabaseChangeFeed>.Instance);
        var cached = Cached(new WorkloadCache(feed));
        var first = await AssignThroughAsync(cached);
        await AssignThroughAsync(cached);

        var before = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Service()), before);
        Assert.Equal(before, await AsSupervisorAsync(cached));   // nothing written: the kept counts

        // Assigned through the service: 张三 has one more in force.
        await AssignThroughAsync(cached);
        var assigned = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Service()), assigned);
        Assert.NotEqual(before, assigned);

        // Resolved by the leader himself: one fewer in force, one resolved, an average.
        _user.Current = TestAssignmentUser.LeaderUser(_seed.Zhang, "张三");
        await cached.ResolveAsync(first, await WorkloadVersionAsync(first), "已交房，信访人签字息诉", Ct);
        var resolved = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Service()), resolved);
        Assert.NotEqual(assigned, resolved);

        // A deadline moved by raw SQL (an import, a script): the counter's triggers see it too — now overdue.
        await using (var db = _db.CreateDbContext())
            await db.LeaderAssignments.Where(a => a.Status == AssignmentStatus.Active).OrderBy(a => a.Id).Take(1)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DueOn, Today.AddDays(-1)), Ct);
        var overdue = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Service()), overdue);
        Assert.NotEqual(resolved, overdue);

        // Nothing written, but the day turned: the open 包案 due today are overdue tomorrow.
        await using (var db = _db.CreateDbContext())
            await db.LeaderAssignments.Where(a => a.Status == AssignmentStatus.Active && a.DueOn >= Today).OrderBy(a => a.Id).Take(1)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DueOn, Today), Ct);
        var dueToday = await AsSupervisorAsync(cached);
        _clock.Now = _clock.Now.AddDays(1);
        var tomorrow = await AsSupervisorAsync(cached);
        Assert.Equal(await AsSupervisorAsync(Service()), tomorrow);
        Assert.NotEqual(dueToday, tomorrow);
    }

    [Fact]
    public async Task Workload_KeptPerNode_ShowsALeadersNewNameAtOnce_ThoughTheLeadersTableMovesNoCounter()
    {
        var cached = Cached(new WorkloadCache(new DatabaseChangeFeed(_db, NullLogger<DatabaseChangeFeed>.Instance)));
        await AssignThroughAsync(cached);
        Assert.Contains(await AsSupervisorAsync(cached), r => r.Contains(" 张三 ", StringComparison.Ordinal));

        await using (var db = _db.CreateDbContext())
            await db.Leaders.Where(l => l.Id == _seed.Zhang).ExecuteUpdateAsync(s => s.SetProperty(l => l.Name, "张三丰"), Ct);

        var renamed = await AsSupervisorAsync(cached);
        Assert.Contains(renamed, r => r.Contains(" 张三丰 ", StringComparison.Ordinal));
        Assert.Equal(await AsSupervisorAsync(Service()), renamed);
    }

    private async Task<int> WorkloadVersionAsync(int assignmentId)
    {
        await using var db = _db.CreateDbContext();
        return await db.LeaderAssignments.Where(a => a.Id == assignmentId).Select(a => a.Version).SingleAsync(Ct);
    }

    [Fact]
    public async Task CasePanel_ShowsTheThreadsAssignment_FromAnyOfItsCaseNumbers()
    {
        var numbers = await Thread(repeats: 1);
        await AssignAsZhangAsync(numbers[0]);

        var view = await Service().ForCaseAsync(numbers[1], Ct);

        Assert.NotNull(view);
        Assert.Equal("张三", view.LeaderName);
        Assert.Equal(new DateOnly(2026, 6, 22), view.DueOn);
        Assert.Equal(DeadlineStatus.Normal, view.DeadlineStatus);
        Assert.Null(await Service().ForCaseAsync((await Thread())[0], Ct));
    }

    private async Task<T> AsSupervisor<T>(Func<AssignmentService, Task<T>> action)
    {
        var previous = _user.Current;
        _user.Current = TestAssignmentUser.Supervisor();
        try { return await action(Service()); }
        finally { _user.Current = previous; }
    }

    /// <summary>The 包案 changed since it was read: a refusal of kind ChangedMeanwhile (the page reloads).</summary>
    private static async Task<ActionRefusedException> Changed(Func<Task> action)
    {
        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(action);
        Assert.Equal(RefusalKind.ChangedMeanwhile, refusal.Kind);
        return refusal;
    }

    private async Task AsSupervisor(Func<AssignmentService, Task> action) =>
        await AsSupervisor(async s => { await action(s); return true; });

    /// <summary>Runs a competing action once, when the first transaction of the intercepted context is about to start.</summary>
    private sealed class RaceInterceptor(Func<Task> competitor) : DbTransactionInterceptor
    {
        public bool Fired { get; private set; }

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
            DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
            CancellationToken cancellationToken = default)
        {
            if (!Fired)
            {
                Fired = true;
                await competitor();
            }
            return result;
        }
    }

    private sealed class InterceptedFactory(TestDatabase database, IInterceptor interceptor) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext() => database.CreateDbContext(interceptor);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Instructions;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Instructions;

/// <summary>
/// 领导批示 (docs/rules.md §12) against a real database: the default deadline across holidays and 调休, each unit's 反馈,
/// 逾期反馈, done when all units answered, 超期未反馈 from the day after the deadline, the case timeline, the audit trail,
/// and who may do what.
/// </summary>
public class InstructionServiceTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _db = null!;
    private TestClock _clock = null!;
    private Leader _leader = null!;
    private Unit _county = null!, _dept = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(new AuditInterceptor(new AuditActorAccessor(), TimeProvider.System, TestPersonalData.Protector));
        // Monday 2026-11-23: ten working days from the day after end on Monday 2026-12-07.
        var data = new TestData(new DateOnly(2026, 11, 23));
        _clock = data.Clock();
        _county = data.Unit("城关区");
        _dept = data.Unit("市住建局", UnitKind.CityDepartment);
        _leader = data.Leader("李明", "副局长");
        var first = data.Petition("PS-001").ReceivedDaysAgo(10);
        data.Petition("PS-002").RepeatOf(first).ReceivedDaysAgo(2);
        await data.SaveAsync(_db, Ct);
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private InstructionService Service(string role, int? leaderId = null) => new(
        _db, new AccessGuard(FixedCurrentUser.For($"u-{role}", [role], leaderId)), _clock, TestRules.Deadlines(),
        Options.Create(new InstructionOptions()));

    private InstructionService AsLeader => Service(Roles.Leader, _leader.Id);

    private void MoveTo(DateOnly day) => _clock.Now = TestClock.AtShanghai(day.Year, day.Month, day.Day).Now;

    [Theory]
    [InlineData("2026-11-23", "2026-12-07")] // an ordinary fortnight: the Monday of writing is not counted
    [InlineData("2026-09-30", "2026-10-20")] // 国庆 10-01…10-07 skipped, Saturday 10-10 (调休上班) counted
    [InlineData("2026-02-13", "2026-03-05")] // 春节 02-15…02-23 skipped, Saturdays 02-14 and 02-28 (调休上班) counted
    [InlineData("2025-12-25", "2026-01-09")] // across the year end: 元旦 01-01…01-03 skipped, Sunday 01-04 (调休上班) counted
    [InlineData("2026-05-01", "2026-05-18")] // written on a holiday: counting starts the next day, 05-09 (调休上班) counted
    public void DefaultDeadline_IsTenWorkingDaysFromTheDayAfter_AcrossHolidaysAndMakeUpDays(string written, string expected)
    {
        var due = InstructionRules.DefaultDue(TestRules.Calendar, DateOnly.Parse(written), new InstructionOptions().ResponseWorkingDays);
        Assert.Equal(DateOnly.Parse(expected), due);
    }

    [Fact]
    public async Task Write_UsesTheDefaultDeadline_AndPutsTheInstructionOnTheCaseTimeline()
    {
        var id = await AsLeader.WriteAsync(new InstructionInput("PS-001", "请尽快核实并答复信访人", [_county.Id, _dept.Id], null, true, false), Ct);

        var view = Assert.Single(await AsLeader.ForCaseAsync("PS-001", Ct));
        Assert.Equal((id, new DateOnly(2026, 12, 7), true, InstructionStatus.Waiting), (view.Id, view.DueOn, view.Important, view.Status));
        Assert.Equal(["城关区", "市住建局"], view.Units.Select(u => u.Unit).Order());
        await using var db = _db.CreateDbContext();
        var e = await db.PetitionEvents.SingleAsync(x => x.Kind == PetitionEventKind.Instruction, Ct);
        Assert.Equal(("请尽快核实并答复信访人", "u-Leader"), (e.Note, e.Actor));
        Assert.Contains("2026-12-07", e.Detail);
        Assert.Contains(await db.AuditEntries.ToListAsync(Ct), a => a.Entity == nameof(LeaderInstruction) && a.Action == "Create" && a.CaseNumber == "PS-001");
        // A 批示 on one case is not shown on its repeat; one on the whole thread is.
        Assert.Empty(await AsLeader.ForCaseAsync("PS-002", Ct));
        await AsLeader.WriteAsync(new InstructionInput("PS-001", "事项链统筹化解", [_county.Id], null, false, true), Ct);
        Assert.True(Assert.Single(await AsLeader.ForCaseAsync("PS-002", Ct)).OnThread);
    }

    [Fact]
    public async Task AThreadInstruction_WrittenOnTheThreadPage_IsKeptOnTheNewestCase_AndEveryCaseOfTheThreadShowsItOnItsTimeline()
    {
        int threadId;
        await using (var db = _db.CreateDbContext())
            threadId = await db.Petitions.Where(p => p.CaseNumber == "PS-001").Select(p => p.ThreadId).SingleAsync(Ct);
        var single = await AsLeader.WriteAsync(new InstructionInput("PS-001", "只批此件", [_dept.Id], null, false, false), Ct);
        var id = await AsLeader.WriteOnThreadAsync(threadId, new InstructionInput("", "全链统筹，限期化解", [_county.Id, _dept.Id], null, true, false), Ct);

        // The thread page lists both: the one on the thread and the one on a case of it.
        Assert.Equal([id, single], (await AsLeader.ForThreadAsync(threadId, Ct)).Select(i => i.Id));
        var onThread = (await AsLeader.ForThreadAsync(threadId, Ct)).First();
        Assert.Equal(("PS-002", true), (onThread.CaseNumber, onThread.OnThread));
        Assert.Equal([id], (await AsLeader.ForCaseAsync("PS-001", Ct)).Where(i => i.OnThread).Select(i => i.Id));

        MoveTo(new DateOnly(2026, 11, 25));
        var county = onThread.Units.Single(u => u.Unit == "城关区");
        await Service(Roles.DutyOfficer).RespondAsync(county.Id, new ResponseInput(new DateOnly(2026, 11, 25), "已约谈", null), Ct);

        // PS-002 holds the stored events; PS-001, the other case of the thread, shows the same 批示 and 反馈 on its timeline,
        // but not a 批示 written on PS-002 alone.
        var cases = new PetitionDashboard.Features.Cases.CaseService(_db, TestRules.Deadlines(), _clock, TestUsers.Leader, TestPersonalData.Protector);
        var newest = (await cases.GetAsync("PS-002", Ct))!.Events.Where(e => e.Kind is PetitionEventKind.Instruction or PetitionEventKind.InstructionResponse).ToList();
        Assert.Equal(["【重要】（整个事项链）批示单位：城关区、市住建局；反馈期限 2026-12-07", "城关区 反馈"], newest.Select(e => e.Detail));
        var other = (await cases.GetAsync("PS-001", Ct))!.Events.Where(e => e.Kind is PetitionEventKind.Instruction or PetitionEventKind.InstructionResponse).ToList();
        Assert.Equal(
        [
            (PetitionEventKind.Instruction, new DateOnly(2026, 11, 23), "批示单位：市住建局；反馈期限 2026-12-07", "只批此件"),
            (PetitionEventKind.Instruction, new DateOnly(2026, 11, 23), "【重要】（整个事项链）批示单位：城关区、市住建局；反馈期限 2026-12-07（事项链批示，写于 PS-002）", "全链统筹，限期化解"),
            (PetitionEventKind.InstructionResponse, new DateOnly(2026, 11, 25), "城关区 反馈（事项链批示，写于 PS-002）", "已约谈"),
        ], other.Select(e => (e.Kind, e.On, e.Detail!, e.Note!)));
        // Only the writing and the 反馈 are stored: no copy per case.
        await using (var db = _db.CreateDbContext())
            Assert.Equal(3, await db.PetitionEvents.CountAsync(e => e.Kind == PetitionEventKind.Instruction || e.Kind == PetitionEventKind.InstructionResponse, Ct));
        var missing = await Assert.ThrowsAsync<ActionRefusedException>(() => AsLeader.WriteOnThreadAsync(9999, new InstructionInput("", "x", [_county.Id], null, false, false), Ct));
        Assert.Contains("信访事项链 #9999 不存在", missing.Message);
    }

    [Fact]
    public async Task Responses_OneOnTime_OneLate_MakeTheInstructionDone_AndOnlyTheLateOneIsOverdueResponse()
    {
        var id = await AsLeader.WriteAsync(new InstructionInput("PS-001", "限期反馈", [_county.Id, _dept.Id], new DateOnly(2026, 11, 27), false, false), Ct);
        var units = (await AsLeader.ForCaseAsync("PS-001", Ct)).Single().Units;
        var officer = Service(Roles.DutyOfficer);

        MoveTo(new DateOnly(2026, 11, 27));
        await officer.RespondAsync(units.Single(u => u.Unit == "城关区").Id, new ResponseInput(new DateOnly(2026, 11, 27), "已约谈信访人", "城关区反馈.pdf"), Ct);
        Assert.Equal(InstructionStatus.Waiting, (await AsLeader.ForCaseAsync("PS-001", Ct)).Single().Status);

        MoveTo(new DateOnly(2026, 11, 30));
        Assert.Equal(InstructionStatus.OverdueUnanswered, (await AsLeader.ForCaseAsync("PS-001", Ct)).Single().Status);
        await Service(Roles.Supervisor).RespondAsync(units.Single(u => u.Unit == "市住建局").Id, new ResponseInput(new DateOnly(2026, 11, 30), "已处理", null), Ct);

        var done = (await AsLeader.ForCaseAsync("PS-001", Ct)).Single();
        Assert.Equal((id, InstructionStatus.Done), (done.Id, done.Status));
        Assert.Equal([("城关区", false), ("市住建局", true)], done.Units.OrderBy(u => u.Unit).Select(u => (u.Unit, u.Late)));
        await using var db = _db.CreateDbContext();
        var responses = await db.PetitionEvents.Where(x => x.Kind == PetitionEventKind.InstructionResponse).OrderBy(x => x.Id).ToListAsync(Ct);
        Assert.Equal(["城关区 反馈，附件：城关区反馈.pdf", "市住建局 反馈（逾期反馈）"], responses.Select(r => r.Detail));
    }

    [Fact]
    public async Task OverdueUnanswered_AppearsTheDayAfterTheDeadline_NotOnIt_AndLeavesWhenTheLastUnitAnswers()
    {
        await AsLeader.WriteAsync(new InstructionInput("PS-001", "请反馈", [_county.Id, _dept.Id], null, false, false), Ct);
        var units = (await AsLeader.ForCaseAsync("PS-001", Ct)).Single().Units;
        await Service(Roles.DutyOfficer).RespondAsync(units.Single(u => u.Unit == "城关区").Id, new ResponseInput(new DateOnly(2026, 11, 23), "已办", null), Ct);

        MoveTo(new DateOnly(2026, 12, 7));
        Assert.Equal(0, (await Service(Roles.Supervisor).OverdueUnansweredAsync(ct: Ct)).Count);

        MoveTo(new DateOnly(2026, 12, 8));
        var overdue = await Service(Roles.Supervisor).OverdueUnansweredAsync(ct: Ct);
        var item = Assert.Single(overdue.Top);
        Assert.Equal((1, "PS-001", "李明", 1), (overdue.Count, item.CaseNumber, item.Leader, item.DaysOverdue));
        Assert.Equal(["市住建局"], item.UnitsNotResponded);
        Assert.Equal(1, (await AsLeader.OverdueUnansweredAsync(ct: Ct)).Count);

        await Service(Roles.DutyOfficer).RespondAsync(units.Single(u => u.Unit == "市住建局").Id, new ResponseInput(new DateOnly(2026, 12, 8), "已办", null), Ct);
        Assert.Equal(0, (await Service(Roles.Supervisor).OverdueUnansweredAsync(ct: Ct)).Count);
    }

    [Fact]
    public async Task Mine_ListsOnlyTheLeadersOwn_OverdueFirst()
    {
        int otherLeader;
        await using (var db = _db.CreateDbContext())
        {
            var other = new Leader { Name = "王芳", Title = "局长" };
            db.Leaders.Add(other);
            await db.SaveChangesAsync(Ct);
            otherLeader = other.Id;
        }
        await AsLeader.WriteAsync(new InstructionInput("PS-001", "早的", [_county.Id], new DateOnly(2026, 11, 25), false, false), Ct);
        await Service(Roles.Leader, otherLeader).WriteAsync(new InstructionInput("PS-001", "别人的", [_county.Id], null, false, false), Ct);
        MoveTo(new DateOnly(2026, 11, 26));
        await AsLeader.WriteAsync(new InstructionInput("PS-002", "新的", [_dept.Id], null, false, false), Ct);

        var mine = await AsLeader.MineAsync(Ct);
        Assert.Equal([("早的", InstructionStatus.OverdueUnanswered), ("新的", InstructionStatus.Waiting)], mine.Select(i => (i.Text, i.Status)));
    }

    [Fact]
    public async Task BadInput_IsRefused_NamingTheField_AndNothingIsWritten()
    {
        var tooLong = new string('批', InstructionRules.MaxTextLength + 1);
        var e1 = await Assert.ThrowsAsync<ActionRefusedException>(() => AsLeader.WriteAsync(new InstructionInput("PS-001", tooLong, [_county.Id], null, false, false), Ct));
        Assert.Contains("批示内容：不能超过 500 字", e1.Message);
        var e2 = await Assert.ThrowsAsync<ActionRefusedException>(() => AsLeader.WriteAsync(new InstructionInput("PS-001", "x", [], new DateOnly(2026, 11, 23), false, false), Ct));
        Assert.Contains("责任单位：至少选择一个", e2.Message);
        Assert.Contains("反馈期限：须晚于批示当日", e2.Message);
        await AsLeader.WriteAsync(new InstructionInput("PS-001", "x", [_county.Id], null, false, false), Ct);
        var unit = (await AsLeader.ForCaseAsync("PS-001", Ct)).Single().Units.Single();
        var e3 = await Assert.ThrowsAsync<ActionRefusedException>(() => Service(Roles.DutyOfficer).RespondAsync(unit.Id, new ResponseInput(new DateOnly(2026, 11, 24), "明天的", null), Ct));
        Assert.Contains("反馈日期：不能晚于今天", e3.Message);
        await using var db = _db.CreateDbContext();
        Assert.Equal(1, await db.LeaderInstructions.CountAsync(Ct));
        Assert.False(await db.InstructionUnits.AnyAsync(u => u.RespondedOn != null, Ct));
    }

    [Fact]
    public async Task Authorization_OnlyLeadersWrite_OnlyOfficersAndSupervisorsRecordResponses_OnlyLeadersAndSupervisorsSeeOverdue()
    {
        var input = new InstructionInput("PS-001", "x", [_county.Id], null, false, false);
        foreach (var role in new[] { Roles.Supervisor, Roles.DutyOfficer, Roles.SystemAdmin, Roles.SecurityAdmin, Roles.AuditAdmin })
            Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() => Service(role).WriteAsync(input, Ct))).Kind);
        // A Leader account not linked to a Leader record cannot sign a 批示.
        Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() => Service(Roles.Leader).WriteAsync(input, Ct))).Kind);
        await AsLeader.WriteAsync(input, Ct);
        var unit = (await AsLeader.ForCaseAsync("PS-001", Ct)).Single().Units.Single();
        var response = new ResponseInput(new DateOnly(2026, 11, 23), "已办", null);
        foreach (var role in new[] { Roles.Leader, Roles.SystemAdmin, Roles.SecurityAdmin, Roles.AuditAdmin })
            Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() => Service(role, _leader.Id).RespondAsync(unit.Id, response, Ct))).Kind);
        foreach (var role in new[] { Roles.DutyOfficer, Roles.SystemAdmin, Roles.SecurityAdmin, Roles.AuditAdmin })
            Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() => Service(role).OverdueUnansweredAsync(ct: Ct))).Kind);
        Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() => Service(Roles.Supervisor).MineAsync(Ct))).Kind);
        await Service(Roles.Supervisor).RespondAsync(unit.Id, response, Ct);
        var again = await Assert.ThrowsAsync<ActionRefusedException>(() => Service(Roles.DutyOfficer).RespondAsync(unit.Id, response, Ct));
        Assert.Contains("已于 2026-11-23 反馈，不能重复登记", again.Message);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Cases;

// The same tests on a real PostgreSQL server (started by test.sh): the concurrency token and the filtered unique index differ by provider.
public sealed class CaseHandlingServicePostgresTests : CaseHandlingServiceTests, IRunsOnPostgres;

/// <summary>
/// Every handling step through <see cref="CaseHandlingService"/> against a real database: the state, the event, the audit row
/// and the new deadline. Dates are worked by hand across 中秋 (09-25…27) and 国庆 (10-01…10-07, make-up days 09-20 and 10-10).
/// </summary>
public class CaseHandlingServiceTests : IAsyncLifetime
{
    /// <summary>Tuesday 2026-10-20, two weeks after 国庆.</summary>
    private static readonly DateOnly Today = new(2026, 10, 20);
    private static readonly DateOnly Received = new(2026, 9, 16);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly AuditActorAccessor _auditActor = new();
    private TestData _data = null!;
    private TestDatabase _db = null!;
    private int _otherUnitId;

    public static ICurrentUser Officer { get; } = FixedCurrentUser.For("duty1", [Roles.DutyOfficer]);
    public static ICurrentUser OtherOfficer { get; } = FixedCurrentUser.For("duty2", [Roles.DutyOfficer]);
    public static ICurrentUser Supervisor { get; } = FixedCurrentUser.For("sup1", [Roles.Supervisor]);
    public static ICurrentUser Leader { get; } = FixedCurrentUser.For("leader1", [Roles.Leader]);

    public async ValueTask InitializeAsync()
    {
        _data = new TestData(Today);
        _db = await TestDatabase.CreateAsync(new AuditInterceptor(_auditActor, _data.Clock(), PetitionDashboard.Tests.Support.TestPersonalData.Protector));
        _data.Unit("城关区");
        var other = _data.Unit("市住建局", UnitKind.CityDepartment);
        _data.Petition("REG").ReceivedOn(Received);
        _data.Petition("DIS").ReceivedOn(Received).Dispatched(new(2026, 9, 29));
        _data.Petition("ACC").ReceivedOn(Received).Accepted(new(2026, 9, 30));
        _data.Petition("HAN").ReceivedOn(Received).InHandling(new DateOnly(2026, 9, 30));
        _data.Petition("REP").ReceivedOn(Received).InHandling(new DateOnly(2026, 9, 30)).Replied(new(2026, 10, 15));
        _data.Petition("REV").ReceivedOn(Received).InHandling(new DateOnly(2026, 9, 30)).Replied(new(2026, 10, 15))
            .Step(PetitionState.UnderReview, new(2026, 10, 16));
        _data.Petition("RVD").ReceivedOn(Received).InHandling(new DateOnly(2026, 9, 30)).Replied(new(2026, 10, 15))
            .Step(PetitionState.UnderReview, new(2026, 10, 16)).Step(PetitionState.Reviewed, new(2026, 10, 17));
        _data.Petition("RCK").ReceivedOn(Received).InHandling(new DateOnly(2026, 9, 30)).Replied(new(2026, 10, 15))
            .Step(PetitionState.UnderReview, new(2026, 10, 16)).Step(PetitionState.Reviewed, new(2026, 10, 17))
            .Step(PetitionState.UnderRecheck, new(2026, 10, 19));
        _data.Petition("FIN").ReceivedOn(Received).InHandling(new DateOnly(2026, 9, 30)).Replied(new(2026, 10, 15)).Closed(new(2026, 10, 16));
        // Registered and overdue since 10-08, at 督办: a 转送 today gives it a fresh deadline.
        _data.Petition("LATE").ReceivedOn(Received).Supervision(SupervisionLevel.Supervise);
        for (var i = 1; i <= 20; i++) _data.Petition($"B{i:D2}").ReceivedOn(new(2026, 10, 12));
        await _data.SaveAsync(_db, Ct);
        _otherUnitId = other.Id;
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private CaseHandlingService Service(ICurrentUser user) =>
        new(_db, _data.Deadlines, _data.Clock(), new AccessGuard(user), Options.Create(new SupervisionOptions()), Options.Create(new BacklogOptions()));

    private async Task<Petition> LoadAsync(string caseNumber)
    {
        await using var db = _db.CreateDbContext();
        return await db.Petitions.Include(p => p.Events).Include(p => p.Unit).AsNoTracking().SingleAsync(p => p.CaseNumber == caseNumber, Ct);
    }

    private async Task<CaseStepOutcome> RecordAsync(string caseNumber, CaseStepInput input, ICurrentUser? user = null)
    {
        user ??= Officer;
        var version = (await LoadAsync(caseNumber)).Version;
        using (_auditActor.Use(() => user.UserName)) return await Service(user).RecordAsync(caseNumber, version, input, Ct);
    }

    private async Task<List<AuditEntry>> AuditAsync(string caseNumber, string field)
    {
        await using var db = _db.CreateDbContext();
        return await db.AuditEntries.AsNoTracking().Where(a => a.CaseNumber == caseNumber && a.Field == field).ToListAsync(Ct);
    }

    private static PetitionEvent Last(Petition p, PetitionEventKind kind) => p.Events.Where(e => e.Kind == kind).OrderBy(e => e.Id).Last();

    private static CaseStepInput Step(CaseStep step, int month, int day) => new() { Step = step, On = new DateOnly(2026, month, day) };

    [Fact]
    public async Task Transfer_MovesItToTheUnit_AndStartsTheUnitsFifteenDays_ShiftedPastNationalDay()
    {
        // 09-22 + 15 = 10-07, the last day of 国庆 → the next working day, Thursday 10-08.
        var outcome = await RecordAsync("REG", Step(CaseStep.Transfer, 9, 22) with { UnitId = _otherUnitId, Note = "请依法处理" });

        var p = await LoadAsync("REG");
        Assert.Equal((PetitionState.Dispatched, new DateOnly(2026, 10, 8)), (p.State, p.CurrentDueDate));
        Assert.Equal(new DateOnly(2026, 10, 8), outcome.CurrentDueDate);
        Assert.Equal("市住建局", p.Unit.Name);
        Assert.Equal((new DateOnly(2026, 9, 22), new DateOnly(2026, 9, 22)), (p.DispatchedOn!.Value, p.FirstDecisionOn!.Value));
        var e = Last(p, PetitionEventKind.Transition);
        Assert.Equal((PetitionState.Registered, PetitionState.Dispatched, "duty1"), (e.FromState!.Value, e.ToState!.Value, e.Actor));
        Assert.Equal("转送至 市住建局", e.Detail);
        Assert.Equal("请依法处理", e.Note);
        var audit = Assert.Single(await AuditAsync("REG", nameof(Petition.State)));
        Assert.Equal(("登记", "转送/交办", "duty1"), (audit.OldValue, audit.NewValue, audit.Actor));
        Assert.Single(await AuditAsync("REG", nameof(Petition.UnitId)));
    }

    [Fact]
    public async Task Assign_AsksTheUnitForAResultReport()
    {
        await RecordAsync("REG", Step(CaseStep.Assign, 10, 20) with { UnitId = _otherUnitId });

        var p = await LoadAsync("REG");
        Assert.Equal(PetitionState.Dispatched, p.State);
        Assert.Equal(new DateOnly(2026, 11, 4), p.CurrentDueDate);   // 10-20 + 15, a Wednesday
        Assert.Equal("交办至 市住建局（要求报送办理结果）", Last(p, PetitionEventKind.Transition).Detail);
        Assert.NotEmpty(await AuditAsync("REG", nameof(Petition.CurrentDueDate)));
    }

    [Fact]
    public async Task Accept_StartsTheSixtyDayReply_ShiftedOffASunday_WithTheNoticeDate()
    {
        // 09-30 + 60 = Sunday 11-29 → Monday 11-30; 国庆 lies inside and is counted (calendar days).
        await RecordAsync("DIS", Step(CaseStep.Accept, 9, 30) with { Reason = "属于本单位职责", NoticeOn = new(2026, 10, 9) });

        var p = await LoadAsync("DIS");
        Assert.Equal((PetitionState.Accepted, new DateOnly(2026, 11, 30), new DateOnly(2026, 9, 30)), (p.State, p.CurrentDueDate!.Value, p.AcceptedOn!.Value));
        var e = Last(p, PetitionEventKind.Transition);
        Assert.Equal(("受理，书面告知 2026-10-09", "属于本单位职责"), (e.Detail, e.Note));
        Assert.Single(await AuditAsync("DIS", nameof(Petition.AcceptedOn)));
    }

    [Fact]
    public async Task NotAccept_FinishesIt_ClearsTheDeadline_AndRequiresReasonAndNotice()
    {
        var missing = await Assert.ThrowsAsync<ActionRefusedException>(() => RecordAsync("DIS", Step(CaseStep.NotAccept, 10, 9)));
        Assert.Contains("不予受理理由：必填", missing.Problems);
        Assert.Contains(missing.Problems, x => x.StartsWith("书面告知日期：必填"));

        await RecordAsync("DIS", Step(CaseStep.NotAccept, 10, 9) with { Reason = "已进入诉讼程序", NoticeOn = new(2026, 10, 12) });

        var p = await LoadAsync("DIS");
        Assert.Equal((PetitionState.NotAccepted, (DateOnly?)null, new DateOnly(2026, 10, 9)), (p.State, p.CurrentDueDate, p.FinishedOn!.Value));
        Assert.Equal("已进入诉讼程序", Last(p, PetitionEventKind.Transition).Note);
        Assert.Single(await AuditAsync("DIS", nameof(Petition.FinishedOn)));
    }

    [Fact]
    public async Task NotReaccept_FromRegistered_IsAFirstDecision()
    {
        await RecordAsync("REG", Step(CaseStep.NotReaccept, 9, 28) with { Reason = "同一事项已办结", NoticeOn = new(2026, 9, 28) });

        var p = await LoadAsync("REG");
        Assert.Equal((PetitionState.NotReaccepted, new DateOnly(2026, 9, 28)), (p.State, p.FirstDecisionOn!.Value));
        Assert.Null(p.CurrentDueDate);
        Assert.Single(await AuditAsync("REG", nameof(Petition.State)));
    }

    [Fact]
    public async Task ObjectionReturn_WithinFiveWorkingDays_CountsPastNationalDayAndTheMakeUpSaturday()
    {
        // Received by the unit Tue 09-29: 09-30 (1), 国庆 not counted, 10-08 (2), 10-09 (3), Sat 10-10 调休 (4), 10-12 (5).
        var late = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            RecordAsync("DIS", Step(CaseStep.ObjectionReturn, 10, 13) with { Reason = "不属本单位职责" }));
        Assert.Equal("异议退回须在责任单位收到之日起5个工作日内提出（截至 2026-10-12）", late.Message);

        await RecordAsync("DIS", Step(CaseStep.ObjectionReturn, 10, 12) with { Reason = "不属本单位职责" });

        var p = await LoadAsync("DIS");
        Assert.Equal(PetitionState.Registered, p.State);
        Assert.Null(p.DispatchedOn);
        Assert.Equal(new DateOnly(2026, 10, 8), p.CurrentDueDate);   // back to the first decision: 09-16 + 15 = 10-01 → 10-08
        Assert.Equal("不属本单位职责", Last(p, PetitionEventKind.Transition).Note);
        Assert.Single(await AuditAsync("DIS", nameof(Petition.DispatchedOn)));
    }

    [Fact]
    public async Task StartHandling_KeepsTheReplyDeadline()
    {
        await RecordAsync("ACC", Step(CaseStep.StartHandling, 10, 8));

        var p = await LoadAsync("ACC");
        Assert.Equal((PetitionState.InHandling, new DateOnly(2026, 11, 30)), (p.State, p.CurrentDueDate!.Value));
        Assert.Equal((PetitionState.Accepted, PetitionState.InHandling), (Last(p, PetitionEventKind.Transition).FromState!.Value, Last(p, PetitionEventKind.Transition).ToState!.Value));
        Assert.Single(await AuditAsync("ACC", nameof(Petition.State)));
    }

    [Fact]
    public async Task Extend_ByADutyOfficer_WaitsForASupervisor_WhoApprovesIt()
    {
        await RecordAsync("HAN", new CaseStepInput { Step = CaseStep.Extend, On = Today, Days = 30, Reason = "需现场核查" });

        var waiting = await LoadAsync("HAN");
        Assert.Equal((30, "duty1", 0), (waiting.PendingExtensionDays!.Value, waiting.PendingExtensionRequestedBy, waiting.ExtensionDays));
        Assert.Equal(new DateOnly(2026, 11, 30), waiting.CurrentDueDate);   // nothing moves before approval
        Assert.Equal("申请延期30日，批准后答复期限为 2026-12-29，待督查审批", Last(waiting, PetitionEventKind.ExtensionRequested).Detail);
        Assert.DoesNotContain(CaseStep.Extend, CaseSteps.Available(waiting));

        await Assert.ThrowsAsync<ActionRefusedException>(() => Service(Officer).ApproveExtensionAsync("HAN", waiting.Version, Ct));
        using (_auditActor.Use(() => "sup1")) await Service(Supervisor).ApproveExtensionAsync("HAN", waiting.Version, Ct);

        // 09-30 + (60 + 30) = Tuesday 12-29.
        var p = await LoadAsync("HAN");
        Assert.Equal((30, "sup1", new DateOnly(2026, 12, 29)), (p.ExtensionDays, p.ExtensionApprover, p.CurrentDueDate!.Value));
        Assert.Null(p.PendingExtensionDays);
        var e = Last(p, PetitionEventKind.Extension);
        Assert.Equal(("答复期限 2026-11-30 → 2026-12-29（延期30日，批准人：sup1）；申请人：duty1", "sup1"), (e.Detail, e.Actor));
        var audit = Assert.Single(await AuditAsync("HAN", nameof(Petition.ExtensionDays)));
        Assert.Equal(("0", "30", "sup1"), (audit.OldValue, audit.NewValue, audit.Actor));
    }

    [Fact]
    public async Task Extend_RefusedBySupervisor_LeavesTheDeadline_AndMayBeAskedAgain()
    {
        await RecordAsync("HAN", new CaseStepInput { Step = CaseStep.Extend, On = Today, Days = 20, Reason = "需现场核查" });
        var v = (await LoadAsync("HAN")).Version;
        using (_auditActor.Use(() => "sup1")) await Service(Supervisor).RefuseExtensionAsync("HAN", v, "理由不充分", Ct);

        var p = await LoadAsync("HAN");
        Assert.Equal((0, (int?)null, new DateOnly(2026, 11, 30)), (p.ExtensionDays, p.PendingExtensionDays, p.CurrentDueDate!.Value));
        Assert.Equal(("延期20日未获批准", "理由不充分"), (Last(p, PetitionEventKind.ExtensionRefused).Detail, Last(p, PetitionEventKind.ExtensionRefused).Note));
        Assert.Contains(CaseStep.Extend, CaseSteps.Available(p));
    }

    [Fact]
    public async Task Extend_ByASupervisor_IsGrantedAtOnce_AndNeverMoreThanThirtyDays()
    {
        var tooLong = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            RecordAsync("ACC", new CaseStepInput { Step = CaseStep.Extend, On = Today, Days = 31, Reason = "复杂" }, Supervisor));
        Assert.Contains("不得超过30日", tooLong.Message);

        await RecordAsync("ACC", new CaseStepInput { Step = CaseStep.Extend, On = Today, Days = 10, Reason = "复杂" }, Supervisor);

        var p = await LoadAsync("ACC");
        Assert.Equal((10, new DateOnly(2026, 12, 9)), (p.ExtensionDays, p.CurrentDueDate!.Value));   // 09-30 + 70, a Wednesday
        Assert.Single(await AuditAsync("ACC", nameof(Petition.ExtensionDays)));
    }

    [Fact]
    public async Task Reply_RecordsTheResultAndText_AndLeavesNoOpenDeadline()
    {
        var missing = await Assert.ThrowsAsync<ActionRefusedException>(() => RecordAsync("HAN", Step(CaseStep.Reply, 10, 19)));
        Assert.Equal(["答复结果：必选（支持 / 解释说明 / 不予支持）", "答复意见：必填"], missing.Problems);

        await RecordAsync("HAN", Step(CaseStep.Reply, 10, 19) with { Result = ReplyResult.Explained, Text = "已向信访人解释政策" });

        var p = await LoadAsync("HAN");
        Assert.Equal((PetitionState.Replied, ReplyResult.Explained, new DateOnly(2026, 10, 19)), (p.State, p.ReplyResult!.Value, p.RepliedOn!.Value));
        Assert.Null(p.CurrentDueDate);
        var e = Last(p, PetitionEventKind.Transition);
        Assert.Equal(("答复结果：解释说明", "已向信访人解释政策"), (e.Detail, e.Note));
        Assert.Single(await AuditAsync("HAN", nameof(Petition.ReplyResult)));
    }

    [Fact]
    public async Task Evaluate_AfterTheReply_IsAnAttributeWithItsEvent()
    {
        await RecordAsync("REP", Step(CaseStep.Evaluate, 10, 18) with { Evaluation = Evaluation.BasicallySatisfied });

        var p = await LoadAsync("REP");
        Assert.Equal((PetitionState.Replied, Evaluation.BasicallySatisfied, new DateOnly(2026, 10, 18)), (p.State, p.Evaluation!.Value, p.EvaluatedOn!.Value));
        Assert.Equal("未评价 → 基本满意", Last(p, PetitionEventKind.Evaluation).Detail);
        Assert.Single(await AuditAsync("REP", nameof(Petition.Evaluation)));
    }

    [Fact]
    public async Task Review_AcceptedThenDecided_StartsThirtyDays_ShiftedOffASunday()
    {
        await RecordAsync("REP", Step(CaseStep.ReviewAccepted, 10, 16));
        var review = await LoadAsync("REP");
        Assert.Equal((PetitionState.UnderReview, new DateOnly(2026, 11, 16)), (review.State, review.CurrentDueDate!.Value));   // 11-15 is a Sunday

        await RecordAsync("REP", Step(CaseStep.ReviewDecided, 10, 20) with { Note = "维持原处理意见" });
        var p = await LoadAsync("REP");
        Assert.Equal((PetitionState.Reviewed, new DateOnly(2026, 10, 20)), (p.State, p.ReviewDecidedOn!.Value));
        Assert.Null(p.CurrentDueDate);
        Assert.Equal("维持原处理意见", Last(p, PetitionEventKind.Transition).Note);
        Assert.Equal(2, (await AuditAsync("REP", nameof(Petition.State))).Count);
    }

    [Fact]
    public async Task Recheck_AcceptedThenTerminated()
    {
        await RecordAsync("RVD", Step(CaseStep.RecheckAccepted, 10, 19));
        var recheck = await LoadAsync("RVD");
        Assert.Equal((PetitionState.UnderRecheck, new DateOnly(2026, 11, 18)), (recheck.State, recheck.CurrentDueDate!.Value));

        await RecordAsync("RVD", Step(CaseStep.Terminate, 10, 20));
        var p = await LoadAsync("RVD");
        Assert.Equal((PetitionState.Terminated, new DateOnly(2026, 10, 20)), (p.State, p.FinishedOn!.Value));
        Assert.Equal(2, (await AuditAsync("RVD", nameof(Petition.State))).Count);
        // 三级终结: no step follows; only the petitioner's evaluation may still be recorded (§4: any time after the reply).
        Assert.Equal([CaseStep.Evaluate], CaseSteps.Available(p));
    }

    [Theory]
    [InlineData("REP", CaseStep.Close, PetitionState.Closed)]
    [InlineData("RVD", CaseStep.Close, PetitionState.Closed)]
    [InlineData("REG", CaseStep.File, PetitionState.Filed)]
    [InlineData("REG", CaseStep.RouteToLegal, PetitionState.RoutedToLegal)]
    [InlineData("HAN", CaseStep.RouteToLegal, PetitionState.RoutedToLegal)]
    public async Task Finishing_Steps_ClearTheDeadline_WithEventAndAudit(string caseNumber, CaseStep step, PetitionState expected)
    {
        await RecordAsync(caseNumber, Step(step, 10, 20) with { Note = "依规处理" });

        var p = await LoadAsync(caseNumber);
        Assert.Equal((expected, (DateOnly?)null, new DateOnly(2026, 10, 20)), (p.State, p.CurrentDueDate, p.FinishedOn!.Value));
        Assert.Equal((expected, "依规处理"), (Last(p, PetitionEventKind.Transition).ToState!.Value, Last(p, PetitionEventKind.Transition).Note));
        Assert.Contains(await AuditAsync(caseNumber, nameof(Petition.State)), a => a.NewValue == expected.ToChinese());
    }

    /// <summary>One illegal step of each kind: refused with the rule in Chinese, nothing written.</summary>
    [Theory]
    [InlineData("HAN", CaseStep.Transfer, "信访事项处于“办理中”时不能变更为“转送/交办”")]
    [InlineData("ACC", CaseStep.Assign, "信访事项处于“受理”时不能变更为“转送/交办”")]
    [InlineData("REG", CaseStep.ObjectionReturn, "信访事项处于“登记”时不能变更为“登记”")]
    [InlineData("HAN", CaseStep.Accept, "信访事项处于“办理中”时不能变更为“受理”")]
    [InlineData("HAN", CaseStep.NotAccept, "信访事项处于“办理中”时不能变更为“不予受理”")]
    [InlineData("ACC", CaseStep.NotReaccept, "信访事项处于“受理”时不能变更为“不再受理”")]
    [InlineData("REG", CaseStep.StartHandling, "信访事项处于“登记”时不能变更为“办理中”")]
    [InlineData("ACC", CaseStep.Reply, "只有办理中的信访事项才能答复（受理 → 办理中 → 已答复）")]
    [InlineData("HAN", CaseStep.ReviewAccepted, "只有已答复的信访事项才能申请复查")]
    [InlineData("REP", CaseStep.ReviewDecided, "信访事项处于“已答复”时不能变更为“已复查”")]
    [InlineData("REP", CaseStep.RecheckAccepted, "只有已复查的信访事项才能申请复核")]
    [InlineData("RVD", CaseStep.Terminate, "只有复核中的信访事项才能终结")]
    [InlineData("HAN", CaseStep.Close, "只有已答复（复查期满未申请）或复查终了的信访事项才能办结")]
    [InlineData("DIS", CaseStep.File, "信访事项处于“转送/交办”时不能变更为“存档备查”")]
    [InlineData("REP", CaseStep.RouteToLegal, "信访事项处于“已答复”时不能变更为“导入法定途径”")]
    [InlineData("REG", CaseStep.Extend, "只有受理或办理中的信访事项才能延期（当前：登记）")]
    [InlineData("HAN", CaseStep.Evaluate, "只有已答复的信访事项才能评价（满意 / 基本满意 / 不满意）")]
    [InlineData("FIN", CaseStep.Reply, "信访事项已办结，不能再变更为“已答复”")]
    public async Task IllegalStep_IsRefusedWithTheRule_AndNothingIsWritten(string caseNumber, CaseStep step, string rule)
    {
        var before = await LoadAsync(caseNumber);
        var input = new CaseStepInput
        {
            Step = step, On = Today, UnitId = _otherUnitId, Reason = "理由", NoticeOn = Today, Result = ReplyResult.Supported,
            Text = "答复", Days = 10, Evaluation = Evaluation.Satisfied,
        };
        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(() => RecordAsync(caseNumber, input));

        Assert.Equal(rule, refusal.Message);
        Assert.Equal(RefusalKind.RuleBroken, refusal.Kind);
        var after = await LoadAsync(caseNumber);
        Assert.Equal((before.State, before.Version, before.Events.Count, before.CurrentDueDate), (after.State, after.Version, after.Events.Count, after.CurrentDueDate));
        Assert.DoesNotContain(step, CaseSteps.Available(before));
    }

    [Fact]
    public async Task Dates_InTheFutureOrBeforeThePreviousStep_AreRefused()
    {
        var future = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            RecordAsync("REG", Step(CaseStep.Transfer, 10, 21) with { UnitId = _otherUnitId }));
        Assert.Equal("办理日期 2026-10-21 不能晚于今天（2026-10-20）", future.Message);

        var early = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            RecordAsync("DIS", Step(CaseStep.Accept, 9, 28)));
        Assert.Equal("办理日期 2026-09-28 不能早于上一环节的日期 2026-09-29", early.Message);

        var notice = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            RecordAsync("DIS", Step(CaseStep.NotAccept, 10, 9) with { Reason = "理由", NoticeOn = new(2026, 10, 8) }));
        Assert.Equal("书面告知日期 2026-10-08 不能早于决定日期 2026-10-09", notice.Message);
    }

    [Fact]
    public async Task TwoPeopleSaveAStepAtOnce_OneWins_TheOtherIsToldWhoDidWhat()
    {
        var version = (await LoadAsync("REG")).Version;
        var transfer = Step(CaseStep.Transfer, 10, 19) with { UnitId = _otherUnitId };
        var file = Step(CaseStep.File, 10, 19);

        var results = await Task.WhenAll(
            Try(() => Service(Officer).RecordAsync("REG", version, transfer, Ct)),
            Try(() => Service(OtherOfficer).RecordAsync("REG", version, file, Ct)));

        var winner = Assert.Single(results, r => r.Refusal is null);
        var loser = Assert.Single(results, r => r.Refusal is not null);
        Assert.Equal(RefusalKind.ChangedMeanwhile, loser.Refusal!.Kind);
        var p = await LoadAsync("REG");
        Assert.Equal(winner.Outcome!.State, p.State);
        var winnerName = p.State == PetitionState.Dispatched ? "duty1" : "duty2";
        Assert.StartsWith($"信访件 REG 已被{winnerName}于 ", loser.Refusal.Message);
        Assert.Contains($"记录了“登记 → {p.State.ToChinese()}”（2026-10-19）", loser.Refusal.Message);
        Assert.Single(p.Events, e => e.Kind == PetitionEventKind.Transition && e.FromState == PetitionState.Registered);

        static async Task<(CaseStepOutcome? Outcome, ActionRefusedException? Refusal)> Try(Func<Task<CaseStepOutcome>> save)
        {
            await Task.Yield();
            try
            {
                return (await save(), null);
            }
            catch (ActionRefusedException e)
            {
                return (null, e);
            }
        }
    }

    [Fact]
    public async Task AStaleForm_IsRefused_NamingTheStepThatWasRecorded()
    {
        var stale = (await LoadAsync("ACC")).Version;
        await RecordAsync("ACC", Step(CaseStep.StartHandling, 10, 8), OtherOfficer);

        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service(Officer).RecordAsync("ACC", stale, Step(CaseStep.RouteToLegal, 10, 9), Ct));

        Assert.Equal(RefusalKind.ChangedMeanwhile, refusal.Kind);
        Assert.Contains("已被duty2于 ", refusal.Message);
        Assert.Contains("记录了“受理 → 办理中”（2026-10-08）", refusal.Message);
        Assert.Equal(PetitionState.InHandling, (await LoadAsync("ACC")).State);
    }

    [Fact]
    public async Task Roles_LeadersActOnNone_SupervisorsApproveOnly_DutyOfficersRecord()
    {
        var v = (await LoadAsync("REG")).Version;
        var transfer = Step(CaseStep.Transfer, 10, 19) with { UnitId = _otherUnitId };
        Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() => Service(Leader).RecordAsync("REG", v, transfer, Ct))).Kind);
        Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() => Service(Supervisor).RecordAsync("REG", v, transfer, Ct))).Kind);
        Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service(Leader).RecordAsync("HAN", v, new CaseStepInput { Step = CaseStep.Extend, On = Today, Days = 5, Reason = "x" }, Ct))).Kind);
        Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service(Leader).DispatchManyAsync(["B01"], CaseStep.Transfer, _otherUnitId, Today, null, Ct))).Kind);
        Assert.Equal(PetitionState.Registered, (await LoadAsync("REG")).State);
    }

    [Fact]
    public async Task AStepThatGivesAFreshDeadline_LowersTheSupervisionLevelAtOnce()
    {
        await RecordAsync("LATE", Step(CaseStep.Transfer, 10, 20) with { UnitId = _otherUnitId });

        var p = await LoadAsync("LATE");
        Assert.Equal((new DateOnly(2026, 11, 4), SupervisionLevel.None), (p.CurrentDueDate!.Value, p.Supervision));
        Assert.Equal("督办 → 无", Last(p, PetitionEventKind.SupervisionChanged).Detail);
        Assert.Single(await AuditAsync("LATE", nameof(Petition.Supervision)));
    }

    [Fact]
    public async Task BatchTransfer_OfTwenty_IsOneActionWithAnEventAndAuditRowsEach()
    {
        var numbers = Enumerable.Range(1, 20).Select(i => $"B{i:D2}").ToList();
        using (_auditActor.Use(() => "duty1"))
            await Service(Officer).DispatchManyAsync(numbers, CaseStep.Transfer, _otherUnitId, new(2026, 10, 19), "集中转送", Ct);

        await using var db = _db.CreateDbContext();
        var rows = await db.Petitions.Include(p => p.Events).Where(p => numbers.Contains(p.CaseNumber)).ToListAsync(Ct);
        Assert.All(rows, p =>
        {
            Assert.Equal((PetitionState.Dispatched, _otherUnitId, new DateOnly(2026, 11, 3)), (p.State, p.UnitId, p.CurrentDueDate!.Value));
            Assert.Equal("转送至 市住建局", Last(p, PetitionEventKind.Transition).Detail);
        });
        var audited = await db.AuditEntries.Where(a => a.Field == nameof(Petition.State) && a.Actor == "duty1").Select(a => a.CaseNumber!).ToListAsync(Ct);
        Assert.Equal(numbers, audited.Order().ToList());
    }

    [Fact]
    public async Task BatchTransfer_WithOneIllegalPetition_WritesNothing_AndNamesIt()
    {
        var refusal = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service(Officer).DispatchManyAsync(["B01", "HAN", "B02", "NOPE"], CaseStep.Assign, _otherUnitId, Today, null, Ct));

        Assert.Equal("2 件不能交办，本批 4 件均未办理", refusal.Message);
        Assert.Equal(["NOPE：信访编号不存在", "HAN：信访事项处于“办理中”时不能变更为“转送/交办”"], refusal.Problems);
        Assert.Equal(PetitionState.Registered, (await LoadAsync("B01")).State);
        Assert.Equal(PetitionState.Registered, (await LoadAsync("B02")).State);
    }

    [Fact]
    public async Task Preview_ShowsTheDeadlineTheStepWouldStart_OrWhyItWouldBeRefused()
    {
        var service = Service(Officer);
        var transfer = await service.PreviewAsync("REG", Step(CaseStep.Transfer, 9, 22), Ct);
        Assert.Equal((DeadlineStep.UnitAcceptance, new DateOnly(2026, 10, 8)), (transfer.Deadline!.Step, transfer.Deadline.Due));
        Assert.Contains(transfer.Deadline.Crossed, d => d.HolidayName == "国庆节");
        Assert.Equal("期限最后一日 2026-10-07 为国庆节假期，顺延至其后第一个工作日 2026-10-08（参照民法典第二百零三条）", transfer.Deadline.ShiftRule);

        var extend = await service.PreviewAsync("HAN", new CaseStepInput { Step = CaseStep.Extend, On = Today, Days = 30 }, Ct);
        Assert.Equal(new DateOnly(2026, 12, 29), extend.Deadline!.Due);

        var refused = await service.PreviewAsync("DIS", Step(CaseStep.ObjectionReturn, 10, 13), Ct);
        Assert.Null(refused.Deadline);
        Assert.Equal("异议退回须在责任单位收到之日起5个工作日内提出（截至 2026-10-12）", refused.Refusal);
        Assert.Equal(PetitionState.Dispatched, (await LoadAsync("DIS")).State);   // a preview writes nothing
    }

    [Fact]
    public async Task ExternalNumber_IsUniqueWhenPresent()
    {
        using (_auditActor.Use(() => "duty1"))
            await Service(Officer).SetExternalNumberAsync("REG", (await LoadAsync("REG")).Version, " 36010020261016001 ", Ct);
        Assert.Equal("36010020261016001", (await LoadAsync("REG")).ExternalNumber);
        Assert.Single(await AuditAsync("REG", nameof(Petition.ExternalNumber)));

        var dis = (await LoadAsync("DIS")).Version;
        var taken = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Service(Officer).SetExternalNumberAsync("DIS", dis, "36010020261016001", Ct));
        Assert.Equal("外部编号：36010020261016001 已用于信访件 REG，外部编号不能重复", taken.Message);
    }
}

using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Domain.DomainTestData;

namespace PetitionDashboard.Tests.Domain;

/// <summary>The 领导包案 lifecycle: the transition table, the extension cap, 息诉罢访 and 反弹; refusals change nothing.</summary>
public class AssignmentLifecycleTests
{
    private static readonly DeadlineCalculator Calc = TestRules.Deadlines();

    /// <summary>在办 and 反弹 are resolved; only a resolved 包案 relapses (a repeat after 息诉罢访).</summary>
    private static readonly Dictionary<AssignmentStatus, AssignmentStatus[]> Contract = new()
    {
        [AssignmentStatus.Active] = [AssignmentStatus.Resolved],
        [AssignmentStatus.Relapsed] = [AssignmentStatus.Resolved],
        [AssignmentStatus.Resolved] = [AssignmentStatus.Relapsed],
    };

    public static TheoryData<AssignmentStatus, AssignmentStatus> AllPairs()
    {
        var data = new TheoryData<AssignmentStatus, AssignmentStatus>();
        foreach (var from in Enum.GetValues<AssignmentStatus>())
            foreach (var to in Enum.GetValues<AssignmentStatus>()) data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Refusal_AllowsExactlyTheContract(AssignmentStatus from, AssignmentStatus to)
    {
        var allowed = Contract.TryGetValue(from, out var next) && next.Contains(to);

        var refusal = AssignmentLifecycle.Refusal(from, to);

        if (allowed) Assert.Null(refusal);
        else Assert.False(string.IsNullOrWhiteSpace(refusal));
    }

    [Theory]
    [InlineData(AssignmentStatus.Active, true)]
    [InlineData(AssignmentStatus.Relapsed, true)]
    [InlineData(AssignmentStatus.Resolved, false)]
    public void InForce_PredicateAndQueryExpressionAgree(AssignmentStatus status, bool inForce)
    {
        var a = New(status);

        Assert.Equal(inForce, AssignmentLifecycle.IsInForce(status));
        Assert.Equal(inForce, AssignmentLifecycle.InForce.Compile()(a));
        Assert.Equal(inForce, AssignmentLifecycle.InForceStates.Contains(status));
    }

    [Fact]
    public void InForceSqlFilter_NamesTheInForceStatusValues()
    {
        Assert.Equal("\"Status\" IN (1, 3)", AssignmentLifecycle.InForceSqlFilter("\"Status\""));
    }

    [Theory]
    // 90 calendar days from 07-03 end on 10-01, inside the 2025 National Day holiday: moved to 10-09.
    [InlineData("2025-07-03", "2025-10-09")]
    // 90 days from 2024-11-02 end on 2025-01-31, inside the Spring Festival (01-28…02-04): moved to 02-05.
    [InlineData("2024-11-02", "2025-02-05")]
    // 90 days from 03-03 end on Sunday 06-01, inside the Dragon Boat holiday (05-31…06-02): moved to 06-03.
    [InlineData("2025-03-03", "2025-06-03")]
    public void Assign_StartsInForceWithTheNinetyDayDeadline(string assignedOn, string due)
    {
        var a = New(AssignmentStatus.Resolved);
        a.ExtensionDays = 7;

        var deadline = AssignmentLifecycle.Assign(a, D(assignedOn), Calc);

        Assert.Equal(AssignmentStatus.Active, a.Status);
        Assert.Equal(D(assignedOn), a.AssignedOn);
        Assert.Equal(D(due), a.DueOn);
        Assert.Equal(D(due), deadline.Due);
        Assert.Equal(0, a.ExtensionDays);
        Assert.Null(a.ResolvedOn);
    }

    [Theory]
    [InlineData("王某（副市长）", AssignmentStatus.Active, false, "已包案：由 王某（副市长）于 2025-03-03 包案（在办）")]
    [InlineData("王某（副市长）", AssignmentStatus.Relapsed, false, "已包案：由 王某（副市长）于 2025-03-03 包案（反弹）")]
    [InlineData(null, null, true, "已办结：该信访事项及其重复件均已办结（最新一件为“办结”），无需包案")]
    [InlineData(null, null, false, null)]
    public void AssignRefusal_OneInForcePerThreadAndNothingFinished(string? heldBy, AssignmentStatus? held, bool finished, string? expected)
    {
        var refusal = AssignmentLifecycle.AssignRefusal(heldBy, heldBy is null ? null : D("2025-03-03"), held, finished, PetitionState.Closed);

        Assert.Equal(expected, refusal);
    }

    [Theory]
    [InlineData(1, 30, null)]
    [InlineData(30, 30, null)]
    [InlineData(0, 30, "延期天数：须为1至30之间的整数")]
    [InlineData(31, 30, "延期天数：须为1至30之间的整数")]
    [InlineData(15, 10, "延期天数：须为1至10之间的整数")]
    public void ExtensionDaysProblem_OneToTheConfiguredMaximum(int days, int max, string? expected)
    {
        Assert.Equal(expected, AssignmentLifecycle.ExtensionDaysProblem(days, max));
    }

    [Theory]
    [InlineData(0, 30, null)]
    [InlineData(20, 10, null)]
    [InlineData(20, 11, "包案化解期限延长累计不得超过30日：该包案已延期 20 日，本次最多可申请 10 日")]
    [InlineData(30, 1, "包案化解期限延长累计不得超过30日：该包案已延期 30 日，不能再延期")]
    public void RequestExtension_CapsTheTotal(int already, int days, string? refusal)
    {
        var a = New(AssignmentStatus.Active);
        a.ExtensionDays = already;

        var ex = Record.Exception(() => AssignmentLifecycle.EnsureCanRequestExtension(a, days, pending: null, maxDays: 30));

        if (refusal is null) Assert.Null(ex);
        else Assert.Equal(refusal, Assert.IsType<ActionRefusedException>(ex).Message);
    }

    [Fact]
    public void RequestExtension_RefusedWhenResolvedOrAnotherWaits()
    {
        var resolved = New(AssignmentStatus.Resolved);
        var active = New(AssignmentStatus.Active);
        var pending = Request(days: 5);

        var notInForce = Assert.Throws<ActionRefusedException>(() => AssignmentLifecycle.EnsureCanRequestExtension(resolved, 5, null, 30));
        var waiting = Assert.Throws<ActionRefusedException>(() => AssignmentLifecycle.EnsureCanRequestExtension(active, 5, pending, 30));

        Assert.Equal("该包案已化解（息诉罢访），不能申请延期", notInForce.Message);
        Assert.Equal("已有待审批的延期申请（5 日，2025-07-10 提出），请等待审批后再申请", waiting.Message);
    }

    [Theory]
    // 07-03 + 90 + 10 = 10-11, a make-up working Saturday: it stays.
    [InlineData("2025-07-03", 0, 10, "2025-10-11")]
    // 07-03 + 90 + 5 = 10-06, inside the holiday: the shift is applied once, to the result (10-09).
    [InlineData("2025-07-03", 0, 5, "2025-10-09")]
    // The total counts: 20 already + 10 now = 90 + 30 days from the assigned-on date, a Tuesday.
    [InlineData("2025-03-03", 20, 10, "2025-07-01")]
    public void ApproveExtension_RecomputesFromAssignedOnWithTheTotal(string assignedOn, int already, int days, string due)
    {
        var a = New(AssignmentStatus.Active);
        a.AssignedOn = D(assignedOn);
        a.ExtensionDays = already;
        a.DueOn = Calc.Assignment(a.AssignedOn, already).Due;
        var before = a.DueOn;
        var request = Request(days);

        var detail = AssignmentLifecycle.DecideExtension(a, request, approve: true, "督查甲", null, D("2025-07-20"), Calc);

        Assert.Equal(D(due), a.DueOn);
        Assert.Equal(already + days, a.ExtensionDays);
        Assert.Equal(ExtensionRequestStatus.Approved, request.Status);
        Assert.Equal("督查甲", request.DecidedBy);
        Assert.Equal(D("2025-07-20"), request.DecidedOn);
        Assert.Equal($"包案化解期限 {before:yyyy-MM-dd} → {due}（批准延期 {days} 日，累计延期 {already + days} 日）", detail);
    }

    [Fact]
    public void RejectExtension_KeepsTheDeadline()
    {
        var a = New(AssignmentStatus.Active);
        var request = Request(days: 10);

        var detail = AssignmentLifecycle.DecideExtension(a, request, approve: false, "督查甲", "理由不足", D("2025-07-20"), Calc);

        Assert.Equal(D("2025-10-09"), a.DueOn);
        Assert.Equal(0, a.ExtensionDays);
        Assert.Equal(ExtensionRequestStatus.Rejected, request.Status);
        Assert.Equal("理由不足", request.DecisionNote);
        Assert.Equal("延期申请 10 日：待审批 → 未批准，化解期限仍为 2025-10-09", detail);
    }

    [Theory]
    [InlineData(AssignmentStatus.Resolved, 0, 5, "该包案已化解（息诉罢访），无需延期")]
    [InlineData(AssignmentStatus.Active, 25, 10, "包案化解期限延长累计不得超过30日：该包案已延期 25 日，本次最多可申请 5 日")]
    public void ApproveExtension_RefusedChangesNothing(AssignmentStatus status, int already, int days, string refusal)
    {
        var a = New(status);
        a.ExtensionDays = already;
        var request = Request(days);

        var ex = Assert.Throws<ActionRefusedException>(() => AssignmentLifecycle.DecideExtension(a, request, true, "督查甲", null, D("2025-07-20"), Calc));

        Assert.Equal(refusal, ex.Message);
        Assert.Equal(D("2025-10-09"), a.DueOn);
        Assert.Equal(already, a.ExtensionDays);
        Assert.Equal(ExtensionRequestStatus.Pending, request.Status);
        Assert.Null(request.DecidedBy);
    }

    [Theory]
    [InlineData(AssignmentStatus.Active, "2025-10-09", "按期化解")]
    [InlineData(AssignmentStatus.Active, "2025-08-01", "按期化解")]
    [InlineData(AssignmentStatus.Active, "2025-10-12", "逾期 3 日化解")]
    [InlineData(AssignmentStatus.Relapsed, "2026-01-01", "逾期 84 日化解")]
    public void Resolve_RecordsTheDayAndWhetherOnTime(AssignmentStatus from, string on, string within)
    {
        var a = New(from);
        var pending = Request(days: 5);
        var decided = Request(days: 3);
        decided.Status = ExtensionRequestStatus.Approved;

        var text = AssignmentLifecycle.Resolve(a, "息诉罢访，签订息访协议", D(on), "王某", [pending, decided]);

        Assert.Equal(within, text);
        Assert.Equal(AssignmentStatus.Resolved, a.Status);
        Assert.Equal(D(on), a.ResolvedOn);
        Assert.Equal("息诉罢访，签订息访协议", a.ResolutionResult);
        Assert.Equal(ExtensionRequestStatus.Rejected, pending.Status);
        Assert.Equal("包案已息诉罢访，申请自动撤回", pending.DecisionNote);
        Assert.Equal(ExtensionRequestStatus.Approved, decided.Status);
    }

    [Fact]
    public void Resolve_TwiceIsRefusedAndChangesNothing()
    {
        var a = New(AssignmentStatus.Resolved);
        a.ResolvedOn = D("2025-09-01");
        a.ResolutionResult = "第一次";
        var pending = Request(days: 5);

        var ex = Assert.Throws<ActionRefusedException>(() => AssignmentLifecycle.Resolve(a, "第二次", D("2025-09-10"), "王某", [pending]));

        Assert.Equal("该包案已于 2025-09-01 化解（息诉罢访）", ex.Message);
        Assert.Equal(D("2025-09-01"), a.ResolvedOn);
        Assert.Equal("第一次", a.ResolutionResult);
        Assert.Equal(ExtensionRequestStatus.Pending, pending.Status);
    }

    [Fact]
    public void Relapse_ReopensAResolvedAssignmentAndKeepsTheEarlierResolutionDate()
    {
        var a = New(AssignmentStatus.Resolved);
        a.ResolvedOn = D("2025-09-01");

        var relapse = AssignmentLifecycle.Relapse(a, D("2025-12-31"));

        Assert.Equal(AssignmentStatus.Relapsed, a.Status);
        Assert.Equal(new AssignmentRelapse(D("2025-09-01"), D("2025-12-31")), relapse);
        // docs/rules.md §8: the resolution date stays and the relapse date is added — the weeks between keep their 化解.
        Assert.Equal(D("2025-09-01"), a.ResolvedOn);
        Assert.Equal(D("2025-12-31"), a.RelapsedOn);
        Assert.True(AssignmentLifecycle.IsInForce(a.Status));
    }

    [Fact]
    public void Relapse_EndsTheResolutionInForce_AndResolveAgainAddsANewOne()
    {
        var a = New(AssignmentStatus.Active);
        AssignmentLifecycle.Resolve(a, "息诉罢访", D("2025-09-01"), "督查", []);
        AssignmentLifecycle.Relapse(a, D("2025-12-31"));
        AssignmentLifecycle.Resolve(a, "再次息诉罢访", D("2026-02-10"), "督查", []);

        Assert.Equal(
            [(D("2025-09-01"), (DateOnly?)D("2025-12-31")), (D("2026-02-10"), (DateOnly?)null)],
            a.Resolutions.Select(r => (r.ResolvedOn, r.RelapsedOn)).ToList());
    }

    // Rows: "resolved>relapsed" per resolution, ";"-separated, as the product writes them (Resolve, Relapse).
    [Theory]
    [InlineData("", "2025-09-07", false)]                                          // never resolved
    [InlineData("2025-09-01", "2025-08-31", false)]                                // resolved after that Sunday
    [InlineData("2025-09-01", "2025-09-07", true)]
    [InlineData("2025-09-01>2025-12-31", "2025-12-28", true)]                      // resolved, relapse still to come: 化解 then
    [InlineData("2025-09-01>2025-12-31", "2026-01-04", false)]                     // relapsed by that Sunday
    [InlineData("2025-09-01>2025-12-31;2026-02-10", "2025-12-28", true)]           // resolved again later: A … B−1 keep their 化解
    [InlineData("2025-09-01>2025-12-31;2026-02-10", "2026-01-04", false)]          // … not yet at the relapse's week
    [InlineData("2025-09-01>2025-12-31;2026-02-10", "2026-02-15", true)]           // … and 化解 again from the new resolution on
    [InlineData("2025-09-01>2025-12-31;2026-02-10>2026-03-02", "2026-03-08", false)] // relapsed twice
    public void ResolvedBy_CountsWhatHadHappenedByThatSunday_QueryAndDatesAgree(string history, string sunday, bool expected)
    {
        var a = New(AssignmentStatus.Active);
        foreach (var step in history.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var dates = step.Split('>');
            AssignmentLifecycle.Resolve(a, "息诉罢访", D(dates[0]), "督查", []);
            if (dates.Length > 1) AssignmentLifecycle.Relapse(a, D(dates[1]));
        }

        Assert.Equal(expected, AssignmentLifecycle.ResolvedBy(D(sunday)).Compile()(a));
        Assert.Equal(expected, AssignmentLifecycle.IsResolvedBy(a.Resolutions.Select(r => (r.ResolvedOn, r.RelapsedOn)), D(sunday)));
    }

    [Fact]
    public void ResolveAgainAfterARelapse_CountsFromTheNewResolution_AndTheWeeksOfTheFirstKeepTheirs()
    {
        var a = New(AssignmentStatus.Active);
        AssignmentLifecycle.Resolve(a, "息诉罢访", D("2025-09-01"), "督查", []);
        AssignmentLifecycle.Relapse(a, D("2025-12-31"));
        AssignmentLifecycle.Resolve(a, "再次息诉罢访", D("2026-02-10"), "督查", []);
        var resolutions = a.Resolutions.Select(r => (r.ResolvedOn, r.RelapsedOn)).ToList();

        Assert.True(AssignmentLifecycle.IsResolvedBy(resolutions, D("2026-02-15")));
        Assert.False(AssignmentLifecycle.IsResolvedBy(resolutions, D("2026-01-04")));
        Assert.True(AssignmentLifecycle.IsResolvedBy(resolutions, D("2025-12-28")));
    }

    [Fact]
    public void Assign_StartsWithNoResolutionAndNoRelapse()
    {
        var a = New(AssignmentStatus.Relapsed);
        a.ResolvedOn = D("2025-09-01");
        a.RelapsedOn = D("2025-12-31");

        AssignmentLifecycle.Assign(a, D("2026-01-05"), TestRules.Deadlines());

        Assert.Equal((AssignmentStatus.Active, (DateOnly?)null, (DateOnly?)null), (a.Status, a.ResolvedOn, a.RelapsedOn));
    }

    [Theory]
    [InlineData(AssignmentStatus.Active)]
    [InlineData(AssignmentStatus.Relapsed)]
    public void Relapse_OfAnAssignmentInForceIsRefused(AssignmentStatus status)
    {
        var a = New(status);

        var ex = Assert.Throws<ActionRefusedException>(() => AssignmentLifecycle.Relapse(a, D("2025-12-31")));

        Assert.Equal("只有已化解的包案才会反弹（化解后再访）", ex.Message);
        Assert.Equal(status, a.Status);
    }

    /// <summary>Assigned 2025-07-03: due 2025-10-09 (90 days end on 10-01, in the National Day holiday).</summary>
    private static LeaderAssignment New(AssignmentStatus status) => new()
    {
        Id = 1, ThreadId = 1, LeaderId = 1, LeadUnitId = 1, ResponsiblePerson = "张三", Plan = "化解方案",
        AssignedOn = D("2025-07-03"), DueOn = D("2025-10-09"), Status = status,
    };

    private static AssignmentExtensionRequest Request(int days) => new()
    {
        Id = 1, AssignmentId = 1, Days = days, Reason = "需协调多部门", RequestedBy = "王某", RequestedOn = D("2025-07-10"),
    };
}

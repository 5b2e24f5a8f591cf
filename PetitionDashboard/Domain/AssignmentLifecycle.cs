using System.Linq.Expressions;

namespace PetitionDashboard.Domain;

/// <summary>
/// The 领导包案 lifecycle (docs/rules.md §1, §3, §6): assigned → 在办; 息诉罢访 → 已化解; a repeat after the resolution → 反弹;
/// a 反弹 is resolved again. The deadline is assigned on + <c>AssignmentDays</c>, extended on request by at most
/// <c>AssignmentMaxExtensionDays</c> in total. Refused changes throw <see cref="ActionRefusedException"/> before anything changes.
/// </summary>
public static class AssignmentLifecycle
{
    private static readonly AssignmentStatus[] InForceList = [AssignmentStatus.Active, AssignmentStatus.Relapsed];

    /// <summary>包案 in force: the leader still owes a resolution (在办 or 反弹). A thread has at most one.</summary>
    public static IReadOnlyList<AssignmentStatus> InForceStates => InForceList;

    public static bool IsInForce(AssignmentStatus status) => InForceList.Contains(status);

    /// <summary>The same rule for EF queries, as constants (<see cref="ConstantSets"/>: cacheable SQL, the partial index on the
    /// in-force 包案 usable); nested: <c>x.Assignments.AsQueryable().Any(InForce)</c>.</summary>
    public static readonly Expression<Func<LeaderAssignment, bool>> InForce =
        ConstantSets.OneOf<LeaderAssignment, AssignmentStatus>(nameof(LeaderAssignment.Status), InForceList);

    /// <summary>The filter of the "one 包案 in force per thread" unique index, as SQL.</summary>
    public static string InForceSqlFilter(string statusColumn) =>
        $"{statusColumn} IN ({string.Join(", ", InForceList.Select(s => (int)s))})";

    private static readonly Dictionary<AssignmentStatus, AssignmentStatus[]> Allowed = new()
    {
        [AssignmentStatus.Active] = [AssignmentStatus.Resolved],
        [AssignmentStatus.Relapsed] = [AssignmentStatus.Resolved],
        // 再访原领导包: a repeat on a resolved thread reopens the same 包案 rather than starting a new one.
        [AssignmentStatus.Resolved] = [AssignmentStatus.Relapsed],
    };

    public static IReadOnlyList<AssignmentStatus> Next(AssignmentStatus from) =>
        Allowed.TryGetValue(from, out var next) ? next : [];

    /// <summary>Null when the change is allowed; otherwise the zh-CN rule that refuses it.</summary>
    public static string? Refusal(AssignmentStatus from, AssignmentStatus to)
    {
        if (Next(from).Contains(to)) return null;
        return (from, to) switch
        {
            (AssignmentStatus.Resolved, AssignmentStatus.Resolved) => "该包案已化解（息诉罢访），不能重复化解",
            (_, AssignmentStatus.Relapsed) => "只有已化解的包案才会反弹（化解后再访）",
            _ => $"包案处于“{from.ToChinese()}”时不能变更为“{to.ToChinese()}”",
        };
    }

    /// <summary>
    /// Why a case cannot be assigned, or null: its thread already has a 包案 in force (one per thread), or every petition of
    /// the thread is finished (nothing left to resolve).
    /// </summary>
    public static string? AssignRefusal(string? heldBy, DateOnly? heldSince, AssignmentStatus? heldStatus, bool threadFinished, PetitionState latestState)
    {
        if (heldBy is not null)
            return $"已包案：由 {heldBy}于 {heldSince:yyyy-MM-dd} 包案（{heldStatus?.ToChinese()}）";
        if (threadFinished)
            return $"已办结：该信访事项及其重复件均已办结（最新一件为“{latestState.ToChinese()}”），无需包案";
        return null;
    }

    /// <summary>Starts a 包案 on <paramref name="on"/>: 在办, due assigned on + <c>AssignmentDays</c> (§2 counting), no extension.</summary>
    public static Deadline Assign(LeaderAssignment assignment, DateOnly on, DeadlineCalculator deadlines)
    {
        var deadline = deadlines.Assignment(on, 0);
        assignment.AssignedOn = on;
        assignment.DueOn = deadline.Due;
        assignment.ExtensionDays = 0;
        assignment.Status = AssignmentStatus.Active;
        assignment.ResolvedOn = null;
        assignment.RelapsedOn = null;
        return deadline;
    }

    /// <summary>The field problem of a requested number of extension days, or null (1 to <c>AssignmentMaxExtensionDays</c>).</summary>
    public static string? ExtensionDaysProblem(int days, int maxDays) =>
        days < 1 || days > maxDays ? $"延期天数：须为1至{maxDays}之间的整数" : null;

    /// <summary>
    /// A leader may ask for more time while his 包案 is in force, one request waiting at a time, and never beyond the
    /// total cap. Throws the rule that refuses it.
    /// </summary>
    public static void EnsureCanRequestExtension(LeaderAssignment assignment, int days, AssignmentExtensionRequest? pending, int maxDays)
    {
        if (!IsInForce(assignment.Status)) throw new ActionRefusedException("该包案已化解（息诉罢访），不能申请延期");
        if (ExtensionDaysProblem(days, maxDays) is { } problem) throw new ActionRefusedException(problem);
        if (pending is not null)
            throw new ActionRefusedException($"已有待审批的延期申请（{pending.Days} 日，{pending.RequestedOn:yyyy-MM-dd} 提出），请等待审批后再申请");
        EnsureWithinCap(assignment.ExtensionDays, days, maxDays);
    }

    /// <summary>
    /// Decides a pending request. Approval recomputes the deadline from the assigned-on date with the total extension (§2:
    /// the shift off a non-working day is applied once, to the result). Returns the old → new text for the history.
    /// </summary>
    public static string DecideExtension(
        LeaderAssignment assignment, AssignmentExtensionRequest request, bool approve, string decidedBy, string? note, DateOnly on,
        DeadlineCalculator deadlines)
    {
        if (request.Status != ExtensionRequestStatus.Pending)
            throw new ActionRefusedException($"该延期申请已由 {request.DecidedBy} 审批（{request.Status.ToChinese()}），请刷新后查看");
        if (!IsInForce(assignment.Status)) throw new ActionRefusedException("该包案已化解（息诉罢访），无需延期");
        string detail;
        if (approve)
        {
            var max = deadlines.Options.AssignmentMaxExtensionDays;
            EnsureWithinCap(assignment.ExtensionDays, request.Days, max);
            var total = assignment.ExtensionDays + request.Days;
            var deadline = deadlines.Assignment(assignment.AssignedOn, total);
            detail = $"包案化解期限 {assignment.DueOn:yyyy-MM-dd} → {deadline.Due:yyyy-MM-dd}（批准延期 {request.Days} 日，累计延期 {total} 日）";
            assignment.ExtensionDays = total;
            assignment.DueOn = deadline.Due;
        }
        else
        {
            detail = $"延期申请 {request.Days} 日：待审批 → 未批准，化解期限仍为 {assignment.DueOn:yyyy-MM-dd}";
        }
        request.Status = approve ? ExtensionRequestStatus.Approved : ExtensionRequestStatus.Rejected;
        request.DecidedBy = decidedBy;
        request.DecidedOn = on;
        request.DecisionNote = note;
        return detail;
    }

    /// <summary>
    /// 息诉罢访: the 包案 in force becomes 已化解 on <paramref name="on"/> with its result; waiting extension requests are
    /// withdrawn. Returns "按期化解" or "逾期 N 日化解" for the history.
    /// </summary>
    public static string Resolve(
        LeaderAssignment assignment, string result, DateOnly on, string actor, IEnumerable<AssignmentExtensionRequest> pending)
    {
        if (assignment.Status == AssignmentStatus.Resolved)
            throw new ActionRefusedException($"该包案已于 {assignment.ResolvedOn:yyyy-MM-dd} 化解（息诉罢访）");
        if (Refusal(assignment.Status, AssignmentStatus.Resolved) is { } refusal) throw new ActionRefusedException(refusal);
        var within = on <= assignment.DueOn ? "按期化解" : $"逾期 {DeadlineStatusRule.DaysOverdue(assignment.DueOn, on)} 日化解";
        assignment.Status = AssignmentStatus.Resolved;
        assignment.ResolvedOn = on;
        assignment.ResolutionResult = result;
        assignment.Resolutions.Add(new AssignmentResolution { AssignmentId = assignment.Id, ResolvedOn = on });
        foreach (var request in pending.Where(r => r.Status == ExtensionRequestStatus.Pending))
        {
            request.Status = ExtensionRequestStatus.Rejected;
            request.DecidedBy = actor;
            request.DecidedOn = on;
            request.DecisionNote = "包案已息诉罢访，申请自动撤回";
        }
        return within;
    }

    /// <summary>
    /// 反弹: a repeat on the thread after 息诉罢访 (§6 "再访原领导包") reopens the resolved 包案 on <paramref name="on"/>.
    /// The resolution in force gets its relapse date and stays, so the weeks between them keep counting the 包案 as 化解
    /// (docs/rules.md §8, <see cref="ResolvedBy"/>). The caller loads <see cref="LeaderAssignment.Resolutions"/>.
    /// </summary>
    public static AssignmentRelapse Relapse(LeaderAssignment assignment, DateOnly on)
    {
        if (Refusal(assignment.Status, AssignmentStatus.Relapsed) is { } refusal) throw new ActionRefusedException(refusal);
        var relapse = new AssignmentRelapse(assignment.ResolvedOn, on);
        assignment.Status = AssignmentStatus.Relapsed;
        assignment.RelapsedOn = on;
        var holding = assignment.Resolutions.Where(r => r.RelapsedOn is null).MaxBy(r => r.ResolvedOn);
        if (holding is not null) holding.RelapsedOn = on;
        else if (assignment.ResolvedOn is { } resolvedOn)
            // A resolution from before the dated history (never expected after the backfill): keep what the row knows.
            assignment.Resolutions.Add(new AssignmentResolution { AssignmentId = assignment.Id, ResolvedOn = resolvedOn, RelapsedOn = on });
        return relapse;
    }

    /// <summary>
    /// 化解 "at the end of" a week whose Sunday is <paramref name="sunday"/> (§8: what had happened by then): one of its
    /// resolutions was made on or before it and had not relapsed by then. Resolved in A, relapsed in B, resolved again in
    /// C: 化解 in A … B−1 and from C on.
    /// </summary>
    public static Expression<Func<LeaderAssignment, bool>> ResolvedBy(DateOnly sunday) =>
        a => a.Resolutions.Any(r => r.ResolvedOn <= sunday && (r.RelapsedOn == null || r.RelapsedOn > sunday));

    /// <summary>The same rule over resolutions already read.</summary>
    public static bool IsResolvedBy(IEnumerable<(DateOnly ResolvedOn, DateOnly? RelapsedOn)> resolutions, DateOnly sunday) =>
        resolutions.Any(r => r.ResolvedOn <= sunday && (r.RelapsedOn is not { } relapsed || relapsed > sunday));

    private static void EnsureWithinCap(int already, int days, int max)
    {
        if (already + days <= max) return;
        var left = max - already;
        throw new ActionRefusedException(left <= 0
            ? $"包案化解期限延长累计不得超过{max}日：该包案已延期 {already} 日，不能再延期"
            : $"包案化解期限延长累计不得超过{max}日：该包案已延期 {already} 日，本次最多可申请 {left} 日");
    }
}

/// <summary>A 反弹: when the 包案 had been resolved (if known) and the day the repeat reopened it.</summary>
public sealed record AssignmentRelapse(DateOnly? PreviouslyResolvedOn, DateOnly RelapsedOn);

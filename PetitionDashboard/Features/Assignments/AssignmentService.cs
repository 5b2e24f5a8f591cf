using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Assignments;

/// <summary>
/// 领导包案 (docs/rules.md §1, §3, §6): assigning a case thread to a leader, alone or in a 集中交办 batch, and the leader's
/// follow-up — progress, extension requests and their approval, 息诉罢访. Every change is one transaction that also writes
/// an <see cref="AssignmentProgress"/> line and a <see cref="PetitionEventKind.AssignmentChanged"/> event on the thread's
/// latest petition (the newest by received date, then by id), with old → new in its detail.
/// </summary>
public sealed partial class AssignmentService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    DeadlineCalculator deadlines,
    AccessGuard guard,
    ILogger<AssignmentService> logger,
    WorkloadCache? workloadCache = null)
{
    public const int MaxBatchSize = 2000;

    private static readonly PetitionState[] FinishedStates = [.. PetitionLifecycle.FinishedStates];

    private DeadlineOptions Limits => deadlines.Options;

    /// <summary>The 包案 resolution limit in calendar days from the assigned-on date (Deadline:AssignmentDays).</summary>
    public int AssignmentDays => Limits.AssignmentDays;

    /// <summary>The most a 包案 deadline can be extended in total (Deadline:AssignmentMaxExtensionDays).</summary>
    public int MaxExtensionDays => Limits.AssignmentMaxExtensionDays;

    /// <summary>The default 包案 deadline for a case assigned today, explained (start, 90 days, the holidays crossed, the shift).</summary>
    public Deadline DefaultDeadline() => deadlines.Assignment(clock.Today(), 0);

    /// <summary>Everything the assign dialog shows before the officer chooses: the checked cases, the leaders' load, the units, the deadline.</summary>
    public async Task<AssignPreparation> PrepareAsync(IEnumerable<string> caseNumbers, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanAssign);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = clock.Today();
        var check = await CheckAsync(db, caseNumbers, ct);
        var leaders = await WorkloadAsync(db, today, ct);
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name)
            .Select(u => new UnitOption(u.Id, u.Name, u.Kind)).ToListAsync(ct);
        return new AssignPreparation(check, leaders, units, deadlines.Assignment(today, 0), today);
    }

    /// <summary>Checks case numbers without writing anything: unknown, closed, already assigned, and same-thread duplicates.</summary>
    public async Task<CaseCheck> CheckAsync(IEnumerable<string> caseNumbers, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanAssign);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CheckAsync(db, caseNumbers, ct);
    }

    /// <summary>Assigns one case's thread to a leader.</summary>
    public Task<AssignOutcome> AssignAsync(string caseNumber, AssignmentPlan plan, CancellationToken ct = default) =>
        AssignCoreAsync([caseNumber], plan, batchName: null, ct);

    /// <summary>
    /// 集中交办: assigns every listed case under one named batch, or none of them. The list is checked first; any unknown,
    /// closed or already assigned case number refuses the whole batch and is listed.
    /// </summary>
    public Task<AssignOutcome> AssignBatchAsync(string batchName, IReadOnlyList<string> caseNumbers, AssignmentPlan plan, CancellationToken ct = default) =>
        AssignCoreAsync(caseNumbers, plan, batchName ?? "", ct);

    private async Task<AssignOutcome> AssignCoreAsync(IReadOnlyList<string> caseNumbers, AssignmentPlan plan, string? batchName, CancellationToken ct)
    {
        guard.Ensure(Policies.CanAssign);
        var isBatch = batchName is not null;
        var errors = Validate(plan, requireLeadUnit: !isBatch);
        if (isBatch && string.IsNullOrWhiteSpace(batchName)) errors.Insert(0, "批次名称：必填");
        if (isBatch && batchName!.Trim().Length > FieldLengths.BatchName) errors.Insert(0, $"批次名称：不超过{FieldLengths.BatchName}个字");
        if (caseNumbers.Count(n => !string.IsNullOrWhiteSpace(n)) == 0) errors.Insert(0, "信访编号：至少填写一个");
        if (caseNumbers.Count > MaxBatchSize) errors.Insert(0, $"信访编号：一批最多 {MaxBatchSize} 个");
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var leader = await db.Leaders.AsNoTracking().FirstOrDefaultAsync(l => l.Id == plan.LeaderId, ct);
        var unitIds = plan.CoUnitIds.Append(plan.LeadUnitId ?? 0).Where(id => id != 0).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        if (leader is null) errors.Add("包案领导：所选领导不存在，请刷新后重选");
        if (unitIds.Any(id => !units.ContainsKey(id))) errors.Add("牵头单位/协办单位：所选单位不存在，请刷新后重选");
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);

        // Checked before the transaction; a case taken between this check and the insert is caught by the unique index.
        var check = await CheckAsync(db, caseNumbers, ct);
        if (!check.AllOk)
        {
            var bad = check.Problems;
            throw new ActionRefusedException(
                isBatch ? $"以下 {bad.Count} 个信访编号不能包案，本批未做任何包案，请修改清单后重试。"
                : bad[0].HeldBy is { } holder ? $"该信访事项已由 {holder}包案，请刷新后查看"
                : bad[0].Problem!, check.ProblemTexts);
        }

        var today = clock.Today();
        var now = clock.GetUtcNow().UtcDateTime;
        var lines = check.Lines.DistinctBy(l => l.ThreadId).ToList();
        var threadIds = lines.Select(l => l.ThreadId!.Value).ToList();
        var coUnits = plan.CoUnitIds.Count == 0 ? null : string.Join("、", plan.CoUnitIds.Select(id => units[id].Name));
        var leaderLabel = $"{leader!.Name}（{leader.Title}）";

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        AssignmentBatch? batch = null;
        if (isBatch)
        {
            batch = new AssignmentBatch { Name = batchName!.Trim(), CreatedOn = today, CreatedAtUtc = now, CreatedBy = guard.ActorName };
            db.AssignmentBatches.Add(batch);
            await db.SaveChangesAsync(ct);
        }

        var latest = await LatestPetitionsAsync(db, threadIds, ct);
        var threads = isBatch ? await LoadChunkedAsync(threadIds, ids => db.Threads.Where(t => ids.Contains(t.Id)), ct) : [];
        foreach (var thread in threads) thread.BacklogBatchId ??= batch!.Id;

        var leadUnitNames = plan.LeadUnitId is { } lead ? null
            : await db.Units.AsNoTracking().Where(u => lines.Select(l => l.UnitId).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var created = new List<LeaderAssignment>();
        var deadline = deadlines.Assignment(today, 0);
        foreach (var line in lines)
        {
            var leadUnitId = plan.LeadUnitId ?? line.UnitId!.Value;
            var leadUnitName = plan.LeadUnitId is not null ? units[leadUnitId].Name : leadUnitNames![leadUnitId];
            var assignment = new LeaderAssignment
            {
                ThreadId = line.ThreadId!.Value,
                LeaderId = leader.Id,
                LeadUnitId = leadUnitId,
                CoUnits = coUnits,
                ResponsiblePerson = plan.ResponsiblePerson!.Trim(),
                StabilityPerson = string.IsNullOrWhiteSpace(plan.StabilityPerson) ? null : plan.StabilityPerson.Trim(),
                Plan = plan.Plan!.Trim(),
                BatchId = batch?.Id,
            };
            deadline = AssignmentLifecycle.Assign(assignment, today, deadlines);
            var what = $"交办包案：{leaderLabel}，牵头单位 {leadUnitName}，责任人 {assignment.ResponsiblePerson}，化解期限 {deadline.Due:yyyy-MM-dd}"
                + (batch is null ? "" : $"（集中交办批次“{batch.Name}”）");
            assignment.Progress.Add(new AssignmentProgress { On = today, Action = what, Actor = guard.ActorName });
            db.LeaderAssignments.Add(assignment);
            created.Add(assignment);
            db.PetitionEvents.Add(Event(latest[assignment.ThreadId], now, today, guard.ActorName,
                $"未包案 → {leaderLabel}包案（{AssignmentStatus.Active.ToChinese()}），化解期限 {deadline.Due:yyyy-MM-dd}"
                + (batch is null ? "" : $"，集中交办批次“{batch.Name}”"), assignment.Plan));
        }

        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            await tx.RollbackAsync(CancellationToken.None);
            // Another officer assigned one of these threads since the check: say who holds it now.
            await using var fresh = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var current = await CheckAsync(fresh, caseNumbers, CancellationToken.None);
            if (current.AllOk) throw;
            logger.LogInformation(ex, "包案并发冲突：{Cases}", string.Join(",", current.Problems.Select(p => p.CaseNumber)));
            var taken = current.Problems;
            var message = !isBatch && taken[0].HeldBy is { } holder
                ? $"该信访事项已由 {holder}包案，请刷新后查看"
                : $"以下 {taken.Count} 个信访编号刚被他人包案或已变更，本批未做任何包案，请刷新后查看。";
            throw new ActionRefusedException(message, current.ProblemTexts, RefusalKind.ChangedMeanwhile);
        }

        var summary = isBatch
            ? $"集中交办批次“{batch!.Name}”（编号 {batch.Id}）已建立：{created.Count} 件交 {leaderLabel}包案，化解期限 {deadline.Due:yyyy-MM-dd}"
            : $"已交 {leaderLabel}包案，化解期限 {deadline.Due:yyyy-MM-dd}";
        if (check.Notes.Count > 0) summary += "；" + string.Join("；", check.Notes);
        return new AssignOutcome([.. created.Select(a => a.Id)], batch?.Id, summary);
    }

    /// <summary>A leader records what was done on his 包案 (date, action, who).</summary>
    public async Task AddProgressAsync(int assignmentId, string action, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(action)) throw ActionRefusedException.Invalid(["进展情况：必填"]);
        if (action.Trim().Length > FieldLengths.AssignmentProgress) throw ActionRefusedException.Invalid([$"进展情况：不超过{FieldLengths.AssignmentProgress}个字"]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var a = await LoadOwnAsync(db, assignmentId, null, ct);
        var today = clock.Today();
        var text = action.Trim();
        db.AssignmentProgress.Add(new AssignmentProgress { AssignmentId = a.Id, On = today, Action = text, Actor = guard.ActorName });
        await AddEventAsync(db, a.ThreadId, guard.ActorName, "新增包案进展", text, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// A leader asks for more time: 1 to <c>AssignmentMaxExtensionDays</c> days in total over the life of the 包案, with a
    /// reason; one request waits at a time. A 督查 or an Admin decides (<see cref="DecideExtensionAsync"/>).
    /// </summary>
    public async Task RequestExtensionAsync(int assignmentId, int days, string reason, CancellationToken ct = default)
    {
        var max = Limits.AssignmentMaxExtensionDays;
        var errors = new List<string>();
        if (AssignmentLifecycle.ExtensionDaysProblem(days, max) is { } problem) errors.Add(problem);
        if (string.IsNullOrWhiteSpace(reason)) errors.Add("延期理由：必填");
        else if (reason.Trim().Length > FieldLengths.ExtensionReason) errors.Add($"延期理由：不超过{FieldLengths.ExtensionReason}个字");
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var a = await LoadOwnAsync(db, assignmentId, null, ct);
        var pending = await db.AssignmentExtensionRequests.AsNoTracking()
            .FirstOrDefaultAsync(r => r.AssignmentId == a.Id && r.Status == ExtensionRequestStatus.Pending, ct);
        AssignmentLifecycle.EnsureCanRequestExtension(a, days, pending, max);

        var today = clock.Today();
        var text = reason.Trim();
        db.AssignmentExtensionRequests.Add(new AssignmentExtensionRequest
        {
            AssignmentId = a.Id, Days = days, Reason = text, RequestedBy = guard.ActorName, RequestedOn = today,
        });
        db.AssignmentProgress.Add(new AssignmentProgress { AssignmentId = a.Id, On = today, Actor = guard.ActorName, Action = $"申请延期 {days} 日：{text}" });
        await AddEventAsync(db, a.ThreadId, guard.ActorName, $"申请延期 {days} 日（待审批），当前化解期限 {a.DueOn:yyyy-MM-dd}", text, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// A 督查 or an Admin approves or refuses a pending extension. Approval recomputes the deadline from the assigned-on
    /// date with the total extension (§2: the shift off a non-working day is applied once, to the result).
    /// </summary>
    public async Task DecideExtensionAsync(int requestId, bool approve, string? note, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanApproveExtensions);
        if (!approve && string.IsNullOrWhiteSpace(note)) throw ActionRefusedException.Invalid(["审批意见：不予批准时必填"]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var request = await db.AssignmentExtensionRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct)
            ?? throw new ActionRefusedException("该延期申请不存在，请刷新后查看");
        if (request.Status != ExtensionRequestStatus.Pending)
            throw ActionRefusedException.ChangedMeanwhile($"该延期申请已由 {(await PeopleNames.LoadAsync(db, [request.DecidedBy], ct)).Of(request.DecidedBy)} 审批（{request.Status.ToChinese()}），请刷新后查看");
        var a = await db.LeaderAssignments.FirstAsync(x => x.Id == request.AssignmentId, ct);

        var today = clock.Today();
        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        var detail = AssignmentLifecycle.DecideExtension(a, request, approve, guard.ActorName, text, today, deadlines);
        db.AssignmentProgress.Add(new AssignmentProgress
        {
            AssignmentId = a.Id, On = today, Actor = guard.ActorName,
            Action = approve ? $"延期获批：{detail}" : $"延期 {request.Days} 日未获批准：{text}",
        });
        await AddEventAsync(db, a.ThreadId, guard.ActorName, detail, text, ct);
        await SaveOrExplainAsync(db, "该延期申请已被他人审批，请刷新后查看", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>息诉罢访: the leader marks his 包案 resolved, with the result. A later repeat on the thread makes it 反弹.</summary>
    public async Task ResolveAsync(int assignmentId, int expectedVersion, string result, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(result)) throw ActionRefusedException.Invalid(["化解结果：必填"]);
        if (result.Trim().Length > FieldLengths.ResolutionResult) throw ActionRefusedException.Invalid([$"化解结果：不超过{FieldLengths.ResolutionResult}个字"]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var a = await LoadOwnAsync(db, assignmentId, expectedVersion, ct);

        var today = clock.Today();
        var text = result.Trim();
        var from = a.Status;
        var pending = await db.AssignmentExtensionRequests
            .Where(r => r.AssignmentId == a.Id && r.Status == ExtensionRequestStatus.Pending).ToListAsync(ct);
        var within = AssignmentLifecycle.Resolve(a, text, today, guard.ActorName, pending);
        db.AssignmentProgress.Add(new AssignmentProgress { AssignmentId = a.Id, On = today, Actor = guard.ActorName, Action = FieldLengths.Clip($"息诉罢访（{within}）：{text}", FieldLengths.AssignmentProgress) });
        await AddEventAsync(db, a.ThreadId, guard.ActorName,
            $"包案{from.ToChinese()} → {AssignmentStatus.Resolved.ToChinese()}（息诉罢访，{within}）", text, ct);
        await SaveOrExplainAsync(db, "该包案刚被更新，已为您刷新，请核对后重试", ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Loads a 包案 for a change by its leader: only the owner may change it, and only the version he saw.</summary>
    private async Task<LeaderAssignment> LoadOwnAsync(AppDbContext db, int id, int? expectedVersion, CancellationToken ct)
    {
        guard.Ensure(Policies.CanEditOwnAssignments);
        var a = await db.LeaderAssignments.FirstOrDefaultAsync(x => x.Id == id, ct)
            ?? throw new ActionRefusedException("该包案不存在，请刷新后查看");
        if (guard.User.LeaderId != a.LeaderId) throw ActionRefusedException.NotAllowed("您只能办理本人包案的案件。");
        if (expectedVersion is { } v && a.Version != v)
            throw ActionRefusedException.ChangedMeanwhile("该包案刚被更新（例如延期获批或再访反弹），已为您刷新，请核对后重试");
        return a;
    }

    private static async Task SaveOrExplainAsync(AppDbContext db, string message, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw ActionRefusedException.ChangedMeanwhile(message);
        }
    }

    private static List<string> Validate(AssignmentPlan plan, bool requireLeadUnit)
    {
        var errors = new List<string>();
        if (plan.LeaderId is null) errors.Add("包案领导：必选");
        if (requireLeadUnit && plan.LeadUnitId is null) errors.Add("牵头单位：必选");
        if (plan.LeadUnitId is { } lead && plan.CoUnitIds.Contains(lead)) errors.Add("协办单位：不能与牵头单位相同");
        Text(errors, plan.ResponsiblePerson, "责任人", FieldLengths.PersonName, required: true);
        Text(errors, plan.StabilityPerson, "稳控责任人", FieldLengths.PersonName, required: false);
        Text(errors, plan.Plan, "化解方案", FieldLengths.AssignmentPlan, required: true);
        return errors;

        static void Text(List<string> errors, string? value, string field, int max, bool required)
        {
            if (string.IsNullOrWhiteSpace(value)) { if (required) errors.Add($"{field}：必填"); }
            else if (value.Trim().Length > max) errors.Add($"{field}：不超过{max}个字");
        }
    }

    private async Task<CaseCheck> CheckAsync(AppDbContext db, IEnumerable<string> caseNumbers, CancellationToken ct)
    {
        var all = caseNumbers.Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        var wanted = all.Distinct(StringComparer.Ordinal).ToList();
        var notes = new List<string>();
        var repeated = all.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) notes.Add($"清单中重复的信访编号已合并：{string.Join("、", repeated)}");

        var petitions = await LoadChunkedAsync(wanted, chunk => db.Petitions.AsNoTracking().Where(p => chunk.Contains(p.CaseNumber))
            .Select(p => new { p.CaseNumber, p.ThreadId, p.UnitId, p.PetitionerNames, p.Locality, p.Category }), ct);
        var byNumber = petitions.ToDictionary(p => p.CaseNumber, StringComparer.Ordinal);
        var threadIds = petitions.Select(p => p.ThreadId).Distinct().ToList();
        var unfinished = (await LoadChunkedAsync(threadIds, ids => db.Petitions.AsNoTracking()
            .Where(p => ids.Contains(p.ThreadId) && !FinishedStates.Contains(p.State)).Select(p => p.ThreadId).Distinct(), ct)).ToHashSet();
        var latestState = (await LoadChunkedAsync(threadIds, ids => db.Petitions.AsNoTracking().Where(p => ids.Contains(p.ThreadId))
            .Select(p => new { p.ThreadId, p.Id, p.ReceivedOn, p.State }), ct))
            .GroupBy(p => p.ThreadId).ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.Id).First().State);
        var holders = (await LoadChunkedAsync(threadIds, ids => db.LeaderAssignments.AsNoTracking()
                .Where(a => ids.Contains(a.ThreadId)).Where(AssignmentLifecycle.InForce)
                .Select(a => new { a.ThreadId, a.Leader.Name, a.Leader.Title, a.AssignedOn, a.Status }), ct))
            .GroupBy(h => h.ThreadId).ToDictionary(g => g.Key, g => g.First());

        var lines = new List<CaseCheckLine>();
        var firstOfThread = new Dictionary<int, string>();
        foreach (var number in wanted)
        {
            if (!byNumber.TryGetValue(number, out var p))
            {
                lines.Add(new CaseCheckLine(number, "信访编号不存在", null, null, null, null));
                continue;
            }
            var summary = $"{p.PetitionerNames} · {p.Locality} · {p.Category}";
            var h = holders.GetValueOrDefault(p.ThreadId);
            var heldBy = h is null ? null : $"{h.Name}（{h.Title}）";
            var problem = AssignmentLifecycle.AssignRefusal(heldBy, h?.AssignedOn, h?.Status, !unfinished.Contains(p.ThreadId), latestState[p.ThreadId]);
            if (problem is null)
            {
                if (firstOfThread.TryGetValue(p.ThreadId, out var first)) notes.Add($"{number} 与 {first} 属同一信访事项链，合并为一件包案");
                else firstOfThread[p.ThreadId] = number;
            }
            lines.Add(new CaseCheckLine(number, problem, p.ThreadId, p.UnitId, summary, heldBy));
        }
        return new CaseCheck(lines, notes);
    }

    /// <summary>The latest petition of each thread: where this feature writes its events.</summary>
    private static async Task<Dictionary<int, int>> LatestPetitionsAsync(AppDbContext db, IReadOnlyList<int> threadIds, CancellationToken ct) =>
        (await LoadChunkedAsync(threadIds, ids => db.Petitions.AsNoTracking().Where(p => ids.Contains(p.ThreadId))
            .Select(p => new { p.ThreadId, p.Id, p.ReceivedOn }), ct))
        .GroupBy(p => p.ThreadId)
        .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.Id).First().Id);

    private async Task AddEventAsync(AppDbContext db, int threadId, string actor, string detail, string? note, CancellationToken ct)
    {
        var latest = await LatestPetitionsAsync(db, [threadId], ct);
        if (!latest.TryGetValue(threadId, out var petitionId)) return;
        db.PetitionEvents.Add(Event(petitionId, clock.GetUtcNow().UtcDateTime, clock.Today(), actor, detail, note));
    }

    private static PetitionEvent Event(int petitionId, DateTime now, DateOnly on, string actor, string detail, string? note) => new()
    {
        PetitionId = petitionId,
        Kind = PetitionEventKind.AssignmentChanged,
        AtUtc = now,
        On = on,
        Actor = actor,
        Detail = FieldLengths.Clip(detail, FieldLengths.EventDetail),
        Note = FieldLengths.Clip(note, FieldLengths.EventNote),
    };

    private static async Task<List<TResult>> LoadChunkedAsync<TKey, TResult>(
        IReadOnlyList<TKey> keys, Func<List<TKey>, IQueryable<TResult>> query, CancellationToken ct)
    {
        var result = new List<TResult>();
        foreach (var chunk in keys.Chunk(SqlLimits.KeysPerStatement)) result.AddRange(await query([.. chunk]).ToListAsync(ct));
        return result;
    }

    internal static string Percent(double? rate) => rate is { } r ? r.ToString("P1", CultureInfo.GetCultureInfo("zh-CN")) : "—";
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Cases;

/// <summary>What a user fills in for one step; which fields a step reads is <see cref="CaseSteps.Fields"/>.</summary>
public sealed record CaseStepInput
{
    public required CaseStep Step { get; init; }
    /// <summary>The business date of the step (not in the future, not before the previous step).</summary>
    public DateOnly On { get; init; }
    public int? UnitId { get; init; }
    public string? Reason { get; init; }
    /// <summary>书面告知 date of a (non-)acceptance decision.</summary>
    public DateOnly? NoticeOn { get; init; }
    public ReplyResult? Result { get; init; }
    public string? Text { get; init; }
    public int? Days { get; init; }
    public Evaluation? Evaluation { get; init; }
    public string? Note { get; init; }
}

/// <summary>The deadline a step would start (null: none follows), or why the step would be refused.</summary>
public sealed record CaseStepPreview(Deadline? Deadline, string? Refusal);

public sealed record CaseStepOutcome(string CaseNumber, PetitionState State, DateOnly? CurrentDueDate, int Version);

public sealed record HandlingUnit(int Id, string Name);

/// <summary>
/// Records the handling steps of a petition (docs/rules.md §4) — one <see cref="PetitionLifecycle"/> call per step, one
/// transaction, an event on the petition and an audit row through the interceptor. Optimistic concurrency: the caller
/// passes the version it read; a petition changed meanwhile is refused with who changed it and how.
/// </summary>
public sealed class CaseHandlingService(
    IDbContextFactory<AppDbContext> factory, DeadlineCalculator deadlines, TimeProvider clock, AccessGuard guard,
    IOptions<SupervisionOptions> supervisionOptions, IOptions<BacklogOptions> backlogOptions)
{
    /// <summary>The most petitions one batch 转送/交办 takes (as a 集中交办 batch).</summary>
    public const int MaxBatch = 2000;

    /// <summary>Who may record a step: 延期 is also the supervisors' (they grant it directly), the rest duty officers'.</summary>
    public bool MayRecord(CaseStep step) =>
        guard.Allows(Policies.CanHandleCases) || (step == CaseStep.Extend && guard.Allows(Policies.CanApprovePetitionExtensions));

    public bool MayApproveExtensions => guard.Allows(Policies.CanApprovePetitionExtensions);

    public async Task<IReadOnlyList<HandlingUnit>> UnitsAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).Select(u => new HandlingUnit(u.Id, u.Name)).ToListAsync(ct);
    }

    /// <summary>The steps the petition allows now, for the panel (the server checks again when one is recorded).</summary>
    public async Task<IReadOnlyList<CaseStep>> AvailableAsync(string caseNumber, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await factory.CreateDbContextAsync(ct);
        var p = await db.Petitions.AsNoTracking().SingleOrDefaultAsync(x => x.CaseNumber == caseNumber, ct);
        return p is null ? [] : CaseSteps.Available(p);
    }

    /// <summary>The deadline the step would start, explained as the case page explains deadlines, before it is saved.</summary>
    public async Task<CaseStepPreview> PreviewAsync(string caseNumber, CaseStepInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await factory.CreateDbContextAsync(ct);
        var p = await LoadAsync(db, caseNumber, ct);
        try
        {
            CheckDate(input.On, "办理日期");
            if (input.Step == CaseStep.Extend)
            {
                if (PetitionLifecycle.ExtensionRefusal(p) is { } refusal) return new(null, refusal);
                return new(PetitionLifecycle.ExtendedReply(p, input.Days ?? 0, deadlines), null);
            }
            if (input.Step == CaseStep.Evaluate) return new(deadlines.Current(p), null);
            return new(PetitionLifecycle.Preview(p, input.Step.Target()!.Value, input.On, deadlines), null);
        }
        catch (ActionRefusedException e)
        {
            return new(null, e.Message);
        }
    }

    /// <summary>Records one step on one petition read at <paramref name="expectedVersion"/>.</summary>
    public async Task<CaseStepOutcome> RecordAsync(string caseNumber, int expectedVersion, CaseStepInput input, CancellationToken ct = default)
    {
        if (!MayRecord(input.Step)) guard.Ensure(Policies.CanHandleCases);
        CheckFields(input);
        await using var db = await factory.CreateDbContextAsync(ct);
        var p = await LoadAsync(db, caseNumber, ct);
        if (p.Version != expectedVersion) throw await ChangedMeanwhileAsync(caseNumber, ct);
        var unitName = await UnitNameAsync(db, input, ct);
        Apply(p, input, unitName);
        await ReflectSupervisionAsync(db, p, ct);
        return await SaveAsync(db, p, ct);
    }

    /// <summary>A Supervisor approves the pending 延期 request: the reply deadline moves by its days.</summary>
    public async Task<CaseStepOutcome> ApproveExtensionAsync(string caseNumber, int expectedVersion, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanApprovePetitionExtensions);
        await using var db = await factory.CreateDbContextAsync(ct);
        var p = await LoadAsync(db, caseNumber, ct);
        if (p.Version != expectedVersion) throw await ChangedMeanwhileAsync(caseNumber, ct);
        if (p.PendingExtensionDays is not { } days) throw new ActionRefusedException("该信访件没有待审批的延期申请");
        var reason = p.PendingExtensionReason ?? "";
        var requestedBy = (await PeopleNames.LoadAsync(db, [p.PendingExtensionRequestedBy], ct)).Of(p.PendingExtensionRequestedBy);
        var today = clock.Today();
        var e = PetitionLifecycle.Extend(p, days, guard.ActorName, reason, today, Now, guard.ActorName, deadlines);
        e.Detail += $"；申请人：{requestedBy}";
        await ReflectSupervisionAsync(db, p, ct);
        return await SaveAsync(db, p, ct);
    }

    /// <summary>A Supervisor refuses the pending 延期 request, with a reason.</summary>
    public async Task<CaseStepOutcome> RefuseExtensionAsync(string caseNumber, int expectedVersion, string reason, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanApprovePetitionExtensions);
        await using var db = await factory.CreateDbContextAsync(ct);
        var p = await LoadAsync(db, caseNumber, ct);
        if (p.Version != expectedVersion) throw await ChangedMeanwhileAsync(caseNumber, ct);
        PetitionLifecycle.RefuseExtension(p, reason, clock.Today(), Now, guard.ActorName);
        return await SaveAsync(db, p, ct);
    }

    /// <summary>
    /// 转送 / 交办 of several petitions to one unit in one action (docs/rules.md §4): all or nothing — any petition the
    /// lifecycle refuses stops the whole batch, each named with its rule; each petition gets its event and audit rows.
    /// </summary>
    public async Task<IReadOnlyList<CaseStepOutcome>> DispatchManyAsync(
        IReadOnlyList<string> caseNumbers, CaseStep step, int unitId, DateOnly on, string? note, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanHandleCases);
        if (step is not (CaseStep.Transfer or CaseStep.Assign)) throw new ActionRefusedException("批量办理只能转送或交办");
        var numbers = caseNumbers.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToList();
        if (numbers.Count == 0) throw new ActionRefusedException("请先勾选要转送或交办的信访件");
        if (numbers.Count > MaxBatch) throw new ActionRefusedException($"一次最多批量办理 {MaxBatch} 件（本次 {numbers.Count} 件）");
        var input = new CaseStepInput { Step = step, On = on, UnitId = unitId, Note = note };
        CheckFields(input);
        await using var db = await factory.CreateDbContextAsync(ct);
        var unitName = await UnitNameAsync(db, input, ct);
        var petitions = new List<Petition>();
        foreach (var chunk in numbers.Chunk(500))
            petitions.AddRange(await db.Petitions.Include(x => x.Events).AsSplitQuery().Where(x => chunk.Contains(x.CaseNumber)).ToListAsync(ct));
        var problems = numbers.Except(petitions.Select(p => p.CaseNumber)).Select(n => $"{n}：信访编号不存在").ToList();
        foreach (var p in petitions.OrderBy(p => numbers.IndexOf(p.CaseNumber)))
        {
            try
            {
                Apply(p, input, unitName);
                await ReflectSupervisionAsync(db, p, ct);
            }
            catch (ActionRefusedException e)
            {
                problems.Add($"{p.CaseNumber}：{e.Message}");
            }
        }
        if (problems.Count > 0)
            throw new ActionRefusedException($"{problems.Count} 件不能{step.ToChinese()}，本批 {numbers.Count} 件均未办理", problems);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw ActionRefusedException.ChangedMeanwhile("所选信访件中有的已被他人同时修改，本批均未办理，请刷新后重试。");
        }
        return [.. petitions.Select(Outcome)];
    }

    /// <summary>Sets or clears 外部编号 (the national 信访件编号); unique when present.</summary>
    public async Task<CaseStepOutcome> SetExternalNumberAsync(string caseNumber, int expectedVersion, string? externalNumber, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRegister);
        var number = ExternalNumbers.Normalize(externalNumber);
        await using var db = await factory.CreateDbContextAsync(ct);
        var p = await LoadAsync(db, caseNumber, ct);
        if (p.Version != expectedVersion) throw await ChangedMeanwhileAsync(caseNumber, ct);
        if (p.ExternalNumber == number) return Outcome(p);
        await db.EnsureFreeAsync(number, p.Id, ct);
        p.Events.Add(new PetitionEvent
        {
            PetitionId = p.Id, Kind = PetitionEventKind.ExternalNumberChanged, On = clock.Today(), AtUtc = Now, Actor = guard.ActorName,
            Detail = $"{p.ExternalNumber ?? "无"} → {number ?? "无"}",
        });
        p.ExternalNumber = number;
        return await SaveAsync(db, p, ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>One step on a loaded petition; every rule is the lifecycle's, the fields are checked before.</summary>
    private void Apply(Petition p, CaseStepInput input, string? unitName)
    {
        CheckDate(input.On, "办理日期");
        if (input.NoticeOn is { } notice)
        {
            CheckDate(notice, "书面告知日期");
            if (notice < input.On) throw new ActionRefusedException($"书面告知日期 {notice:yyyy-MM-dd} 不能早于决定日期 {input.On:yyyy-MM-dd}");
        }
        var actor = guard.ActorName;
        var reason = Clean(input.Reason);
        switch (input.Step)
        {
            case CaseStep.Extend:
                // A Supervisor's own 延期 is approved as it is recorded; anyone else's waits for one (docs/rules.md §10).
                if (MayApproveExtensions)
                    PetitionLifecycle.Extend(p, input.Days ?? 0, actor, reason ?? "", input.On, Now, actor, deadlines);
                else
                    PetitionLifecycle.RequestExtension(p, input.Days ?? 0, reason ?? "", input.On, Now, actor, deadlines);
                return;
            case CaseStep.Evaluate:
                PetitionLifecycle.Evaluate(p, input.Evaluation!.Value, input.On, Now, actor, Clean(input.Note));
                return;
        }

        var to = input.Step.Target()!.Value;
        var note = input.Step switch
        {
            CaseStep.Reply => Clean(input.Text),
            _ when (input.Step.Fields() & CaseStepFields.Reason) != 0 => reason,
            _ => Clean(input.Note),
        };
        var e = PetitionLifecycle.Transition(p, to, input.On, Now, actor, note, deadlines);
        e.Detail = input.Step switch
        {
            CaseStep.Transfer => $"转送至 {unitName}",
            CaseStep.Assign => $"交办至 {unitName}（要求报送办理结果）",
            CaseStep.Reply => $"答复结果：{input.Result!.Value.ToChinese()}",
            _ => $"{input.Step.ToChinese()}" + (input.NoticeOn is { } n ? $"，书面告知 {n:yyyy-MM-dd}" : ""),
        };
        if (input.Step is CaseStep.Transfer or CaseStep.Assign)
        {
            var fromUnit = p.UnitId;
            p.UnitId = input.UnitId!.Value;
            // The weeks before the 转送/交办 count it for the unit it had then (docs/rules.md §8).
            PetitionHistory.UnitChanged(p, fromUnit, input.On, Now);
        }
        if (input.Step == CaseStep.Reply) p.ReplyResult = input.Result;
    }

    /// <summary>The fields the step needs, each named when missing (nothing is read from the database yet).</summary>
    private static void CheckFields(CaseStepInput input)
    {
        var fields = input.Step.Fields();
        var problems = new List<string>();
        if ((fields & CaseStepFields.Date) != 0 && input.On == default) problems.Add("办理日期：必填");
        if ((fields & CaseStepFields.Unit) != 0 && input.UnitId is null) problems.Add("责任单位：必选");
        if (input.Step.RequiresReason() && string.IsNullOrWhiteSpace(input.Reason)) problems.Add($"{ReasonLabel(input.Step)}：必填");
        if (input.Step is CaseStep.NotAccept or CaseStep.NotReaccept && input.NoticeOn is null) problems.Add("书面告知日期：必填（不予受理、不再受理须书面告知信访人）");
        if ((fields & CaseStepFields.ReplyResult) != 0 && input.Result is null) problems.Add("答复结果：必选（支持 / 解释说明 / 不予支持）");
        if ((fields & CaseStepFields.Text) != 0 && string.IsNullOrWhiteSpace(input.Text)) problems.Add("答复意见：必填");
        if ((fields & CaseStepFields.Days) != 0 && input.Days is null) problems.Add("延期天数：必填");
        if ((fields & CaseStepFields.Evaluation) != 0 && input.Evaluation is null) problems.Add("评价：必选（满意 / 基本满意 / 不满意）");
        foreach (var (text, label, max) in new[]
                 {
                     (input.Reason, ReasonLabel(input.Step), FieldLengths.EventNote), (input.Text, "答复意见", FieldLengths.EventNote),
                     (input.Note, "说明", FieldLengths.EventNote),
                 })
            if (text is { Length: > 0 } t && t.Trim().Length > max) problems.Add($"{label}：不能超过 {max} 字");
        if (input.Step == CaseStep.Extend && input.Reason is { Length: > FieldLengths.ExtensionReason })
            problems.Add($"延期理由：不能超过 {FieldLengths.ExtensionReason} 字");
        if (problems.Count > 0) throw ActionRefusedException.Invalid(problems);
    }

    public static string ReasonLabel(CaseStep step) => step switch
    {
        CaseStep.Extend => "延期理由",
        CaseStep.ObjectionReturn => "异议理由",
        CaseStep.Accept => "受理意见",
        _ => "不予受理理由",
    };

    /// <summary>A step is recorded for a day that has happened: today at the latest (Asia/Shanghai).</summary>
    private void CheckDate(DateOnly on, string field)
    {
        var today = clock.Today();
        if (on > today) throw new ActionRefusedException($"{field} {on:yyyy-MM-dd} 不能晚于今天（{today:yyyy-MM-dd}）");
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static async Task<Petition> LoadAsync(AppDbContext db, string caseNumber, CancellationToken ct)
    {
        var number = caseNumber.Trim();
        return await db.Petitions.Include(x => x.Events).SingleOrDefaultAsync(x => x.CaseNumber == number, ct)
            ?? throw new ActionRefusedException($"信访编号“{number}”不存在");
    }

    private static async Task<string?> UnitNameAsync(AppDbContext db, CaseStepInput input, CancellationToken ct)
    {
        if (input.Step is not (CaseStep.Transfer or CaseStep.Assign)) return null;
        return await db.Units.Where(u => u.Id == input.UnitId).Select(u => u.Name).SingleOrDefaultAsync(ct)
            ?? throw ActionRefusedException.Invalid(["责任单位：所选单位不存在"]);
    }

    /// <summary>
    /// The 督办 level follows the new deadline at once (docs/rules.md §5, the rule the daily recompute applies), so the
    /// backlog and the KPI cards do not wait for the night: a case dispatched in time is no longer 督办.
    /// </summary>
    private async Task ReflectSupervisionAsync(AppDbContext db, Petition p, CancellationToken ct)
    {
        if (!p.IsOpen) return;   // leaving the open states already cleared it (PetitionLifecycle.Transition)
        var today = clock.Today();
        var agedBefore = BacklogOptions.AgedIfReceivedBefore(today, backlogOptions.Value.AgeDays);
        var assignedOrBacklog = await db.Threads.Where(t => t.Id == p.ThreadId)
            .Select(t => t.BacklogBatchId != null || t.FirstReceivedOn < agedBefore || t.Assignments.AsQueryable().Any(AssignmentLifecycle.InForce))
            .SingleOrDefaultAsync(ct);
        var derived = SupervisionRule.Derive(true, p.CurrentDueDate, today, assignedOrBacklog, deadlines.Options.WarnDays,
            supervisionOptions.Value.ListedAfterDays);
        var stillOverdue = p.CurrentDueDate is { } due && DeadlineStatusRule.DaysOverdue(due, today) > 0;
        var (level, byHand) = SupervisionRule.Recompute(p.Supervision, p.SupervisionRaisedByHand, derived, stillOverdue);
        if (level == p.Supervision && byHand == p.SupervisionRaisedByHand) return;
        p.Events.Add(new PetitionEvent
        {
            PetitionId = p.Id, Kind = PetitionEventKind.SupervisionChanged, On = today, AtUtc = Now, Actor = guard.ActorName,
            Detail = $"{p.Supervision.ToChinese()} → {level.ToChinese()}", Note = "办理环节改变了当前期限，督办等级随之调整",
        });
        p.Supervision = level;
        p.SupervisionRaisedByHand = byHand;
    }

    private async Task<CaseStepOutcome> SaveAsync(AppDbContext db, Petition p, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);   // one transaction: the petition, its events, the audit rows
        }
        catch (DbUpdateConcurrencyException)
        {
            throw await ChangedMeanwhileAsync(p.CaseNumber, ct);
        }
        return Outcome(p);
    }

    private static CaseStepOutcome Outcome(Petition p) => new(p.CaseNumber, p.State, p.CurrentDueDate, p.Version);

    /// <summary>"Somebody else was faster": who did what, from the petition's latest event.</summary>
    private async Task<ActionRefusedException> ChangedMeanwhileAsync(string caseNumber, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var last = await db.PetitionEvents.AsNoTracking()
            .Where(e => db.Petitions.Any(p => p.Id == e.PetitionId && p.CaseNumber == caseNumber))
            .OrderByDescending(e => e.Id).FirstOrDefaultAsync(ct);
        var what = last is null ? "修改了该信访件"
            : last.Kind == PetitionEventKind.Transition && last.ToState is { } to
                ? $"记录了“{(last.FromState is { } from ? from.ToChinese() + " → " : "")}{to.ToChinese()}”（{last.On:yyyy-MM-dd}）"
                : $"记录了“{last.Kind.ToChinese()}”{(last.Detail is null ? "" : "：" + last.Detail)}";
        var who = last is null ? "他人" : (await PeopleNames.LoadAsync(db, [last.Actor], ct)).Of(last.Actor);
        var when = last is null ? "" : $"于 {last.AtUtc.Add(BusinessTime.Offset):yyyy-MM-dd HH:mm} ";
        return ActionRefusedException.ChangedMeanwhile($"信访件 {caseNumber} 已被{who}{when}{what}，您的本次办理未保存。请刷新后查看再办理。");
    }
}

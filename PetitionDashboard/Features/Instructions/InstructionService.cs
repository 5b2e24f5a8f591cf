using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Instructions;

/// <summary>What a Leader writes. <see cref="DueOn"/> null: the default (§12, working days from the day after).</summary>
public sealed record InstructionInput(string CaseNumber, string Text, IReadOnlyCollection<int> UnitIds, DateOnly? DueOn, bool Important, bool OnThread);

/// <summary>A unit's 反馈 as a duty officer or supervisor records it.</summary>
public sealed record ResponseInput(DateOnly? RespondedOn, string Text, string? AttachmentName);

public sealed record InstructionUnitView(
    int Id, int UnitId, string Unit, DateOnly? RespondedOn, string? ResponseText, string? AttachmentName, string? RecordedBy, bool Late);

public sealed record InstructionView(
    int Id, string CaseNumber, string Leader, string LeaderTitle, string Text, DateOnly WrittenOn, DateOnly DueOn, bool Important,
    bool OnThread, InstructionStatus Status, IReadOnlyList<InstructionUnitView> Units)
{
    public int Responded => Units.Count(u => u.RespondedOn is not null);
}

/// <summary>One 超期未反馈 批示 of the home page: the case, the leader, how long past the deadline, who has not answered.</summary>
public sealed record OverdueInstruction(int Id, string CaseNumber, string Leader, DateOnly DueOn, int DaysOverdue, bool Important, IReadOnlyList<string> UnitsNotResponded);

public sealed record OverdueInstructions(int Count, IReadOnlyList<OverdueInstruction> Top);

public sealed record UnitChoice(int Id, string Name, UnitKind Kind);

/// <summary>
/// 领导批示 (docs/rules.md §12): a Leader writes one on a case or its thread to one or more units; duty officers and
/// supervisors record each unit's 反馈. Each write is one transaction with its case-timeline event; the audit interceptor
/// records the rows.
/// </summary>
public sealed class InstructionService(
    IDbContextFactory<AppDbContext> dbs, AccessGuard guard, TimeProvider clock, DeadlineCalculator deadlines, IOptions<InstructionOptions> options)
{
    public int ResponseWorkingDays => options.Value.ResponseWorkingDays;

    /// <summary>The default deadline of a 批示 written today.</summary>
    public DateOnly DefaultDue() => InstructionRules.DefaultDue(deadlines.Calendar, clock.Today(), options.Value.ResponseWorkingDays);

    public DateOnly Today => clock.Today();

    public async Task<IReadOnlyList<UnitChoice>> UnitsAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).Select(u => new UnitChoice(u.Id, u.Name, u.Kind)).ToListAsync(ct);
    }

    /// <summary>A 批示 written on a case (and, <see cref="InstructionInput.OnThread"/>, on its whole thread).</summary>
    public Task<int> WriteAsync(InstructionInput input, CancellationToken ct = default)
    {
        var number = input.CaseNumber.Trim();
        return WriteAsync(input, input.OnThread, async (db, token) =>
            await db.Petitions.AsNoTracking().Where(p => p.CaseNumber == number).Select(p => new PetitionRef(p.Id, p.ThreadId)).FirstOrDefaultAsync(token)
            ?? throw new ActionRefusedException($"信访编号“{number}”不存在"), ct);
    }

    /// <summary>
    /// A 批示 written on the thread page: it concerns the whole thread and is kept on the thread's newest case (the one being
    /// handled), which holds its timeline event; every other case of the thread shows it too. <see cref="InstructionInput.CaseNumber"/>
    /// and <see cref="InstructionInput.OnThread"/> are not read.
    /// </summary>
    public Task<int> WriteOnThreadAsync(int threadId, InstructionInput input, CancellationToken ct = default) =>
        WriteAsync(input, onThread: true, async (db, token) =>
            await db.Petitions.AsNoTracking().Where(p => p.ThreadId == threadId).OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.Id)
                .Select(p => new PetitionRef(p.Id, p.ThreadId)).FirstOrDefaultAsync(token)
            ?? throw new ActionRefusedException($"信访事项链 #{threadId} 不存在或已没有信访件"), ct);

    private sealed record PetitionRef(int Id, int ThreadId);

    private async Task<int> WriteAsync(InstructionInput input, bool onThread, Func<AppDbContext, CancellationToken, Task<PetitionRef>> find, CancellationToken ct)
    {
        guard.Ensure(Policies.CanWriteInstructions);
        var leaderId = guard.User.LeaderId
            ?? throw ActionRefusedException.NotAllowed("您的账号未关联局领导，不能写批示。请联系系统管理员在用户管理中关联。");
        var today = clock.Today();
        var text = input.Text?.Trim() ?? "";
        var errors = new List<string>();
        if (text.Length == 0) errors.Add("批示内容：必填");
        else if (text.Length > InstructionRules.MaxTextLength) errors.Add($"批示内容：不能超过 {InstructionRules.MaxTextLength} 字（现 {text.Length} 字）");
        var unitIds = input.UnitIds.Distinct().ToList();
        if (unitIds.Count == 0) errors.Add("责任单位：至少选择一个");
        var due = input.DueOn ?? DefaultDue();
        if (due <= today) errors.Add($"反馈期限：须晚于批示当日 {today:yyyy-MM-dd}");
        if (errors.Count > 0) throw new ActionRefusedException(string.Join("；", errors));

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var petition = await find(db, ct);
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        if (units.Count != unitIds.Count) throw new ActionRefusedException("责任单位：所选单位不存在，请刷新后重选");
        var now = clock.GetUtcNow().UtcDateTime;
        var instruction = new LeaderInstruction
        {
            PetitionId = petition.Id, ThreadId = onThread ? petition.ThreadId : null, LeaderId = leaderId, Text = text,
            WrittenOn = today, WrittenAtUtc = now, WrittenBy = guard.ActorName, DueOn = due, Important = input.Important,
            Units = [.. units.Select(u => new InstructionUnit { UnitId = u.Id })],
        };
        db.LeaderInstructions.Add(instruction);
        db.PetitionEvents.Add(new PetitionEvent
        {
            PetitionId = petition.Id, Kind = PetitionEventKind.Instruction, AtUtc = now, On = today, Actor = guard.ActorName,
            Detail = InstructionTimeline.WrittenDetail(input.Important, onThread, units.Select(u => u.Name), due),
            Note = text,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return instruction.Id;
    }

    public async Task RespondAsync(int instructionUnitId, ResponseInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRecordInstructionResponses);
        var today = clock.Today();
        var text = input.Text?.Trim() ?? "";
        var attachment = string.IsNullOrWhiteSpace(input.AttachmentName) ? null : input.AttachmentName.Trim();
        var errors = new List<string>();
        if (input.RespondedOn is not { } on) { errors.Add("反馈日期：必填"); on = today; }
        else if (on > today) errors.Add($"反馈日期：不能晚于今天 {today:yyyy-MM-dd}");
        if (text.Length == 0) errors.Add("反馈内容：必填");
        else if (text.Length > InstructionRules.MaxResponseLength) errors.Add($"反馈内容：不能超过 {InstructionRules.MaxResponseLength} 字");
        if (attachment?.Length > InstructionRules.MaxAttachmentNameLength) errors.Add($"附件名称：不能超过 {InstructionRules.MaxAttachmentNameLength} 字");
        if (errors.Count > 0) throw new ActionRefusedException(string.Join("；", errors));

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var unit = await db.InstructionUnits.Include(u => u.Unit).FirstOrDefaultAsync(u => u.Id == instructionUnitId, ct)
            ?? throw new ActionRefusedException("该批示单位不存在，请刷新页面");
        var instruction = await db.LeaderInstructions.AsNoTracking().FirstAsync(i => i.Id == unit.InstructionId, ct);
        if (unit.RespondedOn is { } already)
            throw new ActionRefusedException($"{unit.Unit.Name} 已于 {already:yyyy-MM-dd} 反馈，不能重复登记");
        if (on < instruction.WrittenOn)
            throw new ActionRefusedException($"反馈日期：不能早于批示日期 {instruction.WrittenOn:yyyy-MM-dd}");
        var now = clock.GetUtcNow().UtcDateTime;
        unit.RespondedOn = on;
        unit.ResponseText = text;
        unit.AttachmentName = attachment;
        unit.RecordedBy = guard.ActorName;
        unit.RecordedAtUtc = now;
        var late = InstructionRules.IsLate(instruction.DueOn, on);
        db.PetitionEvents.Add(new PetitionEvent
        {
            PetitionId = instruction.PetitionId, Kind = PetitionEventKind.InstructionResponse, AtUtc = now, On = on, Actor = guard.ActorName,
            Detail = InstructionTimeline.ResponseDetail(unit.Unit.Name, late, attachment),
            Note = FieldLengths.Clip(text, FieldLengths.EventNote),
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The 批示 on this case and on its thread, newest first.</summary>
    public async Task<IReadOnlyList<InstructionView>> ForCaseAsync(string caseNumber, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        var number = caseNumber.Trim();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var petition = await db.Petitions.AsNoTracking().Where(p => p.CaseNumber == number).Select(p => new { p.Id, p.ThreadId }).FirstOrDefaultAsync(ct);
        if (petition is null) return [];
        return await ListAsync(db, db.LeaderInstructions.Where(i => i.PetitionId == petition.Id || i.ThreadId == petition.ThreadId), ct);
    }

    /// <summary>The thread page's 批示: those on the whole thread and those on any of its cases, newest first.</summary>
    public async Task<IReadOnlyList<InstructionView>> ForThreadAsync(int threadId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await ListAsync(db, db.LeaderInstructions.Where(i => i.ThreadId == threadId
            || db.Petitions.Any(p => p.Id == i.PetitionId && p.ThreadId == threadId)), ct);
    }

    /// <summary>我的批示: the signed-in Leader's own 批示, those still waiting first.</summary>
    public async Task<IReadOnlyList<InstructionView>> MineAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanWriteInstructions);
        var leaderId = guard.User.LeaderId
            ?? throw ActionRefusedException.NotAllowed("您的账号未关联局领导，无法查看“我的批示”。");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var all = await ListAsync(db, db.LeaderInstructions.Where(i => i.LeaderId == leaderId), ct);
        return [.. all.OrderBy(i => i.Status switch { InstructionStatus.OverdueUnanswered => 0, InstructionStatus.Waiting => 1, _ => 2 })
            .ThenByDescending(i => i.WrittenOn).ThenByDescending(i => i.Id)];
    }

    /// <summary>超期未反馈: 批示 past their deadline with a unit that has not responded; the count and the most overdue few.</summary>
    public async Task<OverdueInstructions> OverdueUnansweredAsync(int top = 5, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanFollowInstructions);
        var today = clock.Today();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var overdue = db.LeaderInstructions.Where(i => i.DueOn < today && i.Units.Any(u => u.RespondedOn == null));
        var count = await overdue.CountAsync(ct);
        if (count == 0) return new OverdueInstructions(0, []);
        var rows = await overdue.OrderBy(i => i.DueOn).ThenBy(i => i.Id).Take(top)
            .Select(i => new
            {
                i.Id, CaseNumber = db.Petitions.Where(p => p.Id == i.PetitionId).Select(p => p.CaseNumber).First(),
                Leader = i.Leader.Name, i.DueOn, i.Important,
                Missing = i.Units.Where(u => u.RespondedOn == null).OrderBy(u => u.Unit.Name).Select(u => u.Unit.Name).ToList(),
            })
            .AsNoTracking().ToListAsync(ct);
        return new OverdueInstructions(count, [.. rows.Select(r => new OverdueInstruction(
            r.Id, r.CaseNumber, r.Leader, r.DueOn, DeadlineStatusRule.DaysOverdue(r.DueOn, today), r.Important, r.Missing))]);
    }

    private async Task<IReadOnlyList<InstructionView>> ListAsync(AppDbContext db, IQueryable<LeaderInstruction> query, CancellationToken ct)
    {
        var today = clock.Today();
        var rows = await query.OrderByDescending(i => i.WrittenOn).ThenByDescending(i => i.Id)
            .Select(i => new
            {
                i.Id, CaseNumber = db.Petitions.Where(p => p.Id == i.PetitionId).Select(p => p.CaseNumber).First(),
                Leader = i.Leader.Name, i.Leader.Title, i.Text, i.WrittenOn, i.DueOn, i.Important, OnThread = i.ThreadId != null,
                Units = i.Units.OrderBy(u => u.Unit.Name)
                    .Select(u => new { u.Id, u.UnitId, u.Unit.Name, u.RespondedOn, u.ResponseText, u.AttachmentName, u.RecordedBy }).ToList(),
            })
            .AsNoTracking().ToListAsync(ct);
        return [.. rows.Select(r => new InstructionView(
            r.Id, r.CaseNumber, r.Leader, r.Title, r.Text, r.WrittenOn, r.DueOn, r.Important, r.OnThread,
            InstructionRules.Status(r.DueOn, today, r.Units.Count, r.Units.Count(u => u.RespondedOn is not null)),
            [.. r.Units.Select(u => new InstructionUnitView(u.Id, u.UnitId, u.Name, u.RespondedOn, u.ResponseText, u.AttachmentName, u.RecordedBy,
                u.RespondedOn is { } on && InstructionRules.IsLate(r.DueOn, on)))]))];
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Supervision;

/// <summary>What one daily recompute did.</summary>
public sealed record SupervisionRecomputeResult(DateOnly Today, int Examined, int Changed, int Batches);

/// <summary>
/// The 督办 levels of docs/rules.md §5: the daily recompute and a supervisor's manual raise. Every change writes the level on
/// the petition, a <see cref="PetitionEventKind.SupervisionChanged"/> event and an audit row, in one transaction.
/// </summary>
public sealed class SupervisionService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    IOptions<DeadlineOptions> deadlineOptions,
    IOptions<SupervisionOptions> supervisionOptions,
    IOptions<BacklogOptions> backlogOptions,
    ILogger<SupervisionService> logger,
    AccessGuard guard)
{
    /// <summary>The actor the daily recompute writes into its events (the audit rows name the system user, 系统).</summary>
    public const string SystemActor = "系统（每日重算）";

    /// <summary>Rows per batch: one read, one transaction; its changed ids go into one IN list.</summary>
    internal const int BatchSize = SqlLimits.KeysPerStatement;

    private static readonly PetitionState[] OpenStates = [.. PetitionLifecycle.OpenStates];

    /// <summary>
    /// Recomputes the level of every open petition that may need one: those due within <c>WarnDays</c> or past due,
    /// and those that still carry a level (a deadline moved out of the window). Only changed rows are written.
    /// </summary>
    public async Task<SupervisionRecomputeResult> RecomputeAsync(DateOnly today, CancellationToken ct = default)
    {
        // The daily job runs as the system user, which holds every role; by hand it is the supervisors' call.
        guard.Ensure(Policies.CanManageLevels);
        var warnDays = deadlineOptions.Value.WarnDays;
        var listedAfter = supervisionOptions.Value.ListedAfterDays;
        var windowEnd = today.AddDays(warnDays);
        // 积案 by age: the thread's first petition came in more than Backlog:AgeDays ago (the candidate is open, so its thread is).
        var backlogIfFirstBefore = BacklogOptions.AgedIfReceivedBefore(today, backlogOptions.Value.AgeDays);

        int examined = 0, changed = 0, batches = 0, lastId = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var batch = await db.Petitions.AsNoTracking()
                .Where(p => OpenStates.Contains(p.State))
                .Where(p => p.CurrentDueDate <= windowEnd || p.Supervision != SupervisionLevel.None)
                .Where(p => p.Id > lastId)
                .OrderBy(p => p.Id)
                .Select(p => new CandidateRow
                {
                    Id = p.Id,
                    CurrentDueDate = p.CurrentDueDate,
                    Supervision = p.Supervision,
                    SupervisionRaisedByHand = p.SupervisionRaisedByHand,
                    // 包案 (an active or relapsed 领导包案 on the thread) or 积案 (集中交办 batch, or old), in SQL.
                    AssignedOrBacklog = p.Thread.BacklogBatchId != null
                        || p.Thread.FirstReceivedOn < backlogIfFirstBefore
                        || p.Thread.Assignments.AsQueryable().Any(AssignmentLifecycle.InForce),
                })
                .Take(BatchSize)
                .ToListAsync(ct);
            if (batch.Count == 0) break;
            batches++;
            examined += batch.Count;
            lastId = batch[^1].Id;

            var decisions = batch
                .Select(c => (c.Id, Next: Decide(c.Supervision, c.SupervisionRaisedByHand, c.CurrentDueDate, c.AssignedOrBacklog,
                    today, warnDays, listedAfter), c.AssignedOrBacklog))
                .Where(d => d.Next is not null)
                .ToDictionary(d => d.Id, d => d.AssignedOrBacklog);
            if (decisions.Count == 0) continue;

            var ids = decisions.Keys.ToList();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var petitions = await db.Petitions.Where(p => ids.Contains(p.Id)).ToListAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var p in petitions)
            {
                // Decide again on the row read inside the transaction: a user may have changed it meanwhile.
                if (!p.IsOpen) continue;
                var next = Decide(p.Supervision, p.SupervisionRaisedByHand, p.CurrentDueDate, decisions[p.Id],
                    today, warnDays, listedAfter);
                if (next is not { } n) continue;
                Apply(db, p, n.Level, n.RaisedByHand, SystemActor, null, now, today);
                changed++;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        logger.LogInformation("督办等级重算 {Today}: 检查 {Examined} 件，变更 {Changed} 件，{Batches} 批", today, examined, changed, batches);
        return new SupervisionRecomputeResult(today, examined, changed, batches);
    }

    /// <summary>
    /// A supervisor raises the level of an open petition by hand, with a note. Only raising is allowed; the daily
    /// recompute keeps a hand-raised level while the petition stays overdue.
    /// </summary>
    public async Task RaiseAsync(string caseNumber, SupervisionLevel level, string note, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageLevels);
        var actor = guard.ActorName;
        if (string.IsNullOrWhiteSpace(note)) throw new ActionRefusedException("手动提级必须填写说明（督办事由）");
        if (level == SupervisionLevel.None) throw new ActionRefusedException("督办等级只能提高，不能手动设为“无”");
        var number = caseNumber.Trim();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var petition = await db.Petitions.FirstOrDefaultAsync(p => p.CaseNumber == number, ct)
            ?? throw new ActionRefusedException($"信访编号“{number}”不存在");
        if (!petition.IsOpen)
            throw new ActionRefusedException(
                $"信访事项 {number} 当前为“{petition.State.ToChinese()}”，只有在办的信访事项才能提高督办等级");
        if (level <= petition.Supervision)
            throw new ActionRefusedException(
                $"督办等级只能提高：信访事项 {number} 当前已是“{petition.Supervision.ToChinese()}”，不能改为“{level.ToChinese()}”");

        Apply(db, petition, level, raisedByHand: true, actor, note.Trim(), clock.GetUtcNow().UtcDateTime, clock.Today());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The new level and hand-raised flag, or null when nothing changes.</summary>
    private static (SupervisionLevel Level, bool RaisedByHand)? Decide(
        SupervisionLevel current, bool raisedByHand, DateOnly? due, bool assignedOrBacklog,
        DateOnly today, int warnDays, int listedAfterDays)
    {
        var derived = SupervisionRule.Derive(isOpen: true, due, today, assignedOrBacklog, warnDays, listedAfterDays);
        var stillOverdue = due is { } d && DeadlineStatusRule.DaysOverdue(d, today) > 0;
        var next = SupervisionRule.Recompute(current, raisedByHand, derived, stillOverdue);
        return next.Level == current && next.RaisedByHand == raisedByHand ? null : next;
    }

    private static void Apply(AppDbContext db, Petition p, SupervisionLevel level, bool raisedByHand, string actor, string? note,
        DateTime nowUtc, DateOnly on)
    {
        var detail = $"{p.Supervision.ToChinese()} → {level.ToChinese()}";
        db.PetitionEvents.Add(new PetitionEvent
        {
            PetitionId = p.Id,
            Kind = PetitionEventKind.SupervisionChanged,
            AtUtc = nowUtc,
            On = on,
            Actor = actor,
            Detail = detail,
            Note = note,
        });
        // The audit trail gets old → new from the SaveChanges interceptor, like every other change of a petition.
        p.Supervision = level;
        p.SupervisionRaisedByHand = raisedByHand;
    }

    private sealed class CandidateRow
    {
        public int Id { get; init; }
        public DateOnly? CurrentDueDate { get; init; }
        public SupervisionLevel Supervision { get; init; }
        public bool SupervisionRaisedByHand { get; init; }
        public bool AssignedOrBacklog { get; init; }
    }
}

using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Repeats;

public sealed record LinkResult(int PetitionId, string CaseNumber, int ThreadId, int? FormerThreadId, string Detail);

/// <summary>
/// The one place that changes which thread a petition belongs to (docs/rules.md §6): hand link, unlink, relink, and the join of a
/// newly registered or imported petition. Keeps PetitionCount, FirstPetitionId, First/LastReceivedOn and IsRepeat consistent,
/// records every change as a petition event, keeps an officer's "not a repeat" decision, and sends a repeat on a thread
/// with a 包案 to the same leader — all in the caller's transaction.
/// </summary>
public sealed class ThreadLinkingService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, AccessGuard guard)
{
    /// <summary>Hand link (or relink): <paramref name="petitionId"/> joins the thread of <paramref name="targetPetitionId"/>.</summary>
    public async Task<LinkResult> LinkAsync(int petitionId, int targetPetitionId, string reason, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanLinkRepeats);
        var actor = guard.User.UserName!;
        if (string.IsNullOrWhiteSpace(reason)) throw new ActionRefusedException("关联理由：必填");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var petition = await db.Petitions.FirstOrDefaultAsync(p => p.Id == petitionId, ct)
            ?? throw new ActionRefusedException($"信访事项 #{petitionId} 不存在");
        var target = await db.Petitions.AsNoTracking().Where(p => p.Id == targetPetitionId)
            .Select(p => new { p.ThreadId, p.CaseNumber }).FirstOrDefaultAsync(ct)
            ?? throw new ActionRefusedException($"信访事项 #{targetPetitionId} 不存在");
        if (target.ThreadId == petition.ThreadId)
            throw new ActionRefusedException($"{petition.CaseNumber} 已在信访事项链 #{target.ThreadId} 中，无需再关联");

        var result = await MoveAsync(db, petition, target.ThreadId, reason.Trim(), actor, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Unlink: the petition leaves its thread for a new one of its own; the decision is kept so re-scan won't undo it.</summary>
    public async Task<LinkResult> UnlinkAsync(int petitionId, string reason, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanLinkRepeats);
        var actor = guard.User.UserName!;
        if (string.IsNullOrWhiteSpace(reason)) throw new ActionRefusedException("解除理由：必填");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var petition = await db.Petitions.FirstOrDefaultAsync(p => p.Id == petitionId, ct)
            ?? throw new ActionRefusedException($"信访事项 #{petitionId} 不存在");
        var formerId = petition.ThreadId;
        var former = await db.Threads.FirstAsync(t => t.Id == formerId, ct);
        if (former.PetitionCount < 2)
            throw new ActionRefusedException($"{petition.CaseNumber} 所在信访事项链 #{formerId} 仅此一件，无需解除关联");
        var formerFirst = await FirstCaseNumberAsync(db, former, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = clock.Today();

        var own = new PetitionThread { FirstReceivedOn = petition.ReceivedOn, LastReceivedOn = petition.ReceivedOn };
        db.Threads.Add(own);
        petition.Thread = own;
        await db.SaveChangesAsync(ct);

        await RecomputeAsync(db, former, petition, actor, reason.Trim(), now, today, ct);
        await RecomputeAsync(db, own, petition, actor, reason.Trim(), now, today, ct);
        var detail = $"移出信访事项链 #{formerId}（首件 {formerFirst}），另立信访事项链 #{own.Id}";
        petition.Events.Add(Event(petition, PetitionEventKind.RepeatUnlinked, detail, reason.Trim(), actor, now, today));
        await KeepDecisionAsync(db, petition.Id, formerId, reason.Trim(), actor, now, ct);
        await DeleteIfEmptyAsync(db, former, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new LinkResult(petition.Id, petition.CaseNumber, own.Id, formerId, detail);
    }

    /// <summary>
    /// Puts a new, not yet saved petition on a thread: a new thread of its own (<paramref name="threadId"/> null) or an existing
    /// one as a repeat (with its RepeatLinked event and the 包案 follow-up). The caller saves and commits.
    /// </summary>
    internal async Task JoinNewAsync(
        AppDbContext db, Petition petition, int? threadId, string linkNote, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = clock.Today();
        if (threadId is null)
        {
            var own = new PetitionThread
            {
                PetitionCount = 1, FirstReceivedOn = petition.ReceivedOn, LastReceivedOn = petition.ReceivedOn,
            };
            petition.Thread = own;
            petition.IsRepeat = false;
            db.Petitions.Add(petition);
            await db.SaveChangesAsync(ct);
            own.FirstPetitionId = petition.Id;
            return;
        }

        var thread = await db.Threads.FirstOrDefaultAsync(t => t.Id == threadId, ct)
            ?? throw new ActionRefusedException($"信访事项链 #{threadId} 不存在");
        var first = await FirstCaseNumberAsync(db, thread, ct);
        petition.Thread = thread;
        db.Petitions.Add(petition);
        await db.SaveChangesAsync(ct);
        await RecomputeAsync(db, thread, petition, actor, linkNote, now, today, ct);
        petition.Events.Add(Event(petition, PetitionEventKind.RepeatLinked, $"并入信访事项链 #{thread.Id}（首件 {first}）", linkNote, actor, now, today));
        if (petition.IsRepeat) await FollowUpAssignmentAsync(db, thread, petition, actor, now, today, ct);
    }

    /// <summary>Stores "not a repeat on these threads" for a petition registered as a new matter despite candidates.</summary>
    internal static async Task KeepDecisionsAsync(
        AppDbContext db, int petitionId, IEnumerable<int> threadIds, string reason, string actor, DateTime now, CancellationToken ct)
    {
        foreach (var threadId in threadIds.Distinct())
            await KeepDecisionAsync(db, petitionId, threadId, reason, actor, now, ct);
    }

    private async Task<LinkResult> MoveAsync(
        AppDbContext db, Petition petition, int targetThreadId, string reason, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = clock.Today();
        var formerId = petition.ThreadId;
        var former = await db.Threads.FirstAsync(t => t.Id == formerId, ct);
        var target = await db.Threads.FirstAsync(t => t.Id == targetThreadId, ct);
        if (former.PetitionCount < 2 && await db.LeaderAssignments.AnyAsync(a => a.ThreadId == formerId, ct))
            throw new ActionRefusedException($"信访事项链 #{formerId} 有领导包案且仅此一件，不能并入其他事项链（请先调整包案）");
        var targetFirst = await FirstCaseNumberAsync(db, target, ct);
        var formerFirst = await FirstCaseNumberAsync(db, former, ct);

        petition.ThreadId = target.Id;
        petition.Thread = target;
        await db.SaveChangesAsync(ct);
        await RecomputeAsync(db, former, petition, actor, reason, now, today, ct);
        await RecomputeAsync(db, target, petition, actor, reason, now, today, ct);

        // A hand link overrides an earlier "not a repeat on this thread" decision.
        var decisions = await db.RepeatDecisions.Where(d => d.PetitionId == petition.Id && d.ThreadId == target.Id).ToListAsync(ct);
        db.RepeatDecisions.RemoveRange(decisions);

        var detail = former.PetitionCount >= 1
            ? $"由信访事项链 #{formerId}（首件 {formerFirst}）改并入信访事项链 #{target.Id}（首件 {targetFirst}）"
            : $"并入信访事项链 #{target.Id}（首件 {targetFirst}）";
        petition.Events.Add(Event(petition, PetitionEventKind.RepeatLinked, detail, reason, actor, now, today));
        if (petition.IsRepeat) await FollowUpAssignmentAsync(db, target, petition, actor, now, today, ct);
        await DeleteIfEmptyAsync(db, former, ct);
        return new LinkResult(petition.Id, petition.CaseNumber, target.Id, formerId, detail);
    }

    /// <summary>
    /// Brings a thread's figures in line with its members: the earliest received (then lowest id) is the first (初件), every other
    /// one a repeat. A member other than <paramref name="moved"/> whose 初件/重件 flag changes gets its own event.
    /// </summary>
    private static async Task RecomputeAsync(
        AppDbContext db, PetitionThread thread, Petition moved, string actor, string reason, DateTime now, DateOnly today,
        CancellationToken ct)
    {
        var members = await db.Petitions.Where(p => p.ThreadId == thread.Id).ToListAsync(ct);
        members = members.OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).ToList();
        thread.PetitionCount = members.Count;
        if (members.Count == 0)
        {
            thread.FirstPetitionId = null;
            return;
        }
        thread.FirstPetitionId = members[0].Id;
        thread.FirstReceivedOn = members[0].ReceivedOn;
        thread.LastReceivedOn = members[^1].ReceivedOn;
        for (var i = 0; i < members.Count; i++)
        {
            var p = members[i];
            var repeat = i > 0;
            if (p.IsRepeat == repeat) continue;
            p.IsRepeat = repeat;
            if (p.Id == moved.Id) continue;
            p.Events.Add(Event(p, repeat ? PetitionEventKind.RepeatLinked : PetitionEventKind.RepeatUnlinked,
                repeat
                    ? $"初件 → 重件（{moved.CaseNumber} 成为信访事项链 #{thread.Id} 的首件）"
                    : $"重件 → 初件（原首件 {moved.CaseNumber} 已移出，本件成为信访事项链 #{thread.Id} 的首件）",
                reason, actor, now, today));
        }
    }

    /// <summary>
    /// "再访原领导包" (docs/rules.md §6): the latest 包案 of the thread follows the repeat. Active → a progress line the leader sees;
    /// resolved → 反弹 (Relapsed) and recorded.
    /// </summary>
    private static async Task FollowUpAssignmentAsync(
        AppDbContext db, PetitionThread thread, Petition repeat, string actor, DateTime now, DateOnly today, CancellationToken ct)
    {
        var assignment = await db.LeaderAssignments.Include(a => a.Leader)
            .Where(a => a.ThreadId == thread.Id)
            .OrderByDescending(a => a.AssignedOn).ThenByDescending(a => a.Id)
            .FirstOrDefaultAsync(ct);
        if (assignment is null) return;
        string detail;
        if (!AssignmentLifecycle.IsInForce(assignment.Status))
        {
            // The resolution stays in the progress history; what the 包案 keeps of it is the domain rule's choice.
            AssignmentLifecycle.Relapse(assignment, today);
            db.AssignmentProgress.Add(new AssignmentProgress
            {
                AssignmentId = assignment.Id, On = today, Actor = actor,
                Action = $"反弹：化解后再访，新增重复件 {repeat.CaseNumber}（{AssignmentStatus.Resolved.ToChinese()} → {AssignmentStatus.Relapsed.ToChinese()}）",
            });
            detail = $"包案{AssignmentStatus.Resolved.ToChinese()} → {AssignmentStatus.Relapsed.ToChinese()}，再访原领导包：{assignment.Leader.Name}（{assignment.Leader.Title}）";
        }
        else
        {
            db.AssignmentProgress.Add(new AssignmentProgress
            {
                AssignmentId = assignment.Id, On = today, Actor = actor, Action = $"再访：新增重复件 {repeat.CaseNumber}",
            });
            detail = $"再访原领导包：{assignment.Leader.Name}（{assignment.Leader.Title}）";
        }
        repeat.Events.Add(Event(repeat, PetitionEventKind.AssignmentChanged, detail, null, actor, now, today));
    }

    private static async Task KeepDecisionAsync(
        AppDbContext db, int petitionId, int threadId, string reason, string actor, DateTime now, CancellationToken ct)
    {
        if (await db.RepeatDecisions.AnyAsync(d => d.PetitionId == petitionId && d.ThreadId == threadId, ct)) return;
        if (db.RepeatDecisions.Local.Any(d => d.PetitionId == petitionId && d.ThreadId == threadId)) return;
        db.RepeatDecisions.Add(new RepeatDecision { PetitionId = petitionId, ThreadId = threadId, AtUtc = now, Actor = actor, Reason = reason });
    }

    /// <summary>A thread left without petitions goes, unless something still refers to it (a 包案 or a 集中交办 batch).</summary>
    private static async Task DeleteIfEmptyAsync(AppDbContext db, PetitionThread thread, CancellationToken ct)
    {
        if (thread.PetitionCount > 0 || thread.BacklogBatchId is not null) return;
        if (await db.LeaderAssignments.AnyAsync(a => a.ThreadId == thread.Id, ct)) return;
        db.Threads.Remove(thread);
    }

    private static async Task<string?> FirstCaseNumberAsync(AppDbContext db, PetitionThread thread, CancellationToken ct) =>
        thread.FirstPetitionId is { } id
            ? await db.Petitions.Where(p => p.Id == id).Select(p => p.CaseNumber).FirstOrDefaultAsync(ct)
            : null;

    private static PetitionEvent Event(
        Petition p, PetitionEventKind kind, string detail, string? note, string actor, DateTime now, DateOnly today) => new()
    {
        PetitionId = p.Id, Kind = kind, AtUtc = now, On = today, Actor = actor, Detail = detail, Note = note,
    };
}

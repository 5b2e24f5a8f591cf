using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Repeats;

public sealed record LinkResult(int PetitionId, string CaseNumber, int ThreadId, int? FormerThreadId, string Detail);

/// <summary>
/// What a hand link would change, for the confirmation the page shows first: the differences that make it a merge across persons
/// or matters (empty = an ordinary repeat link), which case is the 初件 afterwards, and what happens to the thread it leaves.
/// </summary>
public sealed record LinkPreview(
    string CaseNumber, int FormerThreadId, int TargetThreadId, IReadOnlyList<string> Differences, string FirstAfter, string FormerAfter)
{
    public bool NeedsConfirmation => Differences.Count > 0;

    /// <summary>The whole change in one sentence list, zh-CN (the dialog's text and the refusal's).</summary>
    public string Describe() => string.Join("；", Differences.Append(FirstAfter).Append(FormerAfter));
}

/// <summary>
/// The one place that changes which thread a petition belongs to (docs/rules.md §6): hand link, unlink, relink, and the join of a
/// newly registered or imported petition. Keeps PetitionCount, FirstPetitionId, First/LastReceivedOn and IsRepeat consistent,
/// records every change as a petition event and as a dated thread change (the weeks before it keep their figures, §8), keeps an officer's "not a repeat" decision, and sends a repeat on a thread
/// with a 包案 to the same leader — all in the caller's transaction.
/// </summary>
public sealed class ThreadLinkingService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, AccessGuard guard)
{
    /// <summary>What <see cref="LinkAsync"/> would change, without changing anything.</summary>
    public async Task<LinkPreview> PreviewLinkAsync(int petitionId, int targetPetitionId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanLinkRepeats);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var petition = await db.Petitions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == petitionId, ct)
            ?? throw new ActionRefusedException($"信访事项 #{petitionId} 不存在");
        var targetThreadId = await TargetThreadAsync(db, petition, targetPetitionId, ct);
        return await PreviewAsync(db, petition, targetThreadId, ct);
    }

    /// <summary>
    /// Hand link (or relink): <paramref name="petitionId"/> joins the thread of <paramref name="targetPetitionId"/>. A merge across
    /// persons or matters (see <see cref="PreviewAsync"/>) is refused unless <paramref name="confirmed"/>: the caller has shown
    /// the user what changes and the user agreed.
    /// </summary>
    public Task<LinkResult> LinkAsync(int petitionId, int targetPetitionId, string reason, CancellationToken ct = default) =>
        LinkAsync(petitionId, targetPetitionId, reason, confirmed: false, ct);

    /// <inheritdoc cref="LinkAsync(int, int, string, CancellationToken)"/>
    public async Task<LinkResult> LinkAsync(
        int petitionId, int targetPetitionId, string reason, bool confirmed, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanLinkRepeats);
        var actor = guard.User.UserName!;
        if (string.IsNullOrWhiteSpace(reason)) throw new ActionRefusedException("关联理由：必填");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var petition = await db.Petitions.FirstOrDefaultAsync(p => p.Id == petitionId, ct)
            ?? throw new ActionRefusedException($"信访事项 #{petitionId} 不存在");
        var targetThreadId = await TargetThreadAsync(db, petition, targetPetitionId, ct);

        var result = await MoveAsync(db, petition, targetThreadId, reason.Trim(), actor, confirmed, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Unlink: the petition leaves its thread — back to the thread it was merged from by hand, if it came that way and that thread
    /// still exists, otherwise for a new one of its own; the decision is kept so re-scan won't undo it.
    /// </summary>
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

        var wasRepeat = petition.IsRepeat;
        var previous = await MergedFromAsync(db, petition, ct);
        PetitionThread own;
        if (previous is not null)
        {
            own = previous.Value.Thread;
            // Back where it was: the "not on that thread" ruling recorded by the merge no longer holds.
            db.RepeatDecisions.Remove(previous.Value.Decision);
        }
        else
        {
            own = new PetitionThread { FirstReceivedOn = petition.ReceivedOn, LastReceivedOn = petition.ReceivedOn };
            db.Threads.Add(own);
        }
        petition.Thread = own;
        await db.SaveChangesAsync(ct);

        await RecomputeAsync(db, former, petition, actor, reason.Trim(), now, today, ct);
        await RecomputeAsync(db, own, petition, actor, reason.Trim(), now, today, ct);
        PetitionHistory.ThreadChanged(petition, formerId, wasRepeat, today, now);
        var detail = previous is not null
            ? $"移出信访事项链 #{formerId}（首件 {formerFirst}），回到原信访事项链 #{own.Id}"
            : $"移出信访事项链 #{formerId}（首件 {formerFirst}），另立信访事项链 #{own.Id}";
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
        petition.Events.Add(JoinedEvent(petition, thread.Id, first, linkNote, actor, now, today));
        if (petition.IsRepeat) await FollowUpAssignmentAsync(db, thread, petition, actor, now, today, ct);
    }

    /// <summary>The RepeatLinked event of a new petition put on a thread whose 初件 was <paramref name="firstCaseNumber"/>.</summary>
    internal static PetitionEvent JoinedEvent(
        Petition petition, int threadId, string? firstCaseNumber, string linkNote, string actor, DateTime now, DateOnly today) =>
        Event(petition, PetitionEventKind.RepeatLinked, $"并入信访事项链 #{threadId}（首件 {firstCaseNumber}）", linkNote, actor, now, today);

    /// <summary>Stores "not a repeat on these threads" for a petition registered as a new matter despite candidates.</summary>
    internal static async Task KeepDecisionsAsync(
        AppDbContext db, int petitionId, IEnumerable<int> threadIds, string reason, string actor, DateTime now, CancellationToken ct)
    {
        foreach (var threadId in threadIds.Distinct())
            await KeepDecisionAsync(db, petitionId, threadId, reason, actor, now, ct);
    }

    private async Task<LinkResult> MoveAsync(
        AppDbContext db, Petition petition, int targetThreadId, string reason, string actor, bool confirmed, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = clock.Today();
        var formerId = petition.ThreadId;
        var former = await db.Threads.FirstAsync(t => t.Id == formerId, ct);
        var target = await db.Threads.FirstAsync(t => t.Id == targetThreadId, ct);
        if (former.PetitionCount < 2 && await db.LeaderAssignments.AnyAsync(a => a.ThreadId == formerId, ct))
            throw new ActionRefusedException($"信访事项链 #{formerId} 有领导包案且仅此一件，不能并入其他事项链（请先调整包案）");
        var preview = await PreviewAsync(db, petition, target.Id, ct);
        if (preview.NeedsConfirmation && !confirmed)
            throw new ActionRefusedException($"跨信访人或跨事项并入须先确认：{preview.Describe()}");
        var targetFirst = await FirstCaseNumberAsync(db, target, ct);
        var formerFirst = await FirstCaseNumberAsync(db, former, ct);

        var wasRepeat = petition.IsRepeat;
        petition.ThreadId = target.Id;
        petition.Thread = target;
        await db.SaveChangesAsync(ct);
        await RecomputeAsync(db, former, petition, actor, reason, now, today, ct);
        await RecomputeAsync(db, target, petition, actor, reason, now, today, ct);
        PetitionHistory.ThreadChanged(petition, formerId, wasRepeat, today, now);

        // A hand link overrides an earlier "not a repeat on this thread" decision.
        var decisions = await db.RepeatDecisions.Where(d => d.PetitionId == petition.Id && d.ThreadId == target.Id).ToListAsync(ct);
        db.RepeatDecisions.RemoveRange(decisions);
        // Moving it out of the former thread by hand is a ruling that it is not on that thread; the decision also remembers where it
        // came from, so that 移出此链 can bring it back (and keeps the former thread from being deleted when it empties).
        var stale = await db.RepeatDecisions.Where(d => d.PetitionId == petition.Id && d.ThreadId == formerId).ToListAsync(ct);
        db.RepeatDecisions.RemoveRange(stale);
        db.RepeatDecisions.Add(new RepeatDecision
        {
            PetitionId = petition.Id, ThreadId = formerId, AtUtc = now, Actor = actor, Reason = MergedIntoReason(target.Id, reason),
        });

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
        var members = ThreadMembership.InOrder(await db.Petitions.Where(p => p.ThreadId == thread.Id).ToListAsync(ct), p => p.ReceivedOn, p => p.Id);
        ThreadMembership.Apply(thread, ThreadMembership.Figures(ThreadFigures.Of(thread), members, p => p.ReceivedOn, p => p.Id));
        for (var i = 0; i < members.Count; i++)
        {
            var p = members[i];
            var repeat = ThreadMembership.IsRepeatAt(i);
            if (p.IsRepeat == repeat) continue;
            p.IsRepeat = repeat;
            if (p.Id == moved.Id) continue;
            // Weeks before today keep its old flag (docs/rules.md §8).
            PetitionHistory.ThreadChanged(p, thread.Id, !repeat, today, now);
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
        var assignment = await db.LeaderAssignments.Include(a => a.Leader).Include(a => a.Resolutions)
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

    /// <summary>
    /// A thread left without petitions goes, unless something still refers to it (a 包案, a 集中交办 batch, or a repeat decision —
    /// e.g. the one a merge leaves, so that undoing the merge brings the petition back to this very thread, audit numbers intact).
    /// </summary>
    private static async Task DeleteIfEmptyAsync(AppDbContext db, PetitionThread thread, CancellationToken ct)
    {
        if (thread.PetitionCount > 0 || thread.BacklogBatchId is not null) return;
        if (await db.LeaderAssignments.AnyAsync(a => a.ThreadId == thread.Id, ct)) return;
        if (db.RepeatDecisions.Local.Any(d => d.ThreadId == thread.Id)
            || await db.RepeatDecisions.AnyAsync(d => d.ThreadId == thread.Id, ct)) return;
        db.Threads.Remove(thread);
    }

    private static string MergedIntoReason(int targetThreadId, string reason) => $"{MergedIntoPrefix(targetThreadId)}{reason}";

    /// <summary>Marks the decision a merge leaves (its reason), naming the thread merged into — how unlink finds the way back.</summary>
    private static string MergedIntoPrefix(int targetThreadId) => $"并入信访事项链 #{targetThreadId}：";

    /// <summary>The thread the petition was merged into its current thread from by hand, if that thread still exists.</summary>
    private static async Task<(PetitionThread Thread, RepeatDecision Decision)?> MergedFromAsync(
        AppDbContext db, Petition petition, CancellationToken ct)
    {
        var prefix = MergedIntoPrefix(petition.ThreadId);
        var decision = await db.RepeatDecisions
            .Where(d => d.PetitionId == petition.Id && d.ThreadId != petition.ThreadId && d.Reason.StartsWith(prefix))
            .OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct);
        if (decision is null) return null;
        var thread = await db.Threads.FirstOrDefaultAsync(t => t.Id == decision.ThreadId, ct);
        return thread is null ? null : (thread, decision);
    }

    /// <summary>The thread of <paramref name="targetPetitionId"/>, refused when it is the petition's own.</summary>
    private static async Task<int> TargetThreadAsync(AppDbContext db, Petition petition, int targetPetitionId, CancellationToken ct)
    {
        var targetThreadId = await db.Petitions.AsNoTracking().Where(p => p.Id == targetPetitionId)
            .Select(p => (int?)p.ThreadId).FirstOrDefaultAsync(ct)
            ?? throw new ActionRefusedException($"信访事项 #{targetPetitionId} 不存在");
        if (targetThreadId == petition.ThreadId)
            throw new ActionRefusedException($"{petition.CaseNumber} 已在信访事项链 #{targetThreadId} 中，无需再关联");
        return targetThreadId;
    }

    /// <summary>
    /// A merge across persons (no 信访人 identity shared with the target thread) or across matters (问题属地 or 一级 category other than
    /// the target thread's 初件) and what it does: the 初件 afterwards (always the earliest received) and the fate of the former thread.
    /// </summary>
    private static async Task<LinkPreview> PreviewAsync(AppDbContext db, Petition petition, int targetThreadId, CancellationToken ct)
    {
        var members = await db.Petitions.AsNoTracking().Where(p => p.ThreadId == targetThreadId)
            .OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.CaseNumber, p.ReceivedOn, p.Locality, p.Category, p.PetitionerNames })
            .ToListAsync(ct);
        var first = members[0];
        var targetKeys = await db.Set<PetitionPetitioner>().AsNoTracking().Where(x => x.Petition.ThreadId == targetThreadId)
            .Select(x => x.Petitioner.IdentityKey).Distinct().ToListAsync(ct);
        var ownKeys = await db.Set<PetitionPetitioner>().AsNoTracking().Where(x => x.PetitionId == petition.Id)
            .Select(x => x.Petitioner.IdentityKey).ToListAsync(ct);

        var differences = new List<string>();
        if (!ownKeys.Intersect(targetKeys).Any())
            differences.Add($"信访人不同：{petition.PetitionerNames} 与本链 {first.PetitionerNames} 无共同信访人");
        if (petition.Locality != first.Locality)
            differences.Add($"问题属地不同：{petition.Locality} / {first.Locality}");
        if (petition.Category != first.Category)
            differences.Add($"一级分类不同：{petition.Category} / {first.Category}");

        var becomesFirst = petition.ReceivedOn < first.ReceivedOn || (petition.ReceivedOn == first.ReceivedOn && petition.Id < first.Id);
        var firstAfter = becomesFirst
            ? $"{petition.CaseNumber}（{petition.ReceivedOn:yyyy-MM-dd} 收到）收到最早，将成为信访事项链 #{targetThreadId} 的初件，原初件 {first.CaseNumber} 改为重件"
            : $"{first.CaseNumber}（{first.ReceivedOn:yyyy-MM-dd} 收到）仍为信访事项链 #{targetThreadId} 的初件，{petition.CaseNumber} 成为重件";
        var formerCount = await db.Petitions.CountAsync(p => p.ThreadId == petition.ThreadId, ct);
        var formerAfter = formerCount <= 1
            ? $"原信访事项链 #{petition.ThreadId} 将不再有信访事项（保留编号，移出此链可恢复）"
            : $"原信访事项链 #{petition.ThreadId} 失去 {petition.CaseNumber}，余 {formerCount - 1} 件";
        return new LinkPreview(petition.CaseNumber, petition.ThreadId, targetThreadId, differences, firstAfter, formerAfter);
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

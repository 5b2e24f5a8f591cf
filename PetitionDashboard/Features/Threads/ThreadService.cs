using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Repeats;

namespace PetitionDashboard.Features.Threads;

/// <summary>One petition of a thread: who handled it and how it ended.</summary>
public sealed record ThreadPetition(
    int Id, string CaseNumber, bool IsRepeat, DateOnly ReceivedOn, PetitionForm Form, int PeopleCount, string PetitionerNames,
    string Locality, string Category, string Demand, string UnitName, PetitionState State, DateOnly? CurrentDueDate,
    DateOnly? RepliedOn, ReplyResult? ReplyResult, Evaluation? Evaluation, DateOnly? FinishedOn)
{
    /// <summary>How it ended (or where it stands), in zh-CN.</summary>
    public string Outcome
    {
        get
        {
            var parts = new List<string> { State.ToChinese() };
            if (ReplyResult is { } r) parts.Add($"答复：{r.ToChinese()}");
            if (Evaluation is { } e) parts.Add($"评价：{e.ToChinese()}");
            if (FinishedOn is { } f) parts.Add($"{f:yyyy-MM-dd}");
            return string.Join("，", parts);
        }
    }
}

public sealed record ThreadTimelineEntry(
    long EventId, int PetitionId, string CaseNumber, PetitionEventKind Kind, DateOnly On, DateTime AtUtc, string Actor,
    PetitionState? FromState, PetitionState? ToState, string? Detail, string? Note)
{
    /// <summary>What happened, in zh-CN.</summary>
    public string What => Kind == PetitionEventKind.Transition
        ? FromState is { } from ? $"{from.ToChinese()} → {ToState?.ToChinese()}" : $"{ToState?.ToChinese()}"
        : Kind.ToChinese();
}

public sealed record ThreadAssignment(
    int Id, string Leader, string LeaderTitle, string LeadUnit, string ResponsiblePerson, AssignmentStatus Status,
    DateOnly AssignedOn, DateOnly DueOn, IReadOnlyList<AssignmentProgress> LatestProgress);

public sealed record ThreadView(
    int Id, int PetitionCount, DateOnly FirstReceivedOn, DateOnly LastReceivedOn, int? BacklogBatchId,
    IReadOnlyList<ThreadPetition> Petitions, IReadOnlyList<ThreadAssignment> Assignments,
    IReadOnlyList<ThreadTimelineEntry> Timeline, bool TimelineCapped)
{
    public int RepeatCount => RepeatRule.RepeatCount(PetitionCount);
    public ThreadPetition? First => Petitions.FirstOrDefault(p => !p.IsRepeat) ?? Petitions.FirstOrDefault();
}

/// <summary>The thread page (/threads/{id}): one timeline across all petitions of a thread, and the link actions.</summary>
public sealed class ThreadService(
    IDbContextFactory<AppDbContext> dbFactory, ThreadLinkingService linking, RepeatDetectionService detection, AccessGuard guard)
{
    /// <summary>Whether the current user may link and unlink (the services check again).</summary>
    public bool CanLink => guard.Allows(Policies.CanLinkRepeats);

    public const int MaxTimelineEvents = 1000;
    private const int ProgressShown = 5;

    public async Task<ThreadView?> GetAsync(int threadId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var thread = await db.Threads.AsNoTracking().FirstOrDefaultAsync(t => t.Id == threadId, ct);
        if (thread is null) return null;
        var petitions = await db.Petitions.AsNoTracking().Where(p => p.ThreadId == threadId)
            .OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id)
            .Select(p => new ThreadPetition(p.Id, p.CaseNumber, p.IsRepeat, p.ReceivedOn, p.Form, p.PeopleCount, p.PetitionerNames,
                p.Locality, p.Category, p.Demand, p.Unit.Name, p.State, p.CurrentDueDate, p.RepliedOn, p.ReplyResult, p.Evaluation,
                p.FinishedOn))
            .ToListAsync(ct);
        var ids = petitions.Select(p => p.Id).ToList();
        var numbers = petitions.ToDictionary(p => p.Id, p => p.CaseNumber);
        var events = await db.PetitionEvents.AsNoTracking().Where(e => ids.Contains(e.PetitionId))
            .OrderBy(e => e.On).ThenBy(e => e.AtUtc).ThenBy(e => e.Id)
            .Take(MaxTimelineEvents + 1)
            .ToListAsync(ct);
        var people = await PeopleNames.LoadAsync(db, events.Select(e => e.Actor), ct);
        var timeline = events.Take(MaxTimelineEvents).Select(e => new ThreadTimelineEntry(e.Id, e.PetitionId, numbers[e.PetitionId], e.Kind,
            e.On, e.AtUtc, people.Of(e.Actor)!, e.FromState, e.ToState, e.Detail, e.Note)).ToList();
        var assignments = await db.LeaderAssignments.AsNoTracking().Where(a => a.ThreadId == threadId)
            .OrderByDescending(a => a.AssignedOn)
            .Select(a => new
            {
                a.Id, Leader = a.Leader.Name, a.Leader.Title, LeadUnit = a.LeadUnit.Name, a.ResponsiblePerson, a.Status, a.AssignedOn,
                a.DueOn, a.ExtensionDays,
                Progress = a.Progress.OrderByDescending(p => p.On).ThenByDescending(p => p.Id).Take(ProgressShown).ToList(),
            })
            .ToListAsync(ct);
        return new ThreadView(thread.Id, thread.PetitionCount, thread.FirstReceivedOn, thread.LastReceivedOn, thread.BacklogBatchId,
            petitions,
            assignments.Select(a => new ThreadAssignment(a.Id, a.Leader, a.Title, a.LeadUnit, a.ResponsiblePerson, a.Status, a.AssignedOn,
                a.DueOn, a.Progress)).ToList(),
            timeline, events.Count > MaxTimelineEvents);
    }

    /// <summary>A petition by its 信访编号 (for "并入" by hand): id, thread, or null.</summary>
    public async Task<(int PetitionId, int ThreadId)?> FindByCaseNumberAsync(string caseNumber, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanLinkRepeats);
        var number = caseNumber.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hit = await db.Petitions.AsNoTracking().Where(p => p.CaseNumber == number)
            .Select(p => new { p.Id, p.ThreadId }).FirstOrDefaultAsync(ct);
        return hit is null ? null : (hit.Id, hit.ThreadId);
    }

    /// <summary>What linking a petition of this thread into the thread of <paramref name="targetCaseNumber"/> would change.</summary>
    public async Task<LinkPreview> PreviewLinkToCaseAsync(int petitionId, string targetCaseNumber, CancellationToken ct = default)
    {
        var target = await FindTargetAsync(targetCaseNumber, ct);
        return await linking.PreviewLinkAsync(petitionId, target.PetitionId, ct);
    }

    /// <summary>Links a petition of this thread into the thread of the petition numbered <paramref name="targetCaseNumber"/>.</summary>
    public async Task<LinkResult> LinkToCaseAsync(
        int petitionId, string targetCaseNumber, string reason, bool confirmed = false, CancellationToken ct = default)
    {
        var target = await FindTargetAsync(targetCaseNumber, ct);
        return await linking.LinkAsync(petitionId, target.PetitionId, reason, confirmed, ct);
    }

    /// <summary>What bringing the petition numbered <paramref name="caseNumber"/> into this thread would change.</summary>
    public async Task<LinkPreview> PreviewBringIntoThreadAsync(int threadId, string caseNumber, CancellationToken ct = default)
    {
        var (petitionId, anyMember) = await BringInPairAsync(threadId, caseNumber, ct);
        return await linking.PreviewLinkAsync(petitionId, anyMember, ct);
    }

    /// <summary>Brings a petition of another thread (by 信访编号) into this one.</summary>
    public async Task<LinkResult> BringIntoThreadAsync(
        int threadId, string caseNumber, string reason, bool confirmed = false, CancellationToken ct = default)
    {
        var (petitionId, anyMember) = await BringInPairAsync(threadId, caseNumber, ct);
        return await linking.LinkAsync(petitionId, anyMember, reason, confirmed, ct);
    }

    private async Task<(int PetitionId, int ThreadId)> FindTargetAsync(string caseNumber, CancellationToken ct) =>
        await FindByCaseNumberAsync(caseNumber ?? "", ct) ?? throw new ActionRefusedException($"信访编号：找不到 {caseNumber?.Trim()}");

    /// <summary>The petition to bring in and a member of this thread to link it to.</summary>
    private async Task<(int PetitionId, int AnyMember)> BringInPairAsync(int threadId, string caseNumber, CancellationToken ct)
    {
        var petition = await FindTargetAsync(caseNumber, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var anyMember = await db.Petitions.AsNoTracking().Where(p => p.ThreadId == threadId).OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id)
            .Select(p => (int?)p.Id).FirstOrDefaultAsync(ct)
            ?? throw new ActionRefusedException($"信访事项链 #{threadId} 没有信访事项");
        return (petition.PetitionId, anyMember);
    }

    public Task<LinkResult> UnlinkAsync(int petitionId, string reason, CancellationToken ct = default) =>
        linking.UnlinkAsync(petitionId, reason, ct);

    public Task<LinkResult> LinkAsync(int petitionId, int targetPetitionId, string reason, CancellationToken ct = default) =>
        linking.LinkAsync(petitionId, targetPetitionId, reason, ct);

    /// <summary>Re-scan one petition: earlier threads it repeats by rule, minus threads an officer has ruled out.</summary>
    public Task<IReadOnlyList<RepeatCandidate>> RescanAsync(int petitionId, CancellationToken ct = default) =>
        detection.RescanAsync(petitionId, ct);
}

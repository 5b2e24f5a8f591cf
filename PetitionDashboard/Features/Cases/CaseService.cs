using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;

using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Cases;

/// <summary>A petitioner as the case page shows it: ID number and phone already masked.</summary>
public sealed record CasePetitioner(int Id, string Name, string? MaskedIdNumber, string? MaskedPhone, string? Address);

/// <summary>One petition of the thread (初件 or 重件), for the thread list.</summary>
public sealed record ThreadPetition(string CaseNumber, DateOnly ReceivedOn, PetitionState State, bool IsRepeat, string Demand, bool IsThisCase);

public sealed record CaseProgress(DateOnly On, string Action, string Actor);

/// <summary>A 领导包案 of the case's thread.</summary>
public sealed record CaseAssignment(
    string LeaderName, string LeaderTitle, string LeadUnit, string? CoUnits, string ResponsiblePerson, string? StabilityPerson,
    string Plan, DateOnly AssignedOn, DateOnly DueOn, int ExtensionDays, AssignmentStatus Status, DateOnly? ResolvedOn,
    string? ResolutionResult, int? DaysOverdue, IReadOnlyList<CaseProgress> Progress);

/// <summary>
/// Everything the case page shows about one petition. <see cref="Petition"/> is a detached copy of the row's own columns
/// (no navigation loaded): the whole record travels as JSON from the prerender to the circuit (<see cref="Components.FirstOpen{TKey, TData}"/>).
/// </summary>
public sealed record CaseDetails(
    Petition Petition,
    string UnitName,
    UnitKind UnitKind,
    IReadOnlyList<CasePetitioner> Petitioners,
    IReadOnlyList<PetitionEvent> Events,
    DateOnly Today,
    Deadline? CurrentDeadline,
    DeadlineStatus? DeadlineStatus,
    int? DaysOverdue,
    DeadlineStatus? Completion,
    int WarnDays,
    int ThreadRepeatCount,
    bool ThreadIsBacklogBatch,
    IReadOnlyList<ThreadPetition> Thread,
    IReadOnlyList<CaseAssignment> Assignments)
{
    /// <summary>The stored due date (what lists and filters use) differs from the one the rules give now: a recompute is pending.</summary>
    public bool StoredDueDiffers => CurrentDeadline is { } d && Petition.CurrentDueDate != d.Due;
}

/// <summary>Reads one petition with its history, deadline, thread and 包案, for the case page.</summary>
public sealed class CaseService(
    IDbContextFactory<AppDbContext> factory, DeadlineCalculator deadlines, TimeProvider clock, AccessGuard guard,
    PersonalDataProtector personalData)
{
    public async Task<CaseDetails?> GetAsync(string caseNumber, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        var today = clock.Today();
        await using var db = await factory.CreateDbContextAsync(ct);
        // The row without its navigations (unit and thread read as values): EF's fix-up would link the unit and thread back
        // to the petition, a cycle the prerender could not carry to the circuit.
        var row = await db.Petitions.AsNoTracking().Where(x => x.CaseNumber == caseNumber)
            .Select(x => new { Petition = x, UnitName = x.Unit.Name, UnitKind = x.Unit.Kind, x.Thread.BacklogBatchId })
            .SingleOrDefaultAsync(ct);
        if (row is null) return null;
        var p = row.Petition;

        // Personal data is masked here, before it leaves the service: the page never holds the full numbers; DutyOfficer
        // and Admin see them through the audited reveal (PetitionerContact).
        var petitioners = await db.PetitionPetitioners.AsNoTracking().Where(x => x.PetitionId == p.Id)
            .OrderBy(x => x.PetitionerId)
            .Select(x => new { x.Petitioner.Id, x.Petitioner.Name, x.Petitioner.IdNumber, x.Petitioner.Phone, x.Petitioner.Address })
            .ToListAsync(ct);
        var events = await db.PetitionEvents.AsNoTracking().Where(e => e.PetitionId == p.Id)
            .OrderBy(e => e.On).ThenBy(e => e.Id).ToListAsync(ct);
        var fromThread = await ThreadInstructionEventsAsync(db, p, ct);
        // A stable sort by day: a day's own events keep their order, a thread 批示's entries follow them.
        if (fromThread.Count > 0) events = [.. events.Concat(fromThread).OrderBy(e => e.On)];
        var thread = await db.Petitions.AsNoTracking().Where(x => x.ThreadId == p.ThreadId)
            .OrderBy(x => x.ReceivedOn).ThenBy(x => x.Id)
            .Select(x => new ThreadPetition(x.CaseNumber, x.ReceivedOn, x.State, x.IsRepeat, x.Demand, x.Id == p.Id))
            .ToListAsync(ct);
        var assignments = await db.LeaderAssignments.AsNoTracking().Where(a => a.ThreadId == p.ThreadId)
            .Include(a => a.Leader).Include(a => a.LeadUnit).Include(a => a.Progress)
            .OrderByDescending(a => a.AssignedOn).ToListAsync(ct);

        // The page shows people by display name; these rows are no-tracking copies read for display only.
        var people = await PeopleNames.LoadAsync(db, events.Select(e => e.Actor)
            .Concat(assignments.SelectMany(a => a.Progress.Select(x => x.Actor))).Append(p.PendingExtensionRequestedBy), ct);
        foreach (var e in events) e.Actor = people.Of(e.Actor)!;
        p.PendingExtensionRequestedBy = people.Of(p.PendingExtensionRequestedBy);

        var deadline = deadlines.Current(p);
        var open = PetitionLifecycle.IsOpen(p.State);
        var due = p.CurrentDueDate ?? deadline?.Due;
        return new CaseDetails(
            p,
            row.UnitName,
            row.UnitKind,
            petitioners.Select(x => new CasePetitioner(x.Id, x.Name, personalData.MaskedIdNumber(x.IdNumber), personalData.MaskedPhone(x.Phone), x.Address)).ToList(),
            events,
            today,
            deadline,
            open && due is { } d1 ? DeadlineStatusRule.OfOpen(d1, today, deadlines.Options.WarnDays) : null,
            open && due is { } d2 ? DeadlineStatusRule.DaysOverdue(d2, today) : null,
            open ? null : deadlines.Completion(p),
            deadlines.Options.WarnDays,
            Math.Max(thread.Count - 1, 0),
            row.BacklogBatchId is not null,
            thread,
            assignments.Select(a => new CaseAssignment(
                a.Leader.Name, a.Leader.Title, a.LeadUnit.Name, a.CoUnits, a.ResponsiblePerson, a.StabilityPerson, a.Plan,
                a.AssignedOn, a.DueOn, a.ExtensionDays, a.Status, a.ResolvedOn, a.ResolutionResult,
                AssignmentLifecycle.IsInForce(a.Status) ? DeadlineStatusRule.DaysOverdue(a.DueOn, today) : null,
                a.Progress.OrderByDescending(x => x.On).ThenByDescending(x => x.Id).Select(x => new CaseProgress(x.On, x.Action, people.Of(x.Actor)!)).ToList()))
                .ToList());
    }

    /// <summary>
    /// A 批示 on the whole thread written on another case of it (docs/rules.md §12): its timeline entries, read from the 批示
    /// itself, so every case of the thread shows it and its 反馈 without a copy per case. Not stored: display only.
    /// </summary>
    private static async Task<List<PetitionEvent>> ThreadInstructionEventsAsync(AppDbContext db, Petition p, CancellationToken ct)
    {
        var written = await db.LeaderInstructions.AsNoTracking().Where(i => i.ThreadId == p.ThreadId && i.PetitionId != p.Id)
            .Select(i => new
            {
                CaseNumber = db.Petitions.Where(x => x.Id == i.PetitionId).Select(x => x.CaseNumber).First(),
                i.WrittenOn, i.WrittenAtUtc, i.WrittenBy, i.Text, i.DueOn, i.Important,
                Units = i.Units.OrderBy(u => u.Unit.Name)
                    .Select(u => new { u.Unit.Name, u.RespondedOn, u.RecordedAtUtc, u.RecordedBy, u.ResponseText, u.AttachmentName }).ToList(),
            })
            .ToListAsync(ct);
        var result = new List<PetitionEvent>();
        foreach (var i in written)
        {
            result.Add(new PetitionEvent
            {
                PetitionId = p.Id, Kind = PetitionEventKind.Instruction, On = i.WrittenOn, AtUtc = i.WrittenAtUtc, Actor = i.WrittenBy,
                Detail = InstructionTimeline.FromThreadCase(InstructionTimeline.WrittenDetail(i.Important, true, i.Units.Select(u => u.Name), i.DueOn), i.CaseNumber),
                Note = i.Text,
            });
            foreach (var u in i.Units.Where(u => u.RespondedOn is not null))
                result.Add(new PetitionEvent
                {
                    PetitionId = p.Id, Kind = PetitionEventKind.InstructionResponse, On = u.RespondedOn!.Value, AtUtc = u.RecordedAtUtc ?? i.WrittenAtUtc,
                    Actor = u.RecordedBy ?? "", Note = FieldLengths.Clip(u.ResponseText, FieldLengths.EventNote),
                    Detail = InstructionTimeline.FromThreadCase(
                        InstructionTimeline.ResponseDetail(u.Name, InstructionRules.IsLate(i.DueOn, u.RespondedOn.Value), u.AttachmentName), i.CaseNumber),
                });
        }
        return [.. result.OrderBy(e => e.On).ThenBy(e => e.AtUtc)];
    }
}

using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Statistics;

namespace PetitionDashboard.Features.Reports;

/// <summary>包案进展: one assignment as it stood at the end of the week.</summary>
public sealed record ReportAssignmentRow(
    string Leader, string LeaderTitle, string Unit, string Responsible, string CaseNumber, string Locality, string Category,
    DateOnly AssignedOn, DateOnly DueOn, bool Resolved, string? LastProgress, DateOnly? LastProgressOn, int? DaysOverdue,
    bool DueIsProvisional = false);

/// <summary>超期清单: one petition counted in the week's 超期数. ID number and phone are already masked.</summary>
public sealed record ReportOverdueRow(
    string CaseNumber, string Petitioners, string? IdNumber, string? Phone, string Locality, string Category, string Unit,
    string? Leader, DateOnly Due, int DaysOverdue, SupervisionLevel Supervision, int Reminders, bool DueIsProvisional = false);

/// <summary>重复信访: one thread that got a repeat in the week. ID number already masked.</summary>
public sealed record ReportRepeatRow(
    string FirstCaseNumber, string Petitioners, string? IdNumber, int Times, DateOnly LastReceivedOn, string? Leader, PetitionState State);

/// <summary>Everything the supervision report of one week shows; the long lists are read while the file is written.</summary>
public sealed record SupervisionReportContent(
    string Bureau, IsoWeek Week, DateTime GeneratedAtUtc, string GeneratedBy, WeekReport Statistics, WeeklyUnitStatistic? Previous,
    IReadOnlyList<ReportAssignmentRow> Assignments, int OverdueListCount, IAsyncEnumerable<ReportOverdueRow> Overdue,
    IAsyncEnumerable<ReportRepeatRow> Repeats, IReadOnlyDictionary<string, double> Targets, double AmberMargin);

/// <summary>
/// Reads the report's data. The figures are the stored weekly statistics (StatisticsService.WeekAsync, the rows the
/// statistics page shows); the lists use the same population definitions (StatisticPopulations), so the 超期清单 is
/// exactly the petitions counted in 超期数.
/// </summary>
public sealed class SupervisionReportSource(
    IDbContextFactory<AppDbContext> dbs, StatisticsService statistics, WeeklyStatisticsCalculator calculator,
    DeadlineCalculator deadlines, PersonalDataProtector personalData)
{
    public async Task<WeekReport?> StatisticsAsync(IsoWeek week, CancellationToken ct) => await statistics.WeekAsync(week, ct);

    public async Task<WeeklyUnitStatistic?> AllUnitsAsync(IsoWeek week, CancellationToken ct)
    {
        var monday = week.Monday;
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.WeeklyUnitStatistics.AsNoTracking().FirstOrDefaultAsync(s => s.WeekMonday == monday && s.UnitId == null, ct);
    }

    /// <summary>Assignments made up to the end of the week (the 包案数 population), with their state then.</summary>
    public async Task<IReadOnlyList<ReportAssignmentRow>> AssignmentsAsync(IsoWeek week, CancellationToken ct)
    {
        var pop = calculator.Populations(week);
        var sunday = week.Sunday;
        var nextMonday = sunday.AddDays(1);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await pop.Assignments(db, StatisticMeasure.Assignments, null)
            .OrderBy(a => a.Leader.Name).ThenBy(a => a.AssignedOn).ThenBy(a => a.Id)
            .Select(a => new
            {
                Leader = a.Leader.Name, a.Leader.Title, Unit = a.LeadUnit.Name, a.ResponsiblePerson,
                First = a.Thread.Petitions.Where(p => !p.IsRepeat).OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id)
                    .Select(p => new { p.CaseNumber, p.Locality, p.Category }).FirstOrDefault(),
                a.AssignedOn, a.DueOn,
                Resolutions = a.Resolutions.Select(r => new { r.ResolvedOn, r.RelapsedOn }).ToList(),
                Last = a.Progress.Where(x => x.On <= sunday).OrderByDescending(x => x.On).ThenByDescending(x => x.Id)
                    .Select(x => new { x.Action, x.On }).FirstOrDefault(),
            })
            .AsNoTracking().ToListAsync(ct);
        return rows.Select(r =>
            {
                var resolved = AssignmentLifecycle.IsResolvedBy(r.Resolutions.Select(x => (x.ResolvedOn, x.RelapsedOn)), sunday);
                return new ReportAssignmentRow(
                    r.Leader, r.Title, r.Unit, r.ResponsiblePerson, r.First?.CaseNumber ?? "", r.First?.Locality ?? "", r.First?.Category ?? "",
                    r.AssignedOn, r.DueOn, resolved, r.Last?.Action, r.Last?.On,
                    !resolved && r.DueOn < nextMonday ? DaysOverdueAfter(week, r.DueOn) : null,
                    !resolved && deadlines.Calendar.IsProvisional(r.DueOn));
            })
            .ToList();
    }

    /// <summary>How many petitions the 超期清单 will list (the live count of the 超期数 population).</summary>
    public async Task<int> OverdueCountAsync(IsoWeek week, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await calculator.Populations(week).Petitions(db, StatisticMeasure.Overdue, null).CountAsync(ct);
    }

    /// <summary>The 超期清单, streamed in unit and case-number order; never loaded as a whole.</summary>
    public async IAsyncEnumerable<ReportOverdueRow> OverdueAsync(IsoWeek week, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var pop = calculator.Populations(week);
        var sunday = week.Sunday;
        await using var db = await dbs.CreateDbContextAsync(ct);
        // The unit it was counted for: its 责任单位 at the end of the week (§8), so the list and 超期数 per unit agree.
        var unitName = pop.UnitNameAtEnd(db);
        var query = pop.Petitions(db, StatisticMeasure.Overdue, null)
            .OrderBy(unitName).ThenBy(p => p.CaseNumber)
            .Select(PredicateExtensions.With(unitName, (Petition p, string unit) => new OverdueFacts(
                p.CaseNumber, p.PetitionerNames,
                p.Petitioners.OrderBy(x => x.PetitionerId).Select(x => x.Petitioner.IdNumber).FirstOrDefault(),
                p.Petitioners.OrderBy(x => x.PetitionerId).Select(x => x.Petitioner.Phone).FirstOrDefault(),
                p.Locality, p.Category, unit,
                p.Thread.Assignments.Where(a => a.AssignedOn <= sunday).OrderByDescending(a => a.AssignedOn)
                    .Select(a => a.Leader.Name).FirstOrDefault(),
                p.ReceivedOn, p.DispatchedOn, p.AcceptedOn, p.SimpleProcedure,
                p.Events.Any(e => e.Kind == PetitionEventKind.Extension && e.On > sunday) ? 0 : p.ExtensionDays,
                p.RepliedOn, p.ReviewAcceptedOn, p.ReviewDecidedOn, p.RecheckAcceptedOn, p.Supervision, p.RemindersSent)))
            .AsNoTracking().AsAsyncEnumerable();
        await foreach (var f in query.WithCancellation(ct))
        {
            var due = DueAtEndOfWeek(f, sunday);
            yield return new ReportOverdueRow(
                f.CaseNumber, f.Petitioners, personalData.MaskedIdNumber(f.IdNumber), personalData.MaskedPhone(f.Phone), f.Locality,
                f.Category, f.Unit, f.Leader, due, DaysOverdueAfter(week, due), f.Supervision, f.Reminders,
                deadlines.Calendar.IsProvisional(due));
        }
    }

    /// <summary>Threads that got a repeat petition in the week, streamed.</summary>
    public async IAsyncEnumerable<ReportRepeatRow> RepeatsAsync(IsoWeek week, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var (monday, sunday) = (week.Monday, week.Sunday);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.Threads
            .Where(t => t.Petitions.Any(p => p.IsRepeat && p.ReceivedOn >= monday && p.ReceivedOn <= sunday))
            .Select(t => new
            {
                First = t.Petitions.Where(p => !p.IsRepeat).OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id)
                    .Select(p => new
                    {
                        p.CaseNumber, p.PetitionerNames,
                        IdNumber = p.Petitioners.OrderBy(x => x.PetitionerId).Select(x => x.Petitioner.IdNumber).FirstOrDefault(),
                    }).FirstOrDefault(),
                Times = t.Petitions.Count(p => p.ReceivedOn <= sunday),
                Last = t.Petitions.Where(p => p.ReceivedOn <= sunday).Max(p => p.ReceivedOn),
                State = t.Petitions.Where(p => p.ReceivedOn <= sunday).OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.Id)
                    .Select(p => p.State).FirstOrDefault(),
                Leader = t.Assignments.Where(a => a.AssignedOn <= sunday).OrderByDescending(a => a.AssignedOn)
                    .Select(a => a.Leader.Name).FirstOrDefault(),
            })
            .OrderByDescending(x => x.Times).ThenBy(x => x.First!.CaseNumber)
            .AsNoTracking().AsAsyncEnumerable();
        await foreach (var r in query.WithCancellation(ct))
        {
            yield return new ReportRepeatRow(
                r.First?.CaseNumber ?? "", r.First?.PetitionerNames ?? "", personalData.MaskedIdNumber(r.First?.IdNumber), r.Times, r.Last,
                r.Leader, r.State);
        }
    }

    /// <summary>Days overdue counted to the Monday after the week: a deadline on that Sunday is 1 day overdue (§9).</summary>
    public static int DaysOverdueAfter(IsoWeek week, DateOnly due) => DeadlineStatusRule.DaysOverdue(due, week.Sunday.AddDays(1));

    /// <summary>
    /// The deadline of the step the petition waited on at the end of the week, from its dates, with the stage precedence of
    /// StatisticPopulations (recheck, review, handling, dispatched, registered) — the deadline that made it count as 超期.
    /// </summary>
    private DateOnly DueAtEndOfWeek(OverdueFacts f, DateOnly sunday)
    {
        if (f.RecheckAcceptedOn is { } recheck && recheck <= sunday) return deadlines.RecheckDecision(recheck).Due;
        if (f.ReviewAcceptedOn is { } review && review <= sunday && (f.ReviewDecidedOn is null || f.ReviewDecidedOn > sunday))
            return deadlines.ReviewDecision(review).Due;
        if (f.AcceptedOn is { } accepted && accepted <= sunday && (f.RepliedOn is null || f.RepliedOn > sunday))
            return deadlines.Reply(accepted, f.SimpleProcedure ? 0 : f.ExtensionDays, f.SimpleProcedure).Due;
        if (f.DispatchedOn is { } dispatched && dispatched <= sunday) return deadlines.UnitAcceptance(dispatched).Due;
        return deadlines.FirstDecision(f.ReceivedOn).Due;
    }

    private sealed record OverdueFacts(
        string CaseNumber, string Petitioners, string? IdNumber, string? Phone, string Locality, string Category, string Unit,
        string? Leader, DateOnly ReceivedOn, DateOnly? DispatchedOn, DateOnly? AcceptedOn, bool SimpleProcedure, int ExtensionDays,
        DateOnly? RepliedOn, DateOnly? ReviewAcceptedOn, DateOnly? ReviewDecidedOn, DateOnly? RecheckAcceptedOn,
        SupervisionLevel Supervision, int Reminders);
}

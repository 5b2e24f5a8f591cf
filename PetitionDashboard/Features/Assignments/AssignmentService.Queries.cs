using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Assignments;

/// <summary>Which 包案 a list shows.</summary>
public enum AssignmentFilter { All = 0, Open = 1, Relapsed = 2, Overdue = 3, Resolved = 4 }

public sealed record AssignmentListQuery(int? LeaderId = null, int? BatchId = null, AssignmentFilter Filter = AssignmentFilter.All, int Page = 0, int PageSize = 25);

public sealed record AssignmentPage(IReadOnlyList<AssignmentRow> Rows, int Total);

/// <summary>
/// What the prerender of a 包案 list read, carried to the interactive render (<see cref="Components.FirstOpen{TKey, TData}"/>,
/// keyed by <see cref="AssignmentListKey"/>): the first page and the 反弹 count of the banner.
/// </summary>
public sealed record AssignmentListFirstOpen(AssignmentPage FirstPage, int Relapsed);

/// <summary>Which 包案 list a carried first page belongs to (a record: it travels as JSON, a tuple's fields would not).</summary>
public sealed record AssignmentListKey(int? LeaderId, int? BatchId, AssignmentFilter Filter);

public sealed partial class AssignmentService
{
    /// <summary>Per leader: open (在办 + 反弹), overdue, resolved, resolution rate, average days to resolve — grouped in SQL.</summary>
    public async Task<IReadOnlyList<LeaderWorkload>> WorkloadAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewAssignments);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await WorkloadAsync(db, clock.Today(), ct);
    }

    private async Task<List<LeaderWorkload>> WorkloadAsync(AppDbContext db, DateOnly today, CancellationToken ct)
    {
        var groups = workloadCache is null
            ? await WorkloadGroupsAsync(db, today, ct)
            : await workloadCache.GetAsync(today, c => WorkloadGroupsAsync(db, today, c), ct);
        var leaders = await db.Leaders.AsNoTracking().OrderBy(l => l.Id).Select(l => new { l.Id, l.Name, l.Title }).ToListAsync(ct);
        return [.. leaders.Select(l => groups.TryGetValue(l.Id, out var g)
            ? new LeaderWorkload(l.Id, l.Name, l.Title, g.Active, g.Relapsed, g.Overdue, g.Resolved, g.Total,
                g.Resolved == 0 || g.ResolvedDays is null ? null : (double)g.ResolvedDays.Value / g.Resolved)
            : new LeaderWorkload(l.Id, l.Name, l.Title, 0, 0, 0, 0, 0, null))];
    }

    /// <summary>One row per leader with 包案 (GROUP BY LeaderId), counted in SQL.</summary>
    internal static IQueryable<WorkloadGroup> WorkloadGroups(AppDbContext db, DateOnly today) =>
        db.LeaderAssignments.AsNoTracking()
            .GroupBy(a => a.LeaderId)
            .Select(g => new WorkloadGroup
            {
                LeaderId = g.Key,
                Active = g.Count(a => a.Status == AssignmentStatus.Active),
                Relapsed = g.Count(a => a.Status == AssignmentStatus.Relapsed),
                Overdue = g.Count(a => AssignmentLifecycle.InForceStates.Contains(a.Status) && a.DueOn < today),
                Resolved = g.Count(a => a.Status == AssignmentStatus.Resolved),
                Total = g.Count(),
                ResolvedDays = g.Where(a => a.Status == AssignmentStatus.Resolved && a.ResolvedOn != null)
                    .Sum(a => (int?)(a.ResolvedOn!.Value.DayNumber - a.AssignedOn.DayNumber)),
            });

    private static async Task<IReadOnlyDictionary<int, WorkloadGroup>> WorkloadGroupsAsync(AppDbContext db, DateOnly today, CancellationToken ct) =>
        await WorkloadGroups(db, today).ToDictionaryAsync(g => g.LeaderId, ct);

    public sealed class WorkloadGroup
    {
        public int LeaderId { get; init; }
        public int Active { get; init; }
        public int Relapsed { get; init; }
        public int Overdue { get; init; }
        public int Resolved { get; init; }
        public int Total { get; init; }
        public int? ResolvedDays { get; init; }
    }

    public async Task<(int Id, string Name, string Title)?> LeaderAsync(int leaderId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewAssignments);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var l = await db.Leaders.AsNoTracking().FirstOrDefaultAsync(x => x.Id == leaderId, ct);
        return l is null ? null : (l.Id, l.Name, l.Title);
    }

    /// <summary>
    /// A page of 包案 (a leader's, or a batch's), filtered, ordered and paged in SQL: 反弹 first, then 超期, 临期, 正常, then
    /// the resolved ones; within a group by deadline.
    /// </summary>
    public async Task<AssignmentPage> ListAsync(AssignmentListQuery query, CancellationToken ct = default)
    {
        guard.Ensure(query.LeaderId is { } own && own == guard.User.LeaderId
            ? Policies.CanEditOwnAssignments : Policies.CanViewAssignments);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = clock.Today();
        var total = await Filtered(db, query, today).CountAsync(ct);
        var page = await PageQuery(db, query, today, Limits.WarnDays).ToListAsync(ct);
        return new AssignmentPage([.. page.Select(r => r.ToRow(today, Limits.WarnDays))], total);
    }

    private static IQueryable<LeaderAssignment> Filtered(AppDbContext db, AssignmentListQuery query, DateOnly today)
    {
        var q = db.LeaderAssignments.AsNoTracking().AsQueryable();
        if (query.LeaderId is { } leaderId) q = q.Where(a => a.LeaderId == leaderId);
        if (query.BatchId is { } batchId) q = q.Where(a => a.BatchId == batchId);
        return query.Filter switch
        {
            AssignmentFilter.Open => q.Where(AssignmentLifecycle.InForce),
            AssignmentFilter.Relapsed => q.Where(a => a.Status == AssignmentStatus.Relapsed),
            AssignmentFilter.Overdue => q.Where(AssignmentLifecycle.InForce).Where(a => a.DueOn < today),
            AssignmentFilter.Resolved => q.Where(a => a.Status == AssignmentStatus.Resolved),
            _ => q,
        };
    }

    /// <summary>The page of rows: urgency order (反弹, 超期, 临期, 正常, 已化解) and paging, in SQL.</summary>
    internal static IQueryable<RawRow> PageQuery(AppDbContext db, AssignmentListQuery query, DateOnly today, int warnDays)
    {
        var overdueUntil = DeadlineStatusRule.DueRange(DeadlineStatus.Overdue, today, warnDays).To!.Value;
        var dueSoonUntil = DeadlineStatusRule.DueRange(DeadlineStatus.DueSoon, today, warnDays).To!.Value;
        return Filtered(db, query, today)
            .OrderBy(a => a.Status == AssignmentStatus.Relapsed ? 0
                : a.Status == AssignmentStatus.Resolved ? 4
                : a.DueOn <= overdueUntil ? 1
                : a.DueOn <= dueSoonUntil ? 2 : 3)
            .ThenBy(a => a.Status == AssignmentStatus.Resolved ? DateOnly.MaxValue : a.DueOn)
            .ThenByDescending(a => a.ResolvedOn)
            .ThenBy(a => a.Id)
            .Skip(Math.Max(0, query.Page) * query.PageSize).Take(query.PageSize)
            .Select(RowProjection(db));
    }

    /// <summary>One 包案 with its plan, its deadline explained, progress, extension requests and the case-timeline history.</summary>
    public async Task<AssignmentDetail?> DetailAsync(int assignmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = clock.Today();
        var raw = await db.LeaderAssignments.AsNoTracking().Where(a => a.Id == assignmentId).Select(RowProjection(db)).FirstOrDefaultAsync(ct);
        if (raw is null) return null;
        guard.Ensure(raw.LeaderId == guard.User.LeaderId ? Policies.CanEditOwnAssignments : Policies.CanViewAssignments);
        var extra = await db.LeaderAssignments.AsNoTracking().Where(a => a.Id == assignmentId)
            .Select(a => new { a.LeaderId, a.Leader.Name, a.Leader.Title, a.CoUnits, a.StabilityPerson, a.Plan, a.ResolutionResult, a.ThreadId })
            .FirstAsync(ct);
        var progress = await db.AssignmentProgress.AsNoTracking().Where(p => p.AssignmentId == assignmentId)
            .OrderByDescending(p => p.On).ThenByDescending(p => p.Id)
            .Select(p => new ProgressLine(p.On, p.Action, p.Actor)).ToListAsync(ct);
        var extensions = await db.AssignmentExtensionRequests.AsNoTracking().Where(r => r.AssignmentId == assignmentId)
            .OrderByDescending(r => r.Id)
            .Select(r => new ExtensionLine(r.Id, r.Days, r.Reason, r.RequestedBy, r.RequestedOn, r.Status, r.DecidedBy, r.DecidedOn, r.DecisionNote))
            .ToListAsync(ct);
        var history = await db.PetitionEvents.AsNoTracking()
            .Where(e => e.Kind == PetitionEventKind.AssignmentChanged)
            .Join(db.Petitions.Where(p => p.ThreadId == extra.ThreadId), e => e.PetitionId, p => p.Id, (e, p) => new { e, p.CaseNumber })
            .OrderByDescending(x => x.e.Id)
            .Take(200)
            .Select(x => new HistoryLine(x.e.AtUtc, x.e.On, x.e.Actor, x.e.Detail, x.e.Note, x.CaseNumber))
            .ToListAsync(ct);
        var people = await PeopleNames.LoadAsync(db, progress.Select(p => p.Actor).Concat(history.Select(h => h.Actor))
            .Concat(extensions.SelectMany(e => new[] { e.RequestedBy, e.DecidedBy })), ct);
        progress = [.. progress.Select(p => p with { Actor = people.Of(p.Actor)! })];
        history = [.. history.Select(h => h with { Actor = people.Of(h.Actor)! })];
        extensions = [.. extensions.Select(e => e with { RequestedBy = people.Of(e.RequestedBy)!, DecidedBy = people.Of(e.DecidedBy) })];
        var row = raw.ToRow(today, Limits.WarnDays);
        return new AssignmentDetail(row, extra.LeaderId, extra.Name, extra.Title, extra.CoUnits, extra.StabilityPerson, extra.Plan,
            extra.ResolutionResult, deadlines.Assignment(row.AssignedOn, row.ExtensionDays), progress, extensions, history,
            Math.Max(0, Limits.AssignmentMaxExtensionDays - row.ExtensionDays));
    }

    /// <summary>The 包案 of the thread a case belongs to (the newest one), for the case page; null when there is none.</summary>
    public async Task<CaseAssignmentView?> ForCaseAsync(string caseNumber, CancellationToken ct = default)
    {
        guard.Ensure(guard.Allows(Policies.CanAssign) ? Policies.CanAssign : Policies.CanViewAssignments);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var number = caseNumber.Trim();
        var threadId = await db.Petitions.AsNoTracking().Where(p => p.CaseNumber == number).Select(p => (int?)p.ThreadId).FirstOrDefaultAsync(ct);
        if (threadId is null) return null;
        var a = await db.LeaderAssignments.AsNoTracking().Where(x => x.ThreadId == threadId)
            .OrderByDescending(x => x.AssignedOn).ThenByDescending(x => x.Id)
            .Select(x => new
            {
                x.Id, x.Leader.Name, x.Leader.Title, Unit = x.LeadUnit.Name, x.ResponsiblePerson, x.AssignedOn, x.DueOn, x.Status, x.ResolvedOn,
                Last = x.Progress.OrderByDescending(p => p.On).ThenByDescending(p => p.Id).Select(p => p.Action).FirstOrDefault(),
                LastOn = x.Progress.OrderByDescending(p => p.On).ThenByDescending(p => p.Id).Select(p => (DateOnly?)p.On).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (a is null) return null;
        var today = clock.Today();
        return new CaseAssignmentView(a.Id, a.Name, a.Title, a.Unit, a.ResponsiblePerson, a.AssignedOn, a.DueOn, a.Status,
            DeadlineStatusOf(a.Status, a.DueOn, a.ResolvedOn, today, Limits.WarnDays), a.Last, a.LastOn);
    }

    /// <summary>集中交办 batches, newest first, with their case counts, paged in SQL.</summary>
    public async Task<(IReadOnlyList<BatchRow> Rows, int Total)> BatchesAsync(int page, int pageSize, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewAssignments);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await db.AssignmentBatches.CountAsync(ct);
        var rows = await db.AssignmentBatches.AsNoTracking().OrderByDescending(b => b.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize)
            .Select(b => new BatchRow(b.Id, b.Name, b.CreatedOn, b.CreatedBy,
                db.LeaderAssignments.Count(a => a.BatchId == b.Id),
                db.LeaderAssignments.Count(a => a.BatchId == b.Id && a.Status == AssignmentStatus.Resolved),
                db.LeaderAssignments.Where(AssignmentLifecycle.InForce).Count(a => a.BatchId == b.Id)))
            .ToListAsync(ct);
        var people = await PeopleNames.LoadAsync(db, rows.Select(r => r.CreatedBy), ct);
        return ([.. rows.Select(r => r with { CreatedBy = people.Of(r.CreatedBy)! })], total);
    }

    public async Task<BatchRow?> BatchAsync(int batchId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewAssignments);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = await db.AssignmentBatches.AsNoTracking().Where(b => b.Id == batchId)
            .Select(b => new BatchRow(b.Id, b.Name, b.CreatedOn, b.CreatedBy,
                db.LeaderAssignments.Count(a => a.BatchId == b.Id),
                db.LeaderAssignments.Count(a => a.BatchId == b.Id && a.Status == AssignmentStatus.Resolved),
                db.LeaderAssignments.Where(AssignmentLifecycle.InForce).Count(a => a.BatchId == b.Id)))
            .FirstOrDefaultAsync(ct);
        if (batch is null) return null;
        var people = await PeopleNames.LoadAsync(db, [batch.CreatedBy], ct);
        return batch with { CreatedBy = people.Of(batch.CreatedBy)! };
    }

    /// <summary>Extension requests waiting for a decision, oldest first.</summary>
    public async Task<IReadOnlyList<PendingExtensionRow>> PendingExtensionsAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanApproveExtensions);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AssignmentExtensionRequests.AsNoTracking()
            .Where(r => r.Status == ExtensionRequestStatus.Pending)
            .Join(db.LeaderAssignments, r => r.AssignmentId, a => a.Id, (r, a) => new { r, a })
            .OrderBy(x => x.r.Id)
            .Take(500)
            .Select(x => new PendingExtensionRow(x.r.Id, x.a.Id,
                x.a.Thread.Petitions.OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).Select(p => p.CaseNumber).FirstOrDefault() ?? "",
                x.a.Leader.Name, x.a.Leader.Title, x.a.DueOn, x.a.ExtensionDays, x.r.Days, x.r.Reason, x.r.RequestedBy, x.r.RequestedOn))
            .ToListAsync(ct);
        var people = await PeopleNames.LoadAsync(db, rows.Select(r => r.RequestedBy), ct);
        return [.. rows.Select(r => r with { RequestedBy = people.Of(r.RequestedBy)! })];
    }

    internal static DeadlineStatus DeadlineStatusOf(AssignmentStatus status, DateOnly dueOn, DateOnly? resolvedOn, DateOnly today, int warnDays) =>
        status == AssignmentStatus.Resolved && resolvedOn is { } done
            ? done <= dueOn ? DeadlineStatus.OnTime : DeadlineStatus.Late
            : DeadlineStatusRule.OfOpen(dueOn, today, warnDays);

    /// <summary>The columns of a list row, all read in one SQL statement (the case shown is the thread's first petition, 初件).</summary>
    private static Expression<Func<LeaderAssignment, RawRow>> RowProjection(AppDbContext db) => a => new RawRow
    {
        Id = a.Id,
        Version = a.Version,
        LeaderId = a.LeaderId,
        CaseNumber = a.Thread.Petitions.OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).Select(p => p.CaseNumber).FirstOrDefault() ?? "",
        PetitionerNames = a.Thread.Petitions.OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).Select(p => p.PetitionerNames).FirstOrDefault() ?? "",
        Locality = a.Thread.Petitions.OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).Select(p => p.Locality).FirstOrDefault() ?? "",
        Category = a.Thread.Petitions.OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).Select(p => p.Category).FirstOrDefault() ?? "",
        Demand = a.Thread.Petitions.OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).Select(p => p.Demand).FirstOrDefault() ?? "",
        LeadUnit = a.LeadUnit.Name,
        ResponsiblePerson = a.ResponsiblePerson,
        AssignedOn = a.AssignedOn,
        DueOn = a.DueOn,
        ExtensionDays = a.ExtensionDays,
        Status = a.Status,
        ResolvedOn = a.ResolvedOn,
        LastProgress = a.Progress.OrderByDescending(p => p.On).ThenByDescending(p => p.Id).Select(p => p.Action).FirstOrDefault(),
        LastProgressOn = a.Progress.OrderByDescending(p => p.On).ThenByDescending(p => p.Id).Select(p => (DateOnly?)p.On).FirstOrDefault(),
        ExtensionPending = db.AssignmentExtensionRequests.Any(r => r.AssignmentId == a.Id && r.Status == ExtensionRequestStatus.Pending),
        BatchName = db.AssignmentBatches.Where(b => b.Id == a.BatchId).Select(b => b.Name).FirstOrDefault(),
    };

    internal sealed class RawRow
    {
        public int Id { get; init; }
        public int Version { get; init; }
        public int LeaderId { get; init; }
        public string CaseNumber { get; init; } = "";
        public string PetitionerNames { get; init; } = "";
        public string Locality { get; init; } = "";
        public string Category { get; init; } = "";
        public string Demand { get; init; } = "";
        public string LeadUnit { get; init; } = "";
        public string ResponsiblePerson { get; init; } = "";
        public DateOnly AssignedOn { get; init; }
        public DateOnly DueOn { get; init; }
        public int ExtensionDays { get; init; }
        public AssignmentStatus Status { get; init; }
        public DateOnly? ResolvedOn { get; init; }
        public string? LastProgress { get; init; }
        public DateOnly? LastProgressOn { get; init; }
        public bool ExtensionPending { get; init; }
        public string? BatchName { get; init; }

        public AssignmentRow ToRow(DateOnly today, int warnDays) => new(
            Id, Version, CaseNumber, PetitionerNames, Locality, Category, Demand, LeadUnit, ResponsiblePerson, AssignedOn, DueOn,
            ExtensionDays, Status, ResolvedOn, DeadlineStatusOf(Status, DueOn, ResolvedOn, today, warnDays),
            DueOn.DayNumber - today.DayNumber, LastProgress, LastProgressOn, ExtensionPending, BatchName);
    }
}

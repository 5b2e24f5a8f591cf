using System.Linq.Expressions;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Backlog;

/// <summary>
/// The one translation of a <see cref="BacklogFilter"/> into SQL predicates. The grid, the KPI cards and the aging
/// buckets all go through <see cref="Predicate"/>, so a card's number is exactly the row count of the grid it links to.
/// Deadline status and age are turned into date ranges on stored columns (CurrentDueDate, ReceivedOn) so they run in
/// SQL and can use the (State, CurrentDueDate) and (State, ReceivedOn) indexes.
/// </summary>
public static class BacklogQuery
{
    /// <param name="sources">Subqueries over the same context that make some filters cheaper (null: the plain predicates).</param>
    public static IQueryable<Petition> Apply(this IQueryable<Petition> source, BacklogFilter filter, DateOnly today, int warnDays,
        BacklogQuerySources? sources = null) =>
        source.Where(Predicate(filter, today, warnDays, sources));

    public static Expression<Func<Petition, bool>> Predicate(BacklogFilter f, DateOnly today, int warnDays, BacklogQuerySources? sources = null)
    {
        var textCandidates = sources?.TextCandidates;
        var inForceThreads = sources?.InForceThreadIds;
        var highRiskIds = sources?.HighRiskPetitionIds;
        var parts = new List<Expression<Func<Petition, bool>>>();

        if (RestrictsToOpen(f)) parts.Add(IsOpen);

        if (f.Deadline is { } status)
        {
            var (dueFrom, dueTo) = DeadlineStatusRule.DueRange(status, today, warnDays);
            if (dueFrom is { } lo) parts.Add(p => p.CurrentDueDate >= lo);
            if (dueTo is { } hi) parts.Add(p => p.CurrentDueDate <= hi);
            if (dueFrom is null && dueTo is null) parts.Add(p => false);
        }
        if (f.Age is { } bucket)
        {
            var (receivedFrom, receivedTo) = ReceivedRange(bucket, today);
            if (receivedFrom is { } lo) parts.Add(p => p.ReceivedOn >= lo);
            if (receivedTo is { } hi) parts.Add(p => p.ReceivedOn <= hi);
        }
        if (f.UnitId is { } unitId) parts.Add(p => p.UnitId == unitId);
        if (!string.IsNullOrWhiteSpace(f.Category))
        {
            var category = f.Category.Trim();
            parts.Add(p => p.Category == category);
        }
        if (f.Form is { } form) parts.Add(p => p.Form == form);
        if (f.Supervision is { } level) parts.Add(p => p.Supervision == level);
        if (f.HasAssignment is { } has && inForceThreads is not null)
        {
            // 无包案: the threads under a 包案 in force are a few thousand: one set, probed per open row (the open indexes
            // carry ThreadId), instead of a correlated NOT EXISTS per row (5 s at 1M on SQLite before they did).
            // 有包案: a correlated EXISTS on the same rows, so SQLite walks the open index in the page's order and stops
            // after 20 rows; with the set it sought every thread's petitions and sorted them (1M: 82 → ≈ 30 ms CPU).
            if (has) parts.Add(p => inForceThreads.Any(threadId => threadId == p.ThreadId));
            else parts.Add(p => !inForceThreads.Contains(p.ThreadId));
        }
        else if (f.HasAssignment is { } hasAny)
        {
            if (hasAny) parts.Add(p => p.Thread.Assignments.AsQueryable().Any(AssignmentLifecycle.InForce));
            else parts.Add(p => !p.Thread.Assignments.AsQueryable().Any(AssignmentLifecycle.InForce));
        }
        // A constant test, not a parameter: it matches the partial index on repeats (GridIndexSteps) that counts them.
        if (f.IsRepeat is { } repeat) parts.Add(repeat ? p => p.IsRepeat : p => !p.IsRepeat);
        // The high-risk petitions are a few thousand: with the set (an IN over the (High, PetitionId) index) SQLite seeks
        // them by key; the join form made it walk every open petition and probe the score table (1M: 54–220 → 12 ms).
        if (f.HighRisk == true)
        {
            if (highRiskIds is not null) parts.Add(p => highRiskIds.Contains(p.Id));
            else parts.Add(p => p.Risk != null && p.Risk.High);
        }
        // 领导接访件 are few: "is not null" seeks the filtered index on LeaderReceptionOn.
        if (f.LeaderReception is { } reception) parts.Add(reception ? p => p.LeaderReceptionOn != null : p => p.LeaderReceptionOn == null);
        if (f.ReceivedFrom is { } from) parts.Add(p => p.ReceivedOn >= from);
        if (f.ReceivedTo is { } to) parts.Add(p => p.ReceivedOn <= to);
        if (!string.IsNullOrWhiteSpace(f.Text))
        {
            // "Contains" on three text columns cannot use a B-tree index; at 1M rows it is a scan of every petition. The
            // full-text index (BacklogTextSearch) narrows to its candidates first, and this exact predicate then keeps
            // exactly the rows a scan would: the index decides the speed, never the result.
            var q = f.Text.Trim();
            if (sources?.CaseNumberPrefix is { } prefix)
            {
                // A count by case-number prefix: the range is read from the CaseNumber index alone, and only the other
                // candidates get the exact test (BacklogTextSearch.CaseNumberPrefixFor) — the same rows, far fewer reads.
                var (caseFrom, caseTo, others) = (prefix.From, prefix.To, prefix.Others);
                parts.Add(p => (string.Compare(p.CaseNumber, caseFrom) >= 0 && string.Compare(p.CaseNumber, caseTo) < 0)
                               || (others.Contains(p.Id)
                                   && (p.CaseNumber.Contains(q) || p.PetitionerNames.Contains(q) || p.Demand.Contains(q))));
            }
            else
            {
                // "Id + 0" hides the key from the planner: SQLite then walks the index of the sort (or the open index) in
                // order and probes the candidate set, instead of fetching every candidate by key and sorting them all.
                if (textCandidates is not null)
                    parts.Add(sources!.ProbeTextCandidates ? p => textCandidates.Contains(p.Id + 0) : p => textCandidates.Contains(p.Id));
                // Exact candidates are already the rows holding the text: the test would only read every row again.
                if (textCandidates is null || !sources!.TextCandidatesExact)
                    parts.Add(p => p.CaseNumber.Contains(q) || p.PetitionerNames.Contains(q) || p.Demand.Contains(q));
            }
        }
        return And(parts);
    }

    /// <summary>
    /// Subqueries of one DbContext the predicate may use: the full-text index's candidate ids for the text
    /// (<see cref="BacklogTextSearch"/>) and the threads with a 包案 in force.
    /// </summary>
    /// <param name="CaseNumberPrefix">For a COUNT only: the page's sort reads the rows anyway, and there the plain
    /// candidates are cheaper than the union of the range and the others.</param>
    /// <param name="TextCandidatesExact">The candidates are exactly the rows holding the text
    /// (<see cref="BacklogTextSearch.CandidatesAreExact"/>): the exact test is left out.</param>
    /// <param name="ProbeTextCandidates">Test each row of the index SQLite walks against the candidate set rather than
    /// drive from the candidates: cheaper when they are many (BacklogService decides).</param>
    public sealed record BacklogQuerySources(IQueryable<int>? TextCandidates, IQueryable<int>? InForceThreadIds,
        IQueryable<int>? HighRiskPetitionIds = null, BacklogTextSearch.CaseNumberPrefix? CaseNumberPrefix = null,
        bool TextCandidatesExact = false, bool ProbeTextCandidates = false);

    /// <summary>
    /// Whether the filter shows open petitions only: 在办, or a deadline status or an age, which are defined for open
    /// petitions only (docs/rules.md §4), whatever the scope says.
    /// </summary>
    public static bool RestrictsToOpen(BacklogFilter f) => f.Scope == BacklogScope.Open || f.Deadline is not null || f.Age is not null;

    /// <summary>An age bucket (age = today − received on) as an inclusive range of received dates (null = unbounded).</summary>
    public static (DateOnly? From, DateOnly? To) ReceivedRange(AgeBucket bucket, DateOnly today) => bucket switch
    {
        // ≤ 15 has no lower age bound, so a received date after today (a data error) still falls in a bucket.
        AgeBucket.UpTo15 => (today.AddDays(-15), null),
        AgeBucket.Days16To60 => (today.AddDays(-60), today.AddDays(-16)),
        AgeBucket.Days61To90 => (today.AddDays(-90), today.AddDays(-61)),
        AgeBucket.Days91To180 => (today.AddDays(-180), today.AddDays(-91)),
        AgeBucket.Over180 => (null, today.AddDays(-181)),
        _ => (null, null),
    };

    public static string Label(this AgeBucket bucket) => bucket switch
    {
        AgeBucket.UpTo15 => "15 天以内",
        AgeBucket.Days16To60 => "16–60 天",
        AgeBucket.Days61To90 => "61–90 天",
        AgeBucket.Days91To180 => "91–180 天",
        AgeBucket.Over180 => "180 天以上",
        _ => bucket.ToString(),
    };

    /// <summary>
    /// Open (在办) as constant comparisons, so every provider gets a plain IN-list it can seek with the State indexes,
    /// also inside the conditional aggregates of the KPI query.
    /// </summary>
    public static readonly Expression<Func<Petition, bool>> IsOpen = ConstantSets.OneOf<Petition, PetitionState>(nameof(Petition.State), PetitionLifecycle.OpenStates);

    private static Expression<Func<Petition, bool>> And(List<Expression<Func<Petition, bool>>> parts)
    {
        if (parts.Count == 0) return p => true;
        var p = Expression.Parameter(typeof(Petition), "p");
        var body = parts.Select(e => new Rebind(e.Parameters[0], p).Visit(e.Body)).Aggregate(Expression.AndAlso);
        return Expression.Lambda<Func<Petition, bool>>(body, p);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

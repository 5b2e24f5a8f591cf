using System.Linq.Expressions;
using PetitionDashboard.Data;
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

    /// <summary>
    /// The filter's predicate for a LINQ query: its shape's predicate (<see cref="Body"/>) with the filter's values as a
    /// constant <see cref="BacklogArgs"/> (EF sends each member it reads as a parameter, as it did the captured locals)
    /// and the sources' subqueries spliced in.
    /// </summary>
    public static Expression<Func<Petition, bool>> Predicate(BacklogFilter f, DateOnly today, int warnDays, BacklogQuerySources? sources = null)
    {
        var args = BacklogArgs.Of(f, today, warnDays);
        if (sources?.CaseNumberPrefix is { } prefix) args = args with { CaseFrom = prefix.From, CaseTo = prefix.To };
        var p = Expression.Parameter(typeof(Petition), "p");
        var sets = new Sets(sources?.TextCandidates?.Expression, sources?.InForceThreadIds?.Expression, sources?.HighRiskPetitionIds?.Expression,
            sources?.CaseNumberPrefix?.Others.Expression, sources?.TextCandidatesExact ?? false, sources?.ProbeTextCandidates ?? false);
        return Expression.Lambda<Func<Petition, bool>>(Body(ShapeOf(f), p, Expression.Constant(args), sets), p);
    }

    /// <summary>
    /// The same predicate for a compiled query (<see cref="BacklogGridQuery"/>): the shape's predicate over the compiled
    /// query's own parameters, the context (its subqueries: 包案 in force, high risk) and the values. Free text: its
    /// candidates are the ids read from the full-text index first (<see cref="BacklogArgs.Candidates"/>).
    /// </summary>
    /// <param name="textCandidatesExact">Free text only: the candidates are exactly the rows holding the text
    /// (<see cref="BacklogTextSearch.CandidatesAreExact"/>), so the exact test is left out.</param>
    /// <param name="probeTextCandidates">Free text only: <see cref="BacklogQuerySources.ProbeTextCandidates"/>.</param>
    internal static Expression<Func<Petition, bool>> Predicate(BacklogFilter shape, ParameterExpression db, ParameterExpression args,
        bool textCandidatesExact = false, bool probeTextCandidates = false)
    {
        var p = Expression.Parameter(typeof(Petition), "p");
        var candidates = string.IsNullOrWhiteSpace(shape.Text) ? null
            : Expression.Call(typeof(Queryable), nameof(Queryable.AsQueryable), [typeof(int)], Expression.Property(args, nameof(BacklogArgs.Candidates)));
        var sets = new Sets(candidates, Bind(InForceThreadIdsOf, db), Bind(HighRiskPetitionIdsOf, db), null, textCandidatesExact, probeTextCandidates);
        return Expression.Lambda<Func<Petition, bool>>(Body(shape, p, args, sets), p);
    }

    /// <summary>
    /// What decides a filter's predicate apart from its values: which filters are set, the scope, the deadline status and
    /// age bucket (which bounds they have), the yes/no filters (each side is its own test). Two filters of one shape get
    /// the same predicate with other <see cref="BacklogArgs"/>. <see cref="Predicate(BacklogFilter, DateOnly, int, BacklogQuerySources?)"/>
    /// builds from the shape too, so a value read from the filter instead of the args would fail the tests of both paths.
    /// </summary>
    public static BacklogFilter ShapeOf(BacklogFilter f) => f with
    {
        UnitId = f.UnitId is null ? null : 0,
        Category = string.IsNullOrWhiteSpace(f.Category) ? null : "*",
        Form = f.Form is null ? null : default(PetitionForm),
        Supervision = f.Supervision is null ? null : default(SupervisionLevel),
        ReceivedFrom = f.ReceivedFrom is null ? null : DateOnly.MinValue,
        ReceivedTo = f.ReceivedTo is null ? null : DateOnly.MinValue,
        Text = string.IsNullOrWhiteSpace(f.Text) ? null : "*",
        HighRisk = f.HighRisk == true ? true : null,
    };

    /// <summary>The threads with a 包案 in force, and the high-risk petitions: the sets some filters probe.</summary>
    internal static readonly Expression<Func<AppDbContext, IQueryable<int>>> InForceThreadIdsOf =
        db => db.LeaderAssignments.Where(AssignmentLifecycle.InForce).Select(a => a.ThreadId);

    internal static readonly Expression<Func<AppDbContext, IQueryable<int>>> HighRiskPetitionIdsOf =
        db => db.RiskScores.Where(r => r.High).Select(r => r.PetitionId);

    private static readonly Func<AppDbContext, IQueryable<int>> InForceThreadIdsQuery = InForceThreadIdsOf.Compile();
    private static readonly Func<AppDbContext, IQueryable<int>> HighRiskPetitionIdsQuery = HighRiskPetitionIdsOf.Compile();

    /// <summary>The sources of the set forms of 有/无包案 and 高风险, as queries of one context (the LINQ path).</summary>
    public static IQueryable<int> InForceThreadIds(AppDbContext db) => InForceThreadIdsQuery(db);

    public static IQueryable<int> HighRiskPetitionIds(AppDbContext db) => HighRiskPetitionIdsQuery(db);

    private static readonly DateOnly AnyDay = new(2000, 1, 1);

    /// <summary>The subqueries a predicate splices in (null: the plain forms), as expressions of either path.</summary>
    private sealed record Sets(Expression? TextCandidates, Expression? InForceThreadIds, Expression? HighRiskIds, Expression? CaseNumberOthers,
        bool TextCandidatesExact, bool ProbeTextCandidates);

    /// <summary>
    /// The one translation of a filter into SQL predicates, from its shape (<see cref="ShapeOf"/>: which tests) and an
    /// expression of its values (<paramref name="a"/>: a constant args object, or a compiled query's parameter).
    /// </summary>
    private static Expression Body(BacklogFilter f, ParameterExpression p, Expression a, Sets sets)
    {
        var parts = new List<Expression>();
        void Add(Expression<Func<Petition, BacklogArgs, bool>> e) => parts.Add(Bind(e, p, a));
        void AddOver(Expression set, Expression<Func<Petition, BacklogArgs, IQueryable<int>, bool>> e) => parts.Add(Bind(e, p, a, set));

        if (RestrictsToOpen(f)) parts.Add(Bind(IsOpen, p));

        if (f.Deadline is { } status)
        {
            // Which bounds a status has depends on the status alone (part of the shape); their dates are values.
            var (dueFrom, dueTo) = DeadlineStatusRule.DueRange(status, AnyDay, 0);
            if (dueFrom is not null) Add((p, a) => p.CurrentDueDate >= a.DueFrom);
            if (dueTo is not null) Add((p, a) => p.CurrentDueDate <= a.DueTo);
            if (dueFrom is null && dueTo is null) Add((p, a) => false);
        }
        if (f.Age is { } bucket)
        {
            var (receivedFrom, receivedTo) = ReceivedRange(bucket, AnyDay);
            if (receivedFrom is not null) Add((p, a) => p.ReceivedOn >= a.AgeFrom);
            if (receivedTo is not null) Add((p, a) => p.ReceivedOn <= a.AgeTo);
        }
        if (f.UnitId is not null) Add((p, a) => p.UnitId == a.UnitId);
        if (!string.IsNullOrWhiteSpace(f.Category)) Add((p, a) => p.Category == a.Category);
        if (f.Form is not null) Add((p, a) => p.Form == a.Form);
        if (f.Supervision is not null) Add((p, a) => p.Supervision == a.Supervision);
        if (f.HasAssignment is { } has && sets.InForceThreadIds is { } inForceThreads)
        {
            // 无包案: the threads under a 包案 in force are a few thousand: one set, probed per open row (the open indexes
            // carry ThreadId), instead of a correlated NOT EXISTS per row (5 s at 1M on SQLite before they did).
            // 有包案: a correlated EXISTS on the same rows, so SQLite walks the open index in the page's order and stops
            // after 20 rows; with the set it sought every thread's petitions and sorted them (1M: 82 → ≈ 30 ms CPU).
            if (has) AddOver(inForceThreads, (p, a, threads) => threads.Any(threadId => threadId == p.ThreadId));
            else AddOver(inForceThreads, (p, a, threads) => !threads.Contains(p.ThreadId));
        }
        else if (f.HasAssignment is { } hasAny)
        {
            if (hasAny) Add((p, a) => p.Thread.Assignments.AsQueryable().Any(AssignmentLifecycle.InForce));
            else Add((p, a) => !p.Thread.Assignments.AsQueryable().Any(AssignmentLifecycle.InForce));
        }
        // A constant test, not a parameter: it matches the partial index on repeats (GridIndexSteps) that counts them.
        if (f.IsRepeat is { } repeat) Add(repeat ? (p, a) => p.IsRepeat : (p, a) => !p.IsRepeat);
        // The high-risk petitions are a few thousand: with the set (an IN over the (High, PetitionId) index) SQLite seeks
        // them by key; the join form made it walk every open petition and probe the score table (1M: 54–220 → 12 ms).
        if (f.HighRisk == true)
        {
            if (sets.HighRiskIds is { } highRiskIds) AddOver(highRiskIds, (p, a, ids) => ids.Contains(p.Id));
            else Add((p, a) => p.Risk != null && p.Risk.High);
        }
        // 领导接访件 are few: "is not null" seeks the filtered index on LeaderReceptionOn.
        if (f.LeaderReception is { } reception) Add(reception ? (p, a) => p.LeaderReceptionOn != null : (p, a) => p.LeaderReceptionOn == null);
        if (f.ReceivedFrom is not null) Add((p, a) => p.ReceivedOn >= a.ReceivedFrom);
        if (f.ReceivedTo is not null) Add((p, a) => p.ReceivedOn <= a.ReceivedTo);
        if (!string.IsNullOrWhiteSpace(f.Text))
        {
            // "Contains" on three text columns cannot use a B-tree index; at 1M rows it is a scan of every petition. The
            // full-text index (BacklogTextSearch) narrows to its candidates first, and this exact predicate then keeps
            // exactly the rows a scan would: the index decides the speed, never the result.
            if (sets.CaseNumberOthers is { } others)
            {
                // A count by case-number prefix: the range is read from the CaseNumber index alone, and only the other
                // candidates get the exact test (BacklogTextSearch.CaseNumberPrefixFor) — the same rows, far fewer reads.
                AddOver(others, (p, a, others) => (string.Compare(p.CaseNumber, a.CaseFrom) >= 0 && string.Compare(p.CaseNumber, a.CaseTo) < 0)
                                                  || (others.Contains(p.Id)
                                                      && (p.CaseNumber.Contains(a.Text) || p.PetitionerNames.Contains(a.Text) || p.Demand.Contains(a.Text))));
            }
            else
            {
                // "Id + 0" hides the key from the planner: SQLite then walks the index of the sort (or the open index) in
                // order and probes the candidate set, instead of fetching every candidate by key and sorting them all.
                if (sets.TextCandidates is { } candidates)
                    AddOver(candidates, sets.ProbeTextCandidates ? (p, a, ids) => ids.Contains(p.Id + 0) : (p, a, ids) => ids.Contains(p.Id));
                // Exact candidates are already the rows holding the text: the test would only read every row again.
                if (sets.TextCandidates is null || !sets.TextCandidatesExact)
                    Add((p, a) => p.CaseNumber.Contains(a.Text) || p.PetitionerNames.Contains(a.Text) || p.Demand.Contains(a.Text));
            }
        }
        return parts.Count == 0 ? Expression.Constant(true) : parts.Aggregate(Expression.AndAlso);
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

    /// <summary>A lambda's body with its parameters replaced, in order, by the given expressions.</summary>
    internal static Expression Bind(LambdaExpression e, params Expression[] with) =>
        new Rebind(e.Parameters.Zip(with).ToDictionary(x => (Expression)x.First, x => x.Second)).Visit(e.Body);

    private sealed class Rebind(Dictionary<Expression, Expression> map) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => map.TryGetValue(node, out var to) ? to : base.VisitParameter(node);
    }
}

/// <summary>
/// The values of a <see cref="BacklogFilter"/> its predicate reads (which of them, the filter's shape decides:
/// <see cref="BacklogQuery.ShapeOf"/>), so one compiled query serves every filter of a shape. Unset values are defaults
/// the predicate never reads. <see cref="Skip"/> and <see cref="Take"/> are the page's.
/// </summary>
public sealed record BacklogArgs
{
    public DateOnly DueFrom { get; init; }
    public DateOnly DueTo { get; init; }
    public DateOnly AgeFrom { get; init; }
    public DateOnly AgeTo { get; init; }
    public int UnitId { get; init; }
    public string Category { get; init; } = "";
    public PetitionForm Form { get; init; }
    public SupervisionLevel Supervision { get; init; }
    public DateOnly ReceivedFrom { get; init; }
    public DateOnly ReceivedTo { get; init; }
    public string Text { get; init; } = "";
    public string CaseFrom { get; init; } = "";
    public string CaseTo { get; init; } = "";
    /// <summary>The full-text index's candidates for <see cref="Text"/>, read first: the compiled free-text path's.</summary>
    public int[] Candidates { get; init; } = [];
    public int Skip { get; init; }
    public int Take { get; init; }

    public static BacklogArgs Of(BacklogFilter f, DateOnly today, int warnDays)
    {
        var (dueFrom, dueTo) = f.Deadline is { } status ? DeadlineStatusRule.DueRange(status, today, warnDays) : (null, null);
        var (ageFrom, ageTo) = f.Age is { } bucket ? BacklogQuery.ReceivedRange(bucket, today) : (null, null);
        return new BacklogArgs
        {
            DueFrom = dueFrom ?? default, DueTo = dueTo ?? default,
            AgeFrom = ageFrom ?? default, AgeTo = ageTo ?? default,
            UnitId = f.UnitId ?? 0,
            Category = f.Category?.Trim() ?? "",
            Form = f.Form ?? default,
            Supervision = f.Supervision ?? default,
            ReceivedFrom = f.ReceivedFrom ?? default, ReceivedTo = f.ReceivedTo ?? default,
            Text = f.Text?.Trim() ?? "",
        };
    }
}

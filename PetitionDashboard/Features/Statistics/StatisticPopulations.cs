using System.Linq.Expressions;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

/// <summary>
/// The one definition of every §8 measure for one week, as a predicate the database evaluates. The weekly aggregation
/// counts with these predicates and the drill-down lists with them, so a figure and its list cannot disagree.
///
/// "At the end of W" is derived from the petition's own date columns, not from its events: a petition is in the stage
/// whose start date is the latest one on or before W's Sunday (FinishedOn, RecheckAcceptedOn, ReviewDecidedOn,
/// ReviewAcceptedOn, RepliedOn, AcceptedOn, DispatchedOn, ReceivedOn — in that order of precedence). These dates are set
/// by every transition (PetitionLifecycle.Transition) and are all an imported row has, they sit on the row being counted
/// (one scan, no per-petition subquery over millions of events), and a date on or before Sunday can never be undone by a
/// later event except by an objection return (异议退回), which clears DispatchedOn: such a petition counts as
/// 登记 (waiting on the bureau) for the weeks it sat with the unit. The one event read is the extension (延期): an
/// extension counts at the end of W unless its event is dated after W's Sunday (imported extensions have no event and
/// count from acceptance).
///
/// Thread, 初件/重件 flag and 责任单位 are the ones the petition had at the end of W: the current columns, unless the
/// petition changed after W's Sunday (its ThreadChangedOn / UnitChangedOn is later), in which case the value its earliest
/// later change replaced (<see cref="PetitionThreadChange"/>, <see cref="PetitionUnitChange"/>). An unlink, a merge or
/// its undo, or a transfer to another unit never rewrites the weeks before it.
/// </summary>
public sealed class StatisticPopulations(WeekWindow window, int groupSize)
{
    public WeekWindow Window => window;

    public Expression<Func<Petition, bool>> Petitions(StatisticMeasure measure) => measure switch
    {
        StatisticMeasure.NewPetitions => New,
        StatisticMeasure.FirstPetitions => New.And(FirstAtEnd),
        StatisticMeasure.RepeatPetitions => New.And(RepeatAtEnd),
        StatisticMeasure.GroupVisitBatches or StatisticMeasure.GroupVisitPeople => GroupVisit,
        StatisticMeasure.FirstDecisionDue => FirstDecisionDue,
        StatisticMeasure.FirstDecisionOnTime => FirstDecisionDue.And(FirstDecidedByDue),
        StatisticMeasure.ReplyDue => ReplyDue,
        StatisticMeasure.RepliedOnTime => ReplyDue.And(RepliedByDue),
        StatisticMeasure.RepliedInWeek => RepliedInWeek,
        StatisticMeasure.Evaluated => RepliedInWeek.And(p => p.Evaluation != null),
        StatisticMeasure.Satisfied => RepliedInWeek.And(p =>
            p.Evaluation == Evaluation.Satisfied || p.Evaluation == Evaluation.BasicallySatisfied),
        StatisticMeasure.Open => OpenAtEnd,
        StatisticMeasure.Overdue => OverdueAtEnd,
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "该统计项需要数据库上下文（积案）或统计的是领导包案"),
    };

    public Expression<Func<LeaderAssignment, bool>> Assignments(StatisticMeasure measure)
    {
        var sunday = window.Sunday;
        return measure switch
        {
            StatisticMeasure.Assignments => a => a.AssignedOn <= sunday,
            StatisticMeasure.AssignmentsResolved => AssignmentLifecycle.ResolvedBy(sunday).And(a => a.AssignedOn <= sunday),
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "该统计项统计的是信访件"),
        };
    }

    /// <summary>
    /// The petitions that count in at least one measure of the weekly scan: every scan measure is one of these five
    /// populations, or one of them narrowed further (初件/重件 and 集体访 of the new ones, on time of the due ones,
    /// evaluated of the replied ones, overdue of the open ones), so a petition outside all five counts nowhere. The scan
    /// filters on it first: three petitions in four then skip the conditional counts (at 1M, most of the scan's CPU).
    /// </summary>
    public Expression<Func<Petition, bool>> InAnyScanMeasure => New.Or(FirstDecisionDue).Or(ReplyDue).Or(RepliedInWeek).Or(NotFinishedAtEnd);

    /// <summary>The petitions a measure counts for a unit (null: all units) — the drill-down list and the count.</summary>
    public IQueryable<Petition> Petitions(AppDbContext db, StatisticMeasure measure, int? unitId)
    {
        var q = db.Petitions.Where(measure switch
        {
            StatisticMeasure.BacklogThreads => Backlog(db),
            StatisticMeasure.BacklogResolved => Backlog(db).And(NoOpenPetitionInThread(db)),
            _ => Petitions(measure),
        });
        return unitId is { } u ? q.Where(UnitAtEnd.Then(x => x == u)) : q;
    }

    /// <summary>The petition's 责任单位 at the end of W: the unit it counts for that week (§8).</summary>
    public Expression<Func<Petition, int>> UnitAtEnd
    {
        get
        {
            var s = window.Sunday;
            return p => p.UnitChangedOn == null || p.UnitChangedOn <= s
                ? p.UnitId
                : p.UnitChanges.Where(c => c.On > s).OrderBy(c => c.On).ThenBy(c => c.Id).Select(c => (int?)c.FromUnitId).FirstOrDefault() ?? p.UnitId;
        }
    }

    /// <summary>The petition's thread at the end of W.</summary>
    public Expression<Func<Petition, int>> ThreadAtEnd
    {
        get
        {
            var s = window.Sunday;
            return p => p.ThreadChangedOn == null || p.ThreadChangedOn <= s
                ? p.ThreadId
                : p.ThreadChanges.Where(c => c.On > s).OrderBy(c => c.On).ThenBy(c => c.Id).Select(c => (int?)c.FromThreadId).FirstOrDefault() ?? p.ThreadId;
        }
    }

    /// <summary>重件 at the end of W (a later petition of the thread it was on then).</summary>
    public Expression<Func<Petition, bool>> RepeatAtEnd
    {
        get
        {
            var s = window.Sunday;
            return p => p.ThreadChangedOn == null || p.ThreadChangedOn <= s
                ? p.IsRepeat
                : p.ThreadChanges.Where(c => c.On > s).OrderBy(c => c.On).ThenBy(c => c.Id).Select(c => (bool?)c.FromIsRepeat).FirstOrDefault() ?? p.IsRepeat;
        }
    }

    private Expression<Func<Petition, bool>> FirstAtEnd => RepeatAtEnd.Then(repeat => !repeat);

    /// <summary>
    /// The petitions with the unit each had at the end of W, by a LEFT JOIN on its earliest unit change after W's Sunday:
    /// the unit is then a plain column expression a query can GROUP BY (SQL Server refuses a subquery there).
    /// </summary>
    public IQueryable<PetitionAtEnd> WithUnitAtEnd(AppDbContext db, IQueryable<Petition> petitions)
    {
        var s = window.Sunday;
        var after = db.PetitionUnitChanges.Where(c => c.On > s);
        var earliest = after.Where(c => !after.Any(d => d.PetitionId == c.PetitionId && (d.On < c.On || (d.On == c.On && d.Id < c.Id))));
        return from p in petitions
               join c in earliest on p.Id equals c.PetitionId into changes
               from c in changes.DefaultIfEmpty()
               select new PetitionAtEnd { Petition = p, UnitId = (int?)c.FromUnitId ?? p.UnitId };
    }

    /// <summary>The name of <see cref="UnitAtEnd"/>: what a list of the week shows and sorts by as 责任单位.</summary>
    public Expression<Func<Petition, string>> UnitNameAtEnd(AppDbContext db) =>
        UnitAtEnd.Then(id => db.Units.Where(u => u.Id == id).Select(u => u.Name).FirstOrDefault() ?? "");

    /// <summary>An assignment counts for its lead unit (责任单位).</summary>
    public IQueryable<LeaderAssignment> Assignments(AppDbContext db, StatisticMeasure measure, int? unitId)
    {
        var q = db.LeaderAssignments.Where(Assignments(measure));
        return unitId is { } u ? q.Where(a => a.LeadUnitId == u) : q;
    }

    // ---- the definitions -------------------------------------------------------------------------------------------

    private Expression<Func<Petition, bool>> New
    {
        get
        {
            var (monday, sunday) = (window.Monday, window.Sunday);
            return p => p.ReceivedOn >= monday && p.ReceivedOn <= sunday;
        }
    }

    private Expression<Func<Petition, bool>> GroupVisit
    {
        get
        {
            var size = groupSize;
            return New.And(p => p.Form == PetitionForm.Visit && p.PeopleCount >= size);
        }
    }

    private Expression<Func<Petition, bool>> RepliedInWeek
    {
        get
        {
            var (monday, sunday) = (window.Monday, window.Sunday);
            return p => p.RepliedOn != null && p.RepliedOn >= monday && p.RepliedOn <= sunday;
        }
    }

    /// <summary>First-decision deadline (ReceivedOn + 15 days, shifted off non-working days) falls in W.</summary>
    private Expression<Func<Petition, bool>> FirstDecisionDue
    {
        get
        {
            var (from, to) = (window.FirstDecision.LatestStartDueByPreviousSunday, window.FirstDecision.LatestStartDueBySunday);
            return p => p.ReceivedOn > from && p.ReceivedOn <= to;
        }
    }

    /// <summary>The first decision was made on or before that petition's own deadline.</summary>
    private Expression<Func<Petition, bool>> FirstDecidedByDue
    {
        get
        {
            Expression<Func<Petition, bool>> any = p => false;
            foreach (var g in window.FirstDecision.DueInWeek)
            {
                var (first, last, due) = (g.FirstStart, g.LastStart, g.Due);
                any = any.Or(p => p.ReceivedOn >= first && p.ReceivedOn <= last && p.FirstDecisionOn != null && p.FirstDecisionOn <= due);
            }
            return any;
        }
    }

    /// <summary>
    /// AcceptedOn + ExtensionDays, the key of the reply deadline (see <see cref="WeekWindow"/>). Without an extension (most
    /// petitions) it is AcceptedOn itself: the database then skips the date arithmetic, which dominated the weekly scan.
    /// </summary>
    private static readonly Expression<Func<Petition, DateOnly>> ReplyKey =
        p => p.ExtensionDays == 0 ? p.AcceptedOn!.Value : p.AcceptedOn!.Value.AddDays(p.ExtensionDays);

    /// <summary>Reply deadline (with any extension, or 10 working days for 简易办理) falls in W.</summary>
    private Expression<Func<Petition, bool>> ReplyDue
    {
        get
        {
            var (from, to) = (window.Reply.LatestStartDueByPreviousSunday, window.Reply.LatestStartDueBySunday);
            var (sFrom, sTo) = (window.SimpleReply.LatestStartDueByPreviousSunday, window.SimpleReply.LatestStartDueBySunday);
            return PredicateExtensions.With(ReplyKey, (Petition p, DateOnly key) => p.AcceptedOn != null && (
                (!p.SimpleProcedure && key > from && key <= to)
                || (p.SimpleProcedure && p.AcceptedOn > sFrom && p.AcceptedOn <= sTo)));
        }
    }

    private Expression<Func<Petition, bool>> RepliedByDue
    {
        get
        {
            Expression<Func<Petition, bool>> any = p => false;
            foreach (var g in window.Reply.DueInWeek)
            {
                var (first, last, due) = (g.FirstStart, g.LastStart, g.Due);
                any = any.Or(PredicateExtensions.With(ReplyKey, (Petition p, DateOnly key) => !p.SimpleProcedure && p.AcceptedOn != null
                    && key >= first && key <= last && p.RepliedOn != null && p.RepliedOn <= due));
            }
            foreach (var g in window.SimpleReply.DueInWeek)
            {
                var (first, last, due) = (g.FirstStart, g.LastStart, g.Due);
                any = any.Or(p => p.SimpleProcedure && p.AcceptedOn >= first && p.AcceptedOn <= last && p.RepliedOn != null && p.RepliedOn <= due);
            }
            return any;
        }
    }

    // Stages at the end of W; mutually exclusive, and together (with NotFinishedAtEnd) exactly the open states of §4.
    // Open and overdue test "not finished" once, before the stages: most petitions are finished, and the weekly scan
    // evaluates these predicates for every petition received by Sunday.
    private Expression<Func<Petition, bool>> NotFinishedAtEnd
    {
        get
        {
            var s = window.Sunday;
            return p => p.ReceivedOn <= s && (p.FinishedOn == null || p.FinishedOn > s);
        }
    }

    private Expression<Func<Petition, bool>> UnderRecheck
    {
        get
        {
            var s = window.Sunday;
            return p => p.RecheckAcceptedOn != null && p.RecheckAcceptedOn <= s;
        }
    }

    private Expression<Func<Petition, bool>> UnderReview
    {
        get
        {
            var s = window.Sunday;
            return p => p.ReviewAcceptedOn != null && p.ReviewAcceptedOn <= s && (p.ReviewDecidedOn == null || p.ReviewDecidedOn > s);
        }
    }

    private Expression<Func<Petition, bool>> Handling
    {
        get
        {
            var s = window.Sunday;
            return p => p.AcceptedOn != null && p.AcceptedOn <= s && (p.RepliedOn == null || p.RepliedOn > s);
        }
    }

    private Expression<Func<Petition, bool>> Dispatched
    {
        get
        {
            var s = window.Sunday;
            return p => p.DispatchedOn != null && p.DispatchedOn <= s && (p.AcceptedOn == null || p.AcceptedOn > s);
        }
    }

    private Expression<Func<Petition, bool>> Registered
    {
        get
        {
            var s = window.Sunday;
            return p => (p.DispatchedOn == null || p.DispatchedOn > s) && (p.AcceptedOn == null || p.AcceptedOn > s);
        }
    }

    private Expression<Func<Petition, bool>> OpenAtEnd =>
        NotFinishedAtEnd.And(UnderRecheck.Or(UnderReview).Or(Handling).Or(Dispatched).Or(Registered));

    /// <summary>Open at the end of W with the deadline of the step it then waited on (§4) on or before W's Sunday.</summary>
    private Expression<Func<Petition, bool>> OverdueAtEnd
    {
        get
        {
            var s = window.Sunday;
            var recheck = window.RecheckDecision.LatestStartDueBySunday;
            var review = window.ReviewDecision.LatestStartDueBySunday;
            var reply = window.Reply.LatestStartDueBySunday;
            var simple = window.SimpleReply.LatestStartDueBySunday;
            var unit = window.UnitAcceptance.LatestStartDueBySunday;
            var first = window.FirstDecision.LatestStartDueBySunday;
            return NotFinishedAtEnd.And(UnderRecheck.And(p => p.RecheckAcceptedOn <= recheck)
                .Or(UnderReview.And(p => p.ReviewAcceptedOn <= review))
                .Or(Handling.And(PredicateExtensions.With(ReplyKey, (Petition p, DateOnly key) =>
                    (p.SimpleProcedure && p.AcceptedOn <= simple)
                    || (!p.SimpleProcedure && p.AcceptedOn <= reply
                        && (key <= reply || p.Events.Any(e => e.Kind == PetitionEventKind.Extension && e.On > s))))))
                .Or(Dispatched.And(p => p.DispatchedOn <= unit))
                .Or(Registered.And(p => p.ReceivedOn <= first)));
        }
    }

    /// <summary>
    /// 积案 at the end of W, represented by the thread's 初件 (one row per thread; the thread counts for the 初件's unit):
    /// a thread handed down in a 集中交办 batch by then, or one whose 初件 was received more than Backlog:AgeDays before W's Sunday
    /// and which still has a petition open at the end of W.
    /// </summary>
    private Expression<Func<Petition, bool>> Backlog(AppDbContext db)
    {
        var s = window.Sunday;
        var before = window.BacklogReceivedBefore;
        var openThreads = OpenThreads(db);
        // A 集中交办 thread is a 积案 from its batch's date on (the batch id is a foreign key: its row always exists).
        var laterBatches = db.AssignmentBatches.Where(b => b.CreatedOn > s).Select(b => (int?)b.Id);
        var handedDown = db.Threads.Where(t => t.BacklogBatchId != null && !laterBatches.Contains(t.BacklogBatchId)).Select(t => t.Id);
        Expression<Func<Petition, bool>> received = p => p.ReceivedOn <= s;
        Expression<Func<Petition, bool>> old = p => p.ReceivedOn < before;
        return FirstAtEnd.And(received)
            .And(ThreadAtEnd.Then(t => handedDown.Contains(t)).Or(old.And(ThreadAtEnd.Then(t => openThreads.Contains(t)))));
    }

    /// <summary>化解 of a 积案: no petition of the thread is open at the end of W.</summary>
    public Expression<Func<Petition, bool>> NoOpenPetitionInThread(AppDbContext db)
    {
        var openThreads = OpenThreads(db);
        return ThreadAtEnd.Then(t => !openThreads.Contains(t));
    }

    /// <summary>Threads with a petition open at the end of W: one uncorrelated subquery (IN), not an EXISTS per thread.</summary>
    private IQueryable<int> OpenThreads(AppDbContext db) => db.Petitions.Where(OpenAtEnd).Select(ThreadAtEnd);
}

/// <summary>A petition and the 责任单位 it counted for at the end of the week (<see cref="StatisticPopulations.WithUnitAtEnd"/>).</summary>
public sealed class PetitionAtEnd
{
    public Petition Petition { get; init; } = null!;
    public int UnitId { get; init; }

    /// <summary>x => x.Petition: a petition predicate applied to the pair (<c>Of.Then(predicate)</c>).</summary>
    public static readonly Expression<Func<PetitionAtEnd, Petition>> Of = x => x.Petition;
}

/// <summary>And / Or of two predicates over the same parameter, for EF (no Invoke nodes).</summary>
public static class PredicateExtensions
{
    public static Expression<Func<T, bool>> And<T>(this Expression<Func<T, bool>> left, Expression<Func<T, bool>> right) =>
        Combine(left, right, Expression.AndAlso);

    public static Expression<Func<T, bool>> Or<T>(this Expression<Func<T, bool>> left, Expression<Func<T, bool>> right)
    {
        // "false || x" is just x: keeps the generated SQL readable.
        if (left.Body is ConstantExpression { Value: false }) return right;
        return Combine(left, right, Expression.OrElse);
    }

    /// <summary>key then test: p => test(key(p)), spliced so EF sees one expression (e.g. the thread at the end of W, then a set test).</summary>
    public static Expression<Func<T, TResult>> Then<T, TKey, TResult>(this Expression<Func<T, TKey>> key, Expression<Func<TKey, TResult>> next) =>
        Expression.Lambda<Func<T, TResult>>(new Rebind(next.Parameters[0], key.Body).Visit(next.Body), key.Parameters[0]);

    /// <summary>body(p, a(p)): a value worked out once (e.g. the unit at the end of W) used inside a projection.</summary>
    public static Expression<Func<T, TResult>> With<T, TA, TResult>(Expression<Func<T, TA>> a, Expression<Func<T, TA, TResult>> body)
    {
        var p = a.Parameters[0];
        var spliced = new Rebind(body.Parameters[1], a.Body).Visit(new Rebind(body.Parameters[0], p).Visit(body.Body));
        return Expression.Lambda<Func<T, TResult>>(spliced, p);
    }

    /// <summary>body(p, a(p), b(p)).</summary>
    public static Expression<Func<T, TResult>> With<T, TA, TB, TResult>(
        Expression<Func<T, TA>> a, Expression<Func<T, TB>> b, Expression<Func<T, TA, TB, TResult>> body)
    {
        var p = a.Parameters[0];
        var bBody = new Rebind(b.Parameters[0], p).Visit(b.Body);
        var spliced = new Rebind(body.Parameters[2], bBody).Visit(
            new Rebind(body.Parameters[1], a.Body).Visit(new Rebind(body.Parameters[0], p).Visit(body.Body)));
        return Expression.Lambda<Func<T, TResult>>(spliced, p);
    }

    private static Expression<Func<T, bool>> Combine<T>(
        Expression<Func<T, bool>> left, Expression<Func<T, bool>> right, Func<Expression, Expression, BinaryExpression> op)
    {
        var p = left.Parameters[0];
        var body = new Rebind(right.Parameters[0], p).Visit(right.Body);
        return Expression.Lambda<Func<T, bool>>(op(left.Body, body), p);
    }

    private sealed class Rebind(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

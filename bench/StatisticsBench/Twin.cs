using System.Text;
using Microsoft.Data.Sqlite;
using PetitionDashboard.Domain;

namespace StatisticsBench;

/// <summary>
/// The hand-written SQL twin of the weekly recompute (SQLite): every §8 and §11 figure of all the weeks at once, grouped by
/// week and by the unit at the end of each week. The petition measures are one pass over the petitions (petitions CROSS
/// JOIN the weeks: the petitions are the outer loop), 积案 a second pass (the threads open at the end of each week, then
/// the 初件 of those threads), 包案 and 领导接访 small grouped queries. The week windows' dates (deadline thresholds that
/// depend on the working calendar) are worked out in C# and written into the SQL as literals.
/// </summary>
public static class Twin
{
    public sealed record Figures(int Week, int Unit)
    {
        public Dictionary<string, int> Values { get; } = new();
    }

    public static readonly string[] PetitionMeasures =
    [
        "NewPetitions", "FirstPetitions", "RepeatPetitions", "GroupVisitBatches", "GroupVisitPeople", "FirstDecisionDue",
        "FirstDecisionOnTime", "ReplyDue", "RepliedOnTime", "RepliedInWeek", "Evaluated", "Satisfied", "Open", "Overdue",
    ];

    public static readonly string[] OtherMeasures =
        ["BacklogThreads", "BacklogResolved", "Assignments", "AssignmentsResolved", "ReceptionBatches", "ReceptionPeople", "ReceptionResolved"];

    private static string D(DateOnly d) => $"'{d:yyyy-MM-dd}'";

    /// <summary>CASE w.k WHEN 0 THEN (…) …: a per-week condition whose shape depends on the week (its due-date groups).</summary>
    private static string PerWeek(IReadOnlyList<WeekWindow> weeks, Func<WeekWindow, string> condition)
    {
        var sb = new StringBuilder("(CASE w.k");
        for (var k = 0; k < weeks.Count; k++) sb.Append($" WHEN {k} THEN ({condition(weeks[k])})");
        return sb.Append(" END)").ToString();
    }

    private static string OnTime(IReadOnlyList<DueGroup> groups, string start, string done) =>
        groups.Count == 0 ? "0" : string.Join(" OR ", groups.Select(g => $"({start} BETWEEN {D(g.FirstStart)} AND {D(g.LastStart)} AND {done} <= {D(g.Due)})"));

    public static string WeeksCte(IReadOnlyList<WeekWindow> weeks) =>
        "w(k, mon, sun, fdFrom, fdTo, rFrom, rTo, sFrom, sTo, recheck, review, reply, simple, unitAcc, firstDue, before) AS (VALUES "
        + string.Join(", ", weeks.Select((w, k) =>
            $"({k}, {D(w.Monday)}, {D(w.Sunday)}, {D(w.FirstDecision.LatestStartDueByPreviousSunday)}, {D(w.FirstDecision.LatestStartDueBySunday)}, "
            + $"{D(w.Reply.LatestStartDueByPreviousSunday)}, {D(w.Reply.LatestStartDueBySunday)}, "
            + $"{D(w.SimpleReply.LatestStartDueByPreviousSunday)}, {D(w.SimpleReply.LatestStartDueBySunday)}, "
            + $"{D(w.RecheckDecision.LatestStartDueBySunday)}, {D(w.ReviewDecision.LatestStartDueBySunday)}, {D(w.Reply.LatestStartDueBySunday)}, "
            + $"{D(w.SimpleReply.LatestStartDueBySunday)}, {D(w.UnitAcceptance.LatestStartDueBySunday)}, {D(w.FirstDecision.LatestStartDueBySunday)}, "
            + $"{D(w.BacklogReceivedBefore)})")) + ")";

    // The values a petition had at the end of week w (dated history read only for a petition changed after that Sunday).
    private const string UnitAtEnd = """
        (CASE WHEN p.UnitChangedOn IS NULL OR p.UnitChangedOn <= w.sun THEN p.UnitId ELSE COALESCE((SELECT c.FromUnitId FROM PetitionUnitChanges c
          WHERE c.PetitionId = p.Id AND c."On" > w.sun ORDER BY c."On", c.Id LIMIT 1), p.UnitId) END)
        """;
    private const string RepeatAtEnd = """
        (CASE WHEN p.ThreadChangedOn IS NULL OR p.ThreadChangedOn <= w.sun THEN p.IsRepeat ELSE COALESCE((SELECT c.FromIsRepeat FROM PetitionThreadChanges c
          WHERE c.PetitionId = p.Id AND c."On" > w.sun ORDER BY c."On", c.Id LIMIT 1), p.IsRepeat) END)
        """;
    private const string ThreadAtEnd = """
        (CASE WHEN p.ThreadChangedOn IS NULL OR p.ThreadChangedOn <= w.sun THEN p.ThreadId ELSE COALESCE((SELECT c.FromThreadId FROM PetitionThreadChanges c
          WHERE c.PetitionId = p.Id AND c."On" > w.sun ORDER BY c."On", c.Id LIMIT 1), p.ThreadId) END)
        """;
    private const string ReplyKey = "(CASE WHEN p.ExtensionDays = 0 THEN p.AcceptedOn ELSE date(p.AcceptedOn, p.ExtensionDays || ' days') END)";
    private const string NotFinished = "(p.FinishedOn IS NULL OR p.FinishedOn > w.sun)";
    private const string Recheck = "(p.RecheckAcceptedOn <= w.sun)";
    private const string Review = "(p.ReviewAcceptedOn <= w.sun AND (p.ReviewDecidedOn IS NULL OR p.ReviewDecidedOn > w.sun))";
    private const string Handling = "(p.AcceptedOn <= w.sun AND (p.RepliedOn IS NULL OR p.RepliedOn > w.sun))";
    private const string Dispatched = "(p.DispatchedOn <= w.sun AND (p.AcceptedOn IS NULL OR p.AcceptedOn > w.sun))";
    private const string Registered = "((p.DispatchedOn IS NULL OR p.DispatchedOn > w.sun) AND (p.AcceptedOn IS NULL OR p.AcceptedOn > w.sun))";
    private const string OpenAtEnd = $"({NotFinished} AND ({Recheck} OR {Review} OR {Handling} OR {Dispatched} OR {Registered}))";

    public static string PetitionPass(IReadOnlyList<WeekWindow> weeks, int groupSize)
    {
        var isNew = "(p.ReceivedOn >= w.mon)";
        var fdDue = "(p.ReceivedOn > w.fdFrom AND p.ReceivedOn <= w.fdTo)";
        var replyDue = $"(p.AcceptedOn IS NOT NULL AND ((NOT p.SimpleProcedure AND {ReplyKey} > w.rFrom AND {ReplyKey} <= w.rTo) OR (p.SimpleProcedure AND p.AcceptedOn > w.sFrom AND p.AcceptedOn <= w.sTo)))";
        var fdOnTime = PerWeek(weeks, w => OnTime(w.FirstDecision.DueInWeek, "p.ReceivedOn", "p.FirstDecisionOn"));
        var replyOnTime = PerWeek(weeks, w => $"(NOT p.SimpleProcedure AND ({OnTime(w.Reply.DueInWeek, ReplyKey, "p.RepliedOn")})) "
            + $"OR (p.SimpleProcedure AND ({OnTime(w.SimpleReply.DueInWeek, "p.AcceptedOn", "p.RepliedOn")}))");
        var repliedInWeek = "(p.RepliedOn BETWEEN w.mon AND w.sun)";
        var groupVisit = $"({isNew} AND p.Form = {(int)PetitionForm.Visit} AND p.PeopleCount >= {groupSize})";
        var overdue = $"""
            ({NotFinished} AND (({Recheck} AND p.RecheckAcceptedOn <= w.recheck) OR ({Review} AND p.ReviewAcceptedOn <= w.review)
              OR ({Handling} AND ((p.SimpleProcedure AND p.AcceptedOn <= w.simple) OR (NOT p.SimpleProcedure AND p.AcceptedOn <= w.reply
                AND ({ReplyKey} <= w.reply OR EXISTS (SELECT 1 FROM PetitionEvents e WHERE e.PetitionId = p.Id AND e.Kind = {(int)PetitionEventKind.Extension} AND e."On" > w.sun)))))
              OR ({Dispatched} AND p.DispatchedOn <= w.unitAcc) OR ({Registered} AND p.ReceivedOn <= w.firstDue)))
            """;
        return $"""
            WITH {WeeksCte(weeks)}
            SELECT w.k, {UnitAtEnd} AS unit,
              SUM({isNew}) AS NewPetitions,
              SUM({isNew} AND NOT {RepeatAtEnd}) AS FirstPetitions,
              SUM({isNew} AND {RepeatAtEnd}) AS RepeatPetitions,
              SUM({groupVisit}) AS GroupVisitBatches,
              SUM(CASE WHEN {groupVisit} THEN p.PeopleCount ELSE 0 END) AS GroupVisitPeople,
              SUM({fdDue}) AS FirstDecisionDue,
              SUM({fdDue} AND p.FirstDecisionOn IS NOT NULL AND {fdOnTime}) AS FirstDecisionOnTime,
              SUM({replyDue}) AS ReplyDue,
              SUM({replyDue} AND p.RepliedOn IS NOT NULL AND {replyOnTime}) AS RepliedOnTime,
              SUM({repliedInWeek}) AS RepliedInWeek,
              SUM({repliedInWeek} AND p.Evaluation IS NOT NULL) AS Evaluated,
              SUM({repliedInWeek} AND p.Evaluation IN (1, 2)) AS Satisfied,
              SUM({OpenAtEnd}) AS Open,
              SUM(COALESCE({overdue}, 0)) AS Overdue
            FROM Petitions p CROSS JOIN w
            WHERE p.ReceivedOn <= w.sun
            GROUP BY w.k, unit
            """;
    }

    /// <summary>积案: the threads open at the end of each week (one pass), then their 初件 per week.</summary>
    public static string[] BacklogPass(IReadOnlyList<WeekWindow> weeks) =>
    [
        "DROP TABLE IF EXISTS temp.OpenThreads",
        $"""
        CREATE TEMP TABLE OpenThreads AS WITH {WeeksCte(weeks)}
        SELECT DISTINCT w.k, {ThreadAtEnd} AS thread FROM Petitions p CROSS JOIN w WHERE p.ReceivedOn <= w.sun AND {OpenAtEnd}
        """,
        "CREATE INDEX temp.IX_OpenThreads ON OpenThreads (k, thread)",
        "DROP TABLE IF EXISTS temp.HandedDown",
        $"""
        CREATE TEMP TABLE HandedDown AS WITH {WeeksCte(weeks)}
        SELECT w.k, t.Id AS thread FROM w JOIN Threads t ON t.BacklogBatchId IS NOT NULL
        WHERE t.BacklogBatchId NOT IN (SELECT b.Id FROM AssignmentBatches b WHERE b.CreatedOn > w.sun)
        """,
        "CREATE INDEX temp.IX_HandedDown ON HandedDown (k, thread)",
        $"""
        WITH {WeeksCte(weeks)}
        SELECT w.k, {UnitAtEnd} AS unit, COUNT(*) AS BacklogThreads,
          SUM(NOT EXISTS (SELECT 1 FROM OpenThreads o WHERE o.k = w.k AND o.thread = {ThreadAtEnd})) AS BacklogResolved
        FROM Petitions p CROSS JOIN w
        WHERE p.ReceivedOn <= w.sun AND NOT {RepeatAtEnd}
          AND (EXISTS (SELECT 1 FROM HandedDown h WHERE h.k = w.k AND h.thread = {ThreadAtEnd})
            OR (p.ReceivedOn < w.before AND EXISTS (SELECT 1 FROM OpenThreads o WHERE o.k = w.k AND o.thread = {ThreadAtEnd})))
        GROUP BY w.k, unit
        """,
    ];

    public static string AssignmentPass(IReadOnlyList<WeekWindow> weeks) => $"""
        WITH {WeeksCte(weeks)}
        SELECT w.k, a.LeadUnitId, COUNT(*) AS Assignments,
          SUM(EXISTS (SELECT 1 FROM AssignmentResolutions r WHERE r.AssignmentId = a.Id AND r.ResolvedOn <= w.sun
            AND (r.RelapsedOn IS NULL OR r.RelapsedOn > w.sun))) AS AssignmentsResolved
        FROM w JOIN LeaderAssignments a ON a.AssignedOn <= w.sun
        GROUP BY w.k, a.LeadUnitId
        """;

    public static string[] ReceptionPass(IReadOnlyList<WeekWindow> weeks) =>
    [
        $"""
        WITH {WeeksCte(weeks)}
        SELECT w.k, CASE WHEN b.PetitionId IS NULL THEN b.UnitId ELSE (SELECT {UnitAtEnd} FROM Petitions p WHERE p.Id = b.PetitionId) END AS unit,
          COUNT(*) AS ReceptionBatches, SUM(b.PeopleCount) AS ReceptionPeople
        FROM w JOIN ReceptionDays d ON d."On" BETWEEN w.mon AND w.sun JOIN ReceptionBookings b ON b.ReceptionDayId = d.Id
        WHERE b.Attended = 1 AND (b.PetitionId IS NOT NULL OR b.UnitId IS NOT NULL)
        GROUP BY w.k, unit
        """,
        $"""
        WITH {WeeksCte(weeks)}
        SELECT w.k, {UnitAtEnd} AS unit, COUNT(*) AS ReceptionResolved
        FROM w JOIN Petitions p ON p.LeaderReceptionOn IS NOT NULL
        WHERE (p.RepliedOn BETWEEN w.mon AND w.sun) OR (p.RepliedOn IS NULL AND p.FinishedOn BETWEEN w.mon AND w.sun)
        GROUP BY w.k, unit
        """,
    ];

    /// <summary>Runs every statement; the figures keyed by (week index, unit).</summary>
    public static Dictionary<(int, int), Dictionary<string, int>> Run(SqliteConnection c, IReadOnlyList<WeekWindow> weeks, int groupSize,
        Action<string, TimeSpan, TimeSpan>? timed = null)
    {
        var figures = new Dictionary<(int, int), Dictionary<string, int>>();
        void Read(string name, string sql)
        {
            var (t, cpu) = (System.Diagnostics.Stopwatch.GetTimestamp(), CommandTimer.Cpu());
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.CommandTimeout = 0;
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    if (r.IsDBNull(1)) continue;
                    var key = (r.GetInt32(0), r.GetInt32(1));
                    if (!figures.TryGetValue(key, out var f)) figures[key] = f = new Dictionary<string, int>();
                    for (var i = 2; i < r.FieldCount; i++) f[r.GetName(i)] = f.GetValueOrDefault(r.GetName(i)) + (r.IsDBNull(i) ? 0 : r.GetInt32(i));
                }
            }
            timed?.Invoke(name, System.Diagnostics.Stopwatch.GetElapsedTime(t), CommandTimer.Cpu() - cpu);
        }
        Read("twin: petitions", PetitionPass(weeks, groupSize));
        var backlog = BacklogPass(weeks);
        var (bt, bcpu) = (System.Diagnostics.Stopwatch.GetTimestamp(), CommandTimer.Cpu());
        foreach (var s in backlog[..^1])
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = s;
            cmd.CommandTimeout = 0;
            cmd.ExecuteNonQuery();
        }
        timed?.Invoke("twin: open and handed-down threads", System.Diagnostics.Stopwatch.GetElapsedTime(bt), CommandTimer.Cpu() - bcpu);
        Read("twin: backlog", backlog[^1]);
        Read("twin: assignments", AssignmentPass(weeks));
        foreach (var s in ReceptionPass(weeks)) Read("twin: reception", s);
        return figures;
    }
}

using System.Globalization;

namespace PetitionDashboard.Domain;

/// <summary>Section "Statistics" of appsettings.json (docs/rules.md §8).</summary>
public sealed class StatisticsOptions
{
    public const string Section = "Statistics";

    /// <summary>The job recomputes this many of the last full weeks (late replies and evaluations change them).</summary>
    public int RecomputeWeeks { get; set; } = 8;

    /// <summary>Older weeks that have never been computed are filled once, this far back, so the 52-week trend has data.</summary>
    public int HistoryWeeks { get; set; } = 52;

    /// <summary>A rate this close below its target is shown amber instead of red.</summary>
    public double AmberMargin { get; set; } = 0.05;

    /// <summary>Weight of each rate (by its Chinese figure name) in the leadership index; a figure without a weight counts 0.</summary>
    public Dictionary<string, double> LeadershipWeights { get; set; } = [];
}

/// <summary>Section "Report": the target rates of docs/rules.md §9, by Chinese figure name ("及时受理率": 0.95).</summary>
public sealed class ReportOptions
{
    public const string Section = "Report";
    public Dictionary<string, double> Targets { get; set; } = [];
}

/// <summary>
/// The counts stored for a week × unit; every figure of docs/rules.md §8 is one of them or a ratio of two.
/// Each has exactly one population definition (Features/Statistics/StatisticPopulations), used for counting and listing.
/// </summary>
public enum StatisticMeasure
{
    NewPetitions = 1,
    FirstPetitions,
    RepeatPetitions,
    GroupVisitBatches,
    /// <summary>Sum of 人数 over the group-visit batches (its list is the batches).</summary>
    GroupVisitPeople,
    FirstDecisionDue,
    FirstDecisionOnTime,
    ReplyDue,
    RepliedOnTime,
    RepliedInWeek,
    Evaluated,
    Satisfied,
    Open,
    Overdue,
    Assignments,
    AssignmentsResolved,
    BacklogThreads,
    BacklogResolved,
}

public enum FigureKind { Count, Rate }

/// <summary>The figures of docs/rules.md §8, as shown to a user.</summary>
public enum StatisticFigure
{
    NewPetitions = 1,
    FirstPetitions,
    RepeatPetitions,
    RepeatRate,
    GroupVisitBatches,
    GroupVisitPeople,
    TimelyAcceptanceRate,
    OnTimeReplyRate,
    EvaluationRate,
    SatisfactionRate,
    Open,
    Overdue,
    Assignments,
    AssignmentsResolved,
    AssignmentResolutionRate,
    BacklogThreads,
    BacklogResolutionRate,
}

/// <summary>What a figure is made of: a count of one measure, or a numerator ÷ denominator of two.</summary>
public sealed record FigureDefinition(StatisticFigure Figure, string Name, FigureKind Kind, StatisticMeasure Numerator, StatisticMeasure? Denominator, string Definition);

/// <summary>The one table of §8 figures: names, composition and the definition sentence shown beside them.</summary>
public static class StatisticFigures
{
    public static readonly IReadOnlyList<FigureDefinition> All =
    [
        Count(StatisticFigure.NewPetitions, "新增件次", StatisticMeasure.NewPetitions, "本周登记的信访件"),
        Count(StatisticFigure.FirstPetitions, "初件", StatisticMeasure.FirstPetitions, "本周登记的初件"),
        Count(StatisticFigure.RepeatPetitions, "重件", StatisticMeasure.RepeatPetitions, "本周登记的重件"),
        Rate(StatisticFigure.RepeatRate, "重复信访率", StatisticMeasure.RepeatPetitions, StatisticMeasure.NewPetitions, "重件 ÷ 新增件次"),
        Count(StatisticFigure.GroupVisitBatches, "集体访批次", StatisticMeasure.GroupVisitBatches, "本周登记、人数达到集体访标准的来访"),
        Count(StatisticFigure.GroupVisitPeople, "集体访人次", StatisticMeasure.GroupVisitPeople, "上述集体访的人数之和"),
        Rate(StatisticFigure.TimelyAcceptanceRate, "及时受理率", StatisticMeasure.FirstDecisionOnTime, StatisticMeasure.FirstDecisionDue,
            "首次处理期限在本周届满的信访件中，在期限内作出首次处理的比例"),
        Rate(StatisticFigure.OnTimeReplyRate, "按期答复率", StatisticMeasure.RepliedOnTime, StatisticMeasure.ReplyDue,
            "答复期限（含延期）在本周届满的信访件中，在期限内答复的比例"),
        Rate(StatisticFigure.EvaluationRate, "参评率", StatisticMeasure.Evaluated, StatisticMeasure.RepliedInWeek,
            "本周答复的信访件中，截至统计时已评价的比例"),
        Rate(StatisticFigure.SatisfactionRate, "满意率", StatisticMeasure.Satisfied, StatisticMeasure.Evaluated,
            "本周答复且已评价的信访件中，满意和基本满意的比例"),
        Count(StatisticFigure.Open, "在办数", StatisticMeasure.Open, "周末（周日）仍在办的信访件"),
        Count(StatisticFigure.Overdue, "超期数", StatisticMeasure.Overdue, "周末仍在办、且当时的办理期限不晚于周日的信访件"),
        Count(StatisticFigure.Assignments, "包案数", StatisticMeasure.Assignments, "截至周日的领导包案"),
        Count(StatisticFigure.AssignmentsResolved, "包案化解数", StatisticMeasure.AssignmentsResolved, "其中截至周日已化解的"),
        Rate(StatisticFigure.AssignmentResolutionRate, "包案化解率", StatisticMeasure.AssignmentsResolved, StatisticMeasure.Assignments, "包案化解数 ÷ 包案数"),
        Count(StatisticFigure.BacklogThreads, "积案数", StatisticMeasure.BacklogThreads, "周末的积案（集中交办的，或超过积案天数仍有在办件的信访事项链）"),
        Rate(StatisticFigure.BacklogResolutionRate, "积案化解率", StatisticMeasure.BacklogResolved, StatisticMeasure.BacklogThreads,
            "积案中周末已无在办件的比例"),
    ];

    private static readonly Dictionary<StatisticFigure, FigureDefinition> ByFigure = All.ToDictionary(f => f.Figure);

    public static FigureDefinition Of(StatisticFigure figure) => ByFigure[figure];

    public static FigureDefinition? ByName(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>The rates a target can be set for (Report:Targets) and the leadership index weighs.</summary>
    public static IEnumerable<FigureDefinition> Rates => All.Where(f => f.Kind == FigureKind.Rate);

    public static string MeasureName(StatisticMeasure measure) => measure switch
    {
        StatisticMeasure.NewPetitions => "新增件次",
        StatisticMeasure.FirstPetitions => "初件",
        StatisticMeasure.RepeatPetitions => "重件",
        StatisticMeasure.GroupVisitBatches => "集体访批次",
        StatisticMeasure.GroupVisitPeople => "集体访人次",
        StatisticMeasure.FirstDecisionDue => "首次处理期限本周届满",
        StatisticMeasure.FirstDecisionOnTime => "按期作出首次处理",
        StatisticMeasure.ReplyDue => "答复期限本周届满",
        StatisticMeasure.RepliedOnTime => "按期答复",
        StatisticMeasure.RepliedInWeek => "本周答复",
        StatisticMeasure.Evaluated => "已评价",
        StatisticMeasure.Satisfied => "满意或基本满意",
        StatisticMeasure.Open => "在办",
        StatisticMeasure.Overdue => "超期",
        StatisticMeasure.Assignments => "领导包案",
        StatisticMeasure.AssignmentsResolved => "包案已化解",
        StatisticMeasure.BacklogThreads => "积案",
        StatisticMeasure.BacklogResolved => "积案已化解",
        _ => measure.ToString(),
    };

    /// <summary>Measures whose population is leader assignments rather than petitions.</summary>
    public static bool CountsAssignments(StatisticMeasure measure) =>
        measure is StatisticMeasure.Assignments or StatisticMeasure.AssignmentsResolved;

    private static FigureDefinition Count(StatisticFigure f, string name, StatisticMeasure m, string definition) =>
        new(f, name, FigureKind.Count, m, null, definition);

    private static FigureDefinition Rate(StatisticFigure f, string name, StatisticMeasure n, StatisticMeasure d, string definition) =>
        new(f, name, FigureKind.Rate, n, d, definition);
}

/// <summary>The KPI arithmetic of docs/rules.md §8–§9: rates, their display, targets and the leadership index.</summary>
public static class Kpi
{
    /// <summary>numerator ÷ denominator; null ("—") when the denominator is zero, never 0 % or 100 %.</summary>
    public static double? Rate(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;

    /// <summary>"95.0%", or "—" for a rate without a denominator.</summary>
    public static string Format(double? rate) =>
        rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>Red / amber / green of a rate against its target.</summary>
    public static TargetStatus Status(double? rate, double? target, double amberMargin)
    {
        if (target is not { } t) return TargetStatus.NoTarget;
        if (rate is not { } r) return TargetStatus.NoData;
        // Compare in whole basis points so that 19/20 is "met" for a 95 % target despite binary floating point.
        var rb = Math.Round(r * 10000);
        var tb = Math.Round(t * 10000);
        if (rb >= tb) return TargetStatus.Met;
        return rb >= Math.Round((t - amberMargin) * 10000) ? TargetStatus.Near : TargetStatus.Missed;
    }

    /// <summary>
    /// Leadership index: the weighted share of targets met, over the rates that have a target, a positive weight and a
    /// denominator this week. Null when no such rate exists (nothing to judge).
    /// </summary>
    public static double? LeadershipIndex(
        IReadOnlyDictionary<string, double?> rates, IReadOnlyDictionary<string, double> targets, IReadOnlyDictionary<string, double> weights)
    {
        double total = 0, met = 0;
        foreach (var (name, rate) in rates)
        {
            if (rate is null || !targets.TryGetValue(name, out var target)) continue;
            if (!weights.TryGetValue(name, out var weight) || weight <= 0) continue;
            total += weight;
            if (Status(rate, target, 0) == TargetStatus.Met) met += weight;
        }
        return total == 0 ? null : met / total;
    }
}

public enum TargetStatus { NoTarget, NoData, Met, Near, Missed }

/// <summary>
/// The date thresholds of one week that turn "a deadline falls in W" and "a deadline is on or before W's Sunday" into
/// plain date ranges on the petition's own columns, so the database can evaluate them.
/// Every due date of §3 is a non-decreasing function of its start date (a later start never gives an earlier due date),
/// so "due ≤ Sunday" ⟺ "start ≤ the latest start whose due is ≤ Sunday", and "due in W" ⟺ that start lies between the
/// thresholds of the previous and this Sunday. The thresholds come from <see cref="DeadlineCalculator"/> itself, so the
/// statistics use the same calendar and limits as the case pages.
/// </summary>
public sealed class WeekWindow
{
    public WeekWindow(IsoWeek week, DeadlineCalculator deadlines, int backlogAgeDays)
    {
        Week = week;
        var o = deadlines.Options;
        FirstDecision = new DueThresholds(d => deadlines.FirstDecision(d).Due, o.FirstDecisionDays, week);
        UnitAcceptance = new DueThresholds(d => deadlines.UnitAcceptance(d).Due, o.UnitAcceptanceDays, week);
        // The extension is added to the 60 days before the last-day shift (§3), so the reply due date of
        // (accepted on a, extension e) equals that of (a + e, no extension): the key is AcceptedOn + ExtensionDays.
        Reply = new DueThresholds(d => deadlines.Reply(d, 0, false).Due, o.ReplyDays, week);
        SimpleReply = new DueThresholds(d => deadlines.Reply(d, 0, true).Due, o.SimpleProcedureWorkingDays, week);
        ReviewDecision = new DueThresholds(d => deadlines.ReviewDecision(d).Due, o.ReviewDecisionDays, week);
        RecheckDecision = new DueThresholds(d => deadlines.RecheckDecision(d).Due, o.RecheckDecisionDays, week);
        BacklogReceivedBefore = BacklogOptions.AgedIfReceivedBefore(Sunday, backlogAgeDays);
    }

    public IsoWeek Week { get; }
    public DateOnly Monday => Week.Monday;
    public DateOnly Sunday => Week.Sunday;
    public DueThresholds FirstDecision { get; }
    public DueThresholds UnitAcceptance { get; }
    /// <summary>Keyed by AcceptedOn + ExtensionDays (see the constructor).</summary>
    public DueThresholds Reply { get; }
    public DueThresholds SimpleReply { get; }
    public DueThresholds ReviewDecision { get; }
    public DueThresholds RecheckDecision { get; }
    /// <summary>A thread whose first petition was received before this date is older than Backlog:AgeDays at W's Sunday.</summary>
    public DateOnly BacklogReceivedBefore { get; }
}

/// <summary>Start-date thresholds of one deadline step for one week (see <see cref="WeekWindow"/>).</summary>
public sealed class DueThresholds
{
    public DueThresholds(Func<DateOnly, DateOnly> due, int minimumDays, IsoWeek week)
    {
        LatestStartDueBySunday = LatestStartDueBy(due, minimumDays, week.Sunday);
        LatestStartDueByPreviousSunday = LatestStartDueBy(due, minimumDays, week.Monday.AddDays(-1));
        var groups = new List<DueGroup>();
        for (var d = LatestStartDueByPreviousSunday.AddDays(1); d <= LatestStartDueBySunday; d = d.AddDays(1))
        {
            var u = due(d);
            if (groups.Count > 0 && groups[^1].Due == u) groups[^1] = groups[^1] with { LastStart = d };
            else groups.Add(new DueGroup(d, d, u));
        }
        DueInWeek = groups;
    }

    /// <summary>Deadline on or before W's Sunday ⟺ start ≤ this.</summary>
    public DateOnly LatestStartDueBySunday { get; }

    public DateOnly LatestStartDueByPreviousSunday { get; }

    /// <summary>Deadline in W ⟺ start in (previous threshold, this threshold]; split by the due date those starts get.</summary>
    public IReadOnlyList<DueGroup> DueInWeek { get; }

    private static DateOnly LatestStartDueBy(Func<DateOnly, DateOnly> due, int minimumDays, DateOnly by)
    {
        // due(d) ≥ d + minimumDays, so no later start can qualify; walk back over holidays until one does.
        var d = by.AddDays(-Math.Max(minimumDays, 0));
        while (due(d) > by) d = d.AddDays(-1);
        return d;
    }
}

/// <summary>Starts FirstStart…LastStart (inclusive) all have deadline <see cref="Due"/>.</summary>
public readonly record struct DueGroup(DateOnly FirstStart, DateOnly LastStart, DateOnly Due);

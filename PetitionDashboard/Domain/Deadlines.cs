namespace PetitionDashboard.Domain;

/// <summary>The statutory limits of docs/rules.md §3 and the warning window of §4; section "Deadline" of appsettings.json.</summary>
public sealed class DeadlineOptions
{
    public const string Section = "Deadline";
    public int FirstDecisionDays { get; set; } = 15;
    public int UnitAcceptanceDays { get; set; } = 15;
    public int ObjectionWorkingDays { get; set; } = 5;
    public int ReplyDays { get; set; } = 60;
    public int MaxExtensionDays { get; set; } = 30;
    public int SimpleProcedureWorkingDays { get; set; } = 10;
    public int ReviewRequestDays { get; set; } = 30;
    public int ReviewDecisionDays { get; set; } = 30;
    public int RecheckRequestDays { get; set; } = 30;
    public int RecheckDecisionDays { get; set; } = 30;
    public int AssignmentDays { get; set; } = 90;
    public int AssignmentMaxExtensionDays { get; set; } = 30;
    /// <summary>临期 when this many calendar days or fewer are left.</summary>
    public int WarnDays { get; set; } = 5;
}

/// <summary>The steps that carry a statutory deadline.</summary>
public enum DeadlineStep
{
    FirstDecision = 1, UnitAcceptance = 2, Objection = 3, Reply = 4, ReviewRequest = 5, ReviewDecision = 6,
    RecheckRequest = 7, RecheckDecision = 8, Assignment = 9,
}

/// <summary>
/// A due date that explains itself (docs/rules.md §2): the start, the limit and its kind, the holidays and make-up days
/// it crossed, and the rule that moved a last day off a non-working day.
/// </summary>
public sealed record Deadline(
    DeadlineStep Step,
    DateOnly Start,
    int Limit,
    LimitKind Kind,
    DateOnly LastDayCounted,
    DateOnly Due,
    IReadOnlyList<CalendarDay> Crossed,
    string? ShiftRule,
    IReadOnlyList<int> MissingCalendarYears)
{
    public string StepName => Step switch
    {
        DeadlineStep.FirstDecision => "登记后处理（首次处理）",
        DeadlineStep.UnitAcceptance => "责任单位受理告知",
        DeadlineStep.Objection => "异议退回",
        DeadlineStep.Reply => "办理答复",
        DeadlineStep.ReviewRequest => "复查申请期限",
        DeadlineStep.ReviewDecision => "复查决定",
        DeadlineStep.RecheckRequest => "复核申请期限",
        DeadlineStep.RecheckDecision => "复核决定",
        DeadlineStep.Assignment => "领导包案化解",
        _ => Step.ToString(),
    };

    /// <summary>Reaches into a year without a holiday arrangement (<see cref="WorkingCalendar.ProvisionalMark"/>).</summary>
    public bool IsProvisional => MissingCalendarYears.Count > 0;

    /// <summary>One sentence a leader can read: "自 2026-02-10 起算（当日不计入）15日，…".</summary>
    public string Summary =>
        $"{StepName}：自 {Start:yyyy-MM-dd} 次日起算 {Limit}{Kind.ToChinese()}，届满日 {Due:yyyy-MM-dd}"
        + (ShiftRule is null ? "" : $"（{ShiftRule}）");
}

/// <summary>
/// Computes every limit of docs/rules.md §3 by the counting rule of §2: the day of the triggering event is not counted;
/// a calendar-day limit whose last day is not a working day moves to the next working day; a working-day limit
/// counts working days only.
/// </summary>
public sealed class DeadlineCalculator(WorkingCalendar calendar, DeadlineOptions options)
{
    public DeadlineOptions Options => options;

    public WorkingCalendar Calendar => calendar;

    public Deadline CalendarDays(DeadlineStep step, DateOnly start, int days)
    {
        var last = start.AddDays(days);
        var due = calendar.NextWorkingDayOnOrAfter(last);
        string? rule = null;
        if (due != last)
        {
            var day = calendar.Describe(last);
            var why = day.Kind == DayKind.Holiday ? $"{day.HolidayName}假期" : "休息日";
            rule = $"期限最后一日 {last:yyyy-MM-dd} 为{why}，顺延至其后第一个工作日 {due:yyyy-MM-dd}（参照民法典第二百零三条）";
        }
        return Build(step, start, days, LimitKind.CalendarDays, last, due, rule);
    }

    public Deadline WorkingDays(DeadlineStep step, DateOnly start, int days)
    {
        var due = calendar.AddWorkingDays(start, days);
        return Build(step, start, days, LimitKind.WorkingDays, due, due, null);
    }

    public Deadline FirstDecision(DateOnly receivedOn) =>
        CalendarDays(DeadlineStep.FirstDecision, receivedOn, options.FirstDecisionDays);

    public Deadline UnitAcceptance(DateOnly unitReceivedOn) =>
        CalendarDays(DeadlineStep.UnitAcceptance, unitReceivedOn, options.UnitAcceptanceDays);

    public Deadline Objection(DateOnly unitReceivedOn) =>
        WorkingDays(DeadlineStep.Objection, unitReceivedOn, options.ObjectionWorkingDays);

    /// <summary>
    /// 60 days (+ an extension of at most 30, added before the last-day shift is applied once),
    /// or 10 working days for 简易办理, which cannot be extended.
    /// </summary>
    public Deadline Reply(DateOnly acceptedOn, int extensionDays, bool simpleProcedure)
    {
        if (simpleProcedure)
        {
            if (extensionDays != 0) throw new ActionRefusedException("简易办理的信访事项不得延期（国家信访局《信访事项简易办理办法（试行）》：10个工作日内答复）");
            return WorkingDays(DeadlineStep.Reply, acceptedOn, options.SimpleProcedureWorkingDays);
        }
        CheckExtension(extensionDays, options.MaxExtensionDays, "办理答复期限延长不得超过{0}日（信访工作条例第三十二条）");
        return CalendarDays(DeadlineStep.Reply, acceptedOn, options.ReplyDays + extensionDays);
    }

    public Deadline ReviewRequest(DateOnly replyReceivedOn) =>
        CalendarDays(DeadlineStep.ReviewRequest, replyReceivedOn, options.ReviewRequestDays);

    public Deadline ReviewDecision(DateOnly reviewAcceptedOn) =>
        CalendarDays(DeadlineStep.ReviewDecision, reviewAcceptedOn, options.ReviewDecisionDays);

    public Deadline RecheckRequest(DateOnly reviewDecisionReceivedOn) =>
        CalendarDays(DeadlineStep.RecheckRequest, reviewDecisionReceivedOn, options.RecheckRequestDays);

    public Deadline RecheckDecision(DateOnly recheckAcceptedOn) =>
        CalendarDays(DeadlineStep.RecheckDecision, recheckAcceptedOn, options.RecheckDecisionDays);

    public Deadline Assignment(DateOnly assignedOn, int extensionDays)
    {
        CheckExtension(extensionDays, options.AssignmentMaxExtensionDays, "包案化解期限延长不得超过{0}日");
        return CalendarDays(DeadlineStep.Assignment, assignedOn, options.AssignmentDays + extensionDays);
    }

    /// <summary>
    /// The current deadline of docs/rules.md §4: the due date of the step an open petition waits on; null when it is not open.
    /// </summary>
    public Deadline? Current(IPetitionDates p) => p.State switch
    {
        PetitionState.Registered => FirstDecision(p.ReceivedOn),
        PetitionState.Dispatched => UnitAcceptance(p.DispatchedOn ?? p.ReceivedOn),
        PetitionState.Accepted or PetitionState.InHandling =>
            Reply(p.AcceptedOn ?? p.FirstDecisionOn ?? p.ReceivedOn, p.ExtensionDays, p.SimpleProcedure),
        PetitionState.UnderReview => ReviewDecision(p.ReviewAcceptedOn ?? p.RepliedOn ?? p.ReceivedOn),
        PetitionState.UnderRecheck => RecheckDecision(p.RecheckAcceptedOn ?? p.ReviewDecidedOn ?? p.ReceivedOn),
        _ => null,
    };

    /// <summary>
    /// 按期 / 逾期 (docs/rules.md §4) of a petition that is no longer open: the date it last left an open state (the step the
    /// bureau or a unit owed) against the due date of that step, with the extension in force. In order: a recheck that
    /// ended in 终结 against the recheck decision; a review decision against the review deadline; a reply (or, without one,
    /// the date handling ended) against the reply deadline; a unit's refusal against the unit-acceptance deadline; otherwise
    /// the first decision against the first-decision deadline. Null for open petitions (they are 正常 / 临期 / 超期) and
    /// when no date tells.
    /// </summary>
    public DeadlineStatus? Completion(IPetitionDates p)
    {
        if (PetitionLifecycle.IsOpen(p.State)) return null;
        var (done, due) = CompletedStep(p);
        if (done is not { } d || due is not { } limit) return null;
        return d <= limit.Due ? DeadlineStatus.OnTime : DeadlineStatus.Late;
    }

    private (DateOnly? Done, Deadline? Due) CompletedStep(IPetitionDates p)
    {
        if (p.State == PetitionState.Terminated && p.RecheckAcceptedOn is { } recheck)
            return (p.FinishedOn, RecheckDecision(recheck));
        if (p.ReviewAcceptedOn is { } review && p.ReviewDecidedOn is { } reviewed)
            return (reviewed, ReviewDecision(review));
        if (p.AcceptedOn is { } accepted)
            return (p.RepliedOn ?? p.FinishedOn, Reply(accepted, p.ExtensionDays, p.SimpleProcedure));
        if (p.DispatchedOn is { } dispatched && p.FinishedOn is { } refused)
            return (refused, UnitAcceptance(dispatched));
        return (p.FirstDecisionOn ?? p.FinishedOn, FirstDecision(p.ReceivedOn));
    }

    private static void CheckExtension(int days, int max, string rule)
    {
        if (days < 0 || days > max) throw new ActionRefusedException(string.Format(rule, max));
    }

    private Deadline Build(DeadlineStep step, DateOnly start, int limit, LimitKind kind, DateOnly last, DateOnly due, string? rule)
    {
        var crossed = new List<CalendarDay>();
        for (var d = start.AddDays(1); d <= due; d = d.AddDays(1))
        {
            var day = calendar.Describe(d);
            if (day.Kind is DayKind.Holiday or DayKind.MakeUpWorkday) crossed.Add(day);
        }
        // The start day itself is not counted (§2), so its year's calendar is never consulted.
        return new Deadline(step, start, limit, kind, last, due, crossed, rule, calendar.MissingYears(start.AddDays(1), due));
    }
}

/// <summary>The dates a petition's deadlines are computed from (implemented by the entity, and by test doubles).</summary>
public interface IPetitionDates
{
    PetitionState State { get; }
    DateOnly ReceivedOn { get; }
    DateOnly? DispatchedOn { get; }
    DateOnly? FirstDecisionOn { get; }
    DateOnly? AcceptedOn { get; }
    bool SimpleProcedure { get; }
    int ExtensionDays { get; }
    DateOnly? RepliedOn { get; }
    DateOnly? ReviewAcceptedOn { get; }
    DateOnly? ReviewDecidedOn { get; }
    DateOnly? RecheckAcceptedOn { get; }
    /// <summary>Date it became finished; defaulted so that existing implementations keep compiling.</summary>
    DateOnly? FinishedOn => null;
}

/// <summary>正常 / 临期 / 超期 of an open deadline (docs/rules.md §4).</summary>
public static class DeadlineStatusRule
{
    public static DeadlineStatus OfOpen(DateOnly due, DateOnly today, int warnDays)
    {
        var left = due.DayNumber - today.DayNumber;
        return left < 0 ? DeadlineStatus.Overdue : left <= warnDays ? DeadlineStatus.DueSoon : DeadlineStatus.Normal;
    }

    /// <summary>
    /// The same rule as an inclusive range of due dates (null = unbounded), so SQL filters and orderings use an index on
    /// the stored due date and can never disagree with <see cref="OfOpen"/>.
    /// </summary>
    public static (DateOnly? From, DateOnly? To) DueRange(DeadlineStatus status, DateOnly today, int warnDays) => status switch
    {
        DeadlineStatus.Overdue => (null, today.AddDays(-1)),
        DeadlineStatus.DueSoon => (today, today.AddDays(warnDays)),
        DeadlineStatus.Normal => (today.AddDays(warnDays + 1), null),
        _ => (null, null),
    };

    /// <summary>Days overdue = today − due date, in calendar days (negative: days left).</summary>
    public static int DaysOverdue(DateOnly due, DateOnly today) => today.DayNumber - due.DayNumber;

    /// <summary>What a chip says about a due date, from <see cref="DaysOverdue"/>: "超期 3 天" / "今日到期" / "剩 12 天".</summary>
    public static string DaysLeftText(int daysOverdue) => daysOverdue switch
    {
        > 0 => $"超期 {daysOverdue} 天",
        0 => "今日到期",
        _ => $"剩 {-daysOverdue} 天",
    };
}

namespace PetitionDashboard.Domain;

public sealed class SupervisionOptions
{
    public const string Section = "Supervision";
    /// <summary>挂牌督办 once more than this many days past due.</summary>
    public int ListedAfterDays { get; set; } = 30;
}

public sealed class BacklogOptions
{
    public const string Section = "Backlog";
    /// <summary>A thread open longer than this is a 积案.</summary>
    public int AgeDays { get; set; } = 180;

    /// <summary>
    /// The one age cut of a 积案: a thread whose first petition was received before this date is older than
    /// <see cref="AgeDays"/> on <paramref name="asOf"/> (used by the daily supervision recompute, the statistics and the demo).
    /// </summary>
    public static DateOnly AgedIfReceivedBefore(DateOnly asOf, int ageDays) => asOf.AddDays(-ageDays);
}

/// <summary>The 督办 levels of docs/rules.md §5.</summary>
public static class SupervisionRule
{
    /// <summary>The level the daily recompute derives from the deadline alone.</summary>
    public static SupervisionLevel Derive(
        bool isOpen, DateOnly? due, DateOnly today, bool assignedOrBacklog, int warnDays, int listedAfterDays)
    {
        if (!isOpen || due is not { } d) return SupervisionLevel.None;
        var overdue = DeadlineStatusRule.DaysOverdue(d, today);
        if (overdue > 0)
            return overdue > listedAfterDays || assignedOrBacklog ? SupervisionLevel.Listed : SupervisionLevel.Supervise;
        return -overdue <= warnDays ? SupervisionLevel.Urge : SupervisionLevel.None;
    }

    /// <summary>
    /// The level after a recompute: automatic recompute never lowers a hand-raised level while the case is still
    /// overdue; once it is no longer overdue the derived level applies again.
    /// </summary>
    public static (SupervisionLevel Level, bool RaisedByHand) Recompute(
        SupervisionLevel current, bool raisedByHand, SupervisionLevel derived, bool stillOverdue)
    {
        if (raisedByHand && stillOverdue && current > derived) return (current, true);
        return (derived, raisedByHand && derived == current && stillOverdue);
    }
}

namespace PetitionDashboard.Domain;

// Dated history that "at the end of W" (docs/rules.md §8) reads when a later change would otherwise rewrite the past.
// A petition's thread, 初件/重件 flag and responsible unit live on its row (what every page shows); each change of one of
// them is also written here with the day it took effect and the value it replaced, so a week before the change still
// sees the old value. A petition that never changed has no rows: its current values hold for every week.

/// <summary>
/// One 息诉罢访 of a 包案 and, if a repeat later reopened it (反弹), the day it did. A 包案 resolved, relapsed and resolved again
/// has two rows: it counts as 化解 from each resolution to the day before its relapse (docs/rules.md §8).
/// </summary>
public class AssignmentResolution
{
    public long Id { get; set; }
    public int AssignmentId { get; set; }
    public DateOnly ResolvedOn { get; set; }
    /// <summary>The 反弹 that ended this resolution; null while it holds.</summary>
    public DateOnly? RelapsedOn { get; set; }
}

/// <summary>
/// A hand link, unlink, merge or undo that moved a petition to another thread or changed its 初件/重件 flag (docs/rules.md §6):
/// from <see cref="On"/> it is (<see cref="ToThreadId"/>, <see cref="ToIsRepeat"/>); before it was the From pair.
/// </summary>
public class PetitionThreadChange
{
    public long Id { get; set; }
    public int PetitionId { get; set; }
    /// <summary>Business date (Shanghai) from which the new thread holds.</summary>
    public DateOnly On { get; set; }
    public DateTime AtUtc { get; set; }
    /// <summary>No foreign key: the thread it left may since have been removed (an emptied thread), its number still names it.</summary>
    public int FromThreadId { get; set; }
    public bool FromIsRepeat { get; set; }
    public int ToThreadId { get; set; }
    public bool ToIsRepeat { get; set; }
}

/// <summary>A change of a petition's 责任单位 (转送/交办 to another unit, a ledger re-import): from <see cref="On"/> it is <see cref="ToUnitId"/>.</summary>
public class PetitionUnitChange
{
    public long Id { get; set; }
    public int PetitionId { get; set; }
    public DateOnly On { get; set; }
    public DateTime AtUtc { get; set; }
    public int FromUnitId { get; set; }
    public int ToUnitId { get; set; }
}

/// <summary>
/// The one way a dated change is written: the change row, and the petition's date of its latest change — the statistics
/// read the history only for a petition changed after the week's Sunday, so the millions that never change cost nothing.
/// </summary>
public static class PetitionHistory
{
    /// <summary>The petition left (<paramref name="fromThreadId"/>, <paramref name="fromIsRepeat"/>) for its current thread and flag on <paramref name="on"/>.</summary>
    public static void ThreadChanged(Petition petition, int fromThreadId, bool fromIsRepeat, DateOnly on, DateTime atUtc)
    {
        if (fromThreadId == petition.ThreadId && fromIsRepeat == petition.IsRepeat) return;
        on = Latest(on, petition.ThreadChangedOn);
        petition.ThreadChanges.Add(new PetitionThreadChange
        {
            PetitionId = petition.Id, On = on, AtUtc = atUtc,
            FromThreadId = fromThreadId, FromIsRepeat = fromIsRepeat, ToThreadId = petition.ThreadId, ToIsRepeat = petition.IsRepeat,
        });
        petition.ThreadChangedOn = on;
    }

    /// <summary>The petition's 责任单位 became its current one on <paramref name="on"/> (the 转送/交办 date, or the day of the import).</summary>
    public static void UnitChanged(Petition petition, int fromUnitId, DateOnly on, DateTime atUtc)
    {
        if (fromUnitId == petition.UnitId) return;
        on = Latest(on, petition.UnitChangedOn);
        petition.UnitChanges.Add(new PetitionUnitChange
        {
            PetitionId = petition.Id, On = on, AtUtc = atUtc, FromUnitId = fromUnitId, ToUnitId = petition.UnitId,
        });
        petition.UnitChangedOn = on;
    }

    // Changes are read in date order: one dated before an earlier-recorded change would break the chain of From values.
    private static DateOnly Latest(DateOnly on, DateOnly? last) => last is { } l && l > on ? l : on;
}

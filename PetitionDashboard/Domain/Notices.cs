using System.ComponentModel.DataAnnotations;

namespace PetitionDashboard.Domain;

/// <summary>Section "Notice": the 反馈 limit a 督办单 gives its unit (docs/rules.md §13).</summary>
public sealed class NoticeOptions
{
    public const string Section = "Notice";
    /// <summary>Working days from the generation day (§2 counting: the day itself is not counted).</summary>
    [Range(1, 30)] public int ResponseWorkingDays { get; set; } = 3;
}

public enum GeneratedDocumentKind { SupervisionReport = 1, SupervisionNotices = 2 }

/// <summary>
/// One generation of a 督办通报 or of a week's 督办单 (who, when, which week), kept so that the reports page lists it and
/// it can be downloaded again. A 通报 keeps its workbook (<see cref="FileId"/>); a 督办单 generation keeps one workbook
/// per unit (<see cref="SupervisionNotice"/>).
/// </summary>
public class GeneratedDocument
{
    public int Id { get; set; }
    public GeneratedDocumentKind Kind { get; set; }
    public DateOnly WeekMonday { get; set; }
    public DateTime GeneratedAtUtc { get; set; }
    public required string GeneratedBy { get; set; }
    /// <summary>The kept file of a 通报 (a prepared file kept, never swept).</summary>
    public Guid? FileId { get; set; }
    /// <summary>督办单: how many units got one; 通报: null.</summary>
    public int? UnitCount { get; set; }
    /// <summary>督办单: 催办 recorded by this generation (0 when the week was already generated).</summary>
    public int? RemindersAdded { get; set; }
    public List<SupervisionNotice> Notices { get; set; } = [];

    public IsoWeek Week => IsoWeek.Of(WeekMonday);
}

/// <summary>督办单: one unit's notice of one generation, with its own kept workbook.</summary>
public class SupervisionNotice
{
    public int Id { get; set; }
    public int DocumentId { get; set; }
    public int UnitId { get; set; }
    public Unit Unit { get; set; } = null!;
    public DateOnly ResponseDueOn { get; set; }
    public int OverdueCount { get; set; }
    public int ListedCount { get; set; }
    public int AssignmentCount { get; set; }
    public Guid FileId { get; set; }
}

/// <summary>The 催办 a 督办单 of week <see cref="WeekMonday"/> recorded on a petition: at most one per petition and week.</summary>
public class NoticeReminder
{
    public int PetitionId { get; set; }
    public DateOnly WeekMonday { get; set; }
    public int DocumentId { get; set; }
}

namespace PetitionDashboard.Data;

/// <summary>
/// One year of the holiday calendar (docs/rules.md §2), shared by every node: the shipped years seed the table, an Admin's
/// upload replaces a year. <see cref="Json"/> is the calendar file as <c>HolidayYear.ToJson</c> writes it.
/// </summary>
public class HolidayCalendarYear
{
    public int Year { get; set; }
    public string Json { get; set; } = "";
    public bool AddedByAdmin { get; set; }
    public DateTime SavedAtUtc { get; set; }
    public string SavedBy { get; set; } = "";
}

/// <summary>
/// The calendar's version, one row: every change of <see cref="HolidayCalendarYear"/> raises it in the same transaction,
/// so a node finds out that its cached calendar is old by reading one number.
/// </summary>
public class HolidayCalendarRevision
{
    public const int SingleRowId = 1;

    public int Id { get; set; }
    public long Number { get; set; }
}

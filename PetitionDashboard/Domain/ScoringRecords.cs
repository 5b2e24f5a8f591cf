namespace PetitionDashboard.Domain;

/// <summary>One saved version of a scoring scheme (docs/rules.md §14). Never updated: an edit saves the next version.</summary>
public class SavedScoringScheme
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int Version { get; set; }
    /// <summary>The scheme's items and grade bands (<see cref="ScoringScheme.ToJson"/>).</summary>
    public required string Definition { get; set; }
    public DateTime SavedAtUtc { get; set; }
    public required string SavedBy { get; set; }
}

/// <summary>A Supervisor's choice of the scheme in force; the latest row holds (the rows are its history).</summary>
public class ScoringSchemeChoice
{
    public int Id { get; set; }
    public required string SchemeName { get; set; }
    public DateTime ChosenAtUtc { get; set; }
    public required string ChosenBy { get; set; }
}

/// <summary>The scheme a week was published under, copied whole, so a later edit or choice never rewrites a published 通报.</summary>
public class PublishedWeekScheme
{
    public int Id { get; set; }
    /// <summary>The week's Monday (Shanghai date), as on <see cref="WeeklyUnitStatistic.WeekMonday"/>.</summary>
    public DateOnly WeekMonday { get; set; }
    public required string SchemeName { get; set; }
    public int SchemeVersion { get; set; }
    public required string Definition { get; set; }
}

using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Backlog;

public enum BacklogSortField { DueDate = 0, CaseNumber, ReceivedOn, Unit, Petitioner, Supervision, Risk }

/// <summary>The grid's sort. Default: most overdue first (earliest current deadline first).</summary>
public sealed record BacklogSort(BacklogSortField Field = BacklogSortField.DueDate, bool Descending = false)
{
    public static readonly BacklogSort MostOverdueFirst = new();

    /// <summary>
    /// Maps a grid column (the <see cref="BacklogRow"/> property it shows) to a SQL sort. Age sorts by received date
    /// reversed (older = larger age); unknown columns fall back to the default.
    /// </summary>
    public static BacklogSort FromColumn(string? column, bool descending) => column switch
    {
        nameof(BacklogRow.CaseNumber) => new(BacklogSortField.CaseNumber, descending),
        nameof(BacklogRow.ReceivedOn) => new(BacklogSortField.ReceivedOn, descending),
        nameof(BacklogRow.Age) => new(BacklogSortField.ReceivedOn, !descending),
        nameof(BacklogRow.CurrentDueDate) => new(BacklogSortField.DueDate, descending),
        nameof(BacklogRow.UnitName) => new(BacklogSortField.Unit, descending),
        nameof(BacklogRow.PetitionerNames) => new(BacklogSortField.Petitioner, descending),
        nameof(BacklogRow.Supervision) => new(BacklogSortField.Supervision, descending),
        nameof(BacklogRow.RiskScore) => new(BacklogSortField.Risk, descending),
        _ => MostOverdueFirst,
    };
}

/// <summary>One grid row: names only, never ID numbers or phones.</summary>
public sealed record BacklogRow
{
    public int Id { get; init; }
    public required string CaseNumber { get; init; }
    public required string PetitionerNames { get; init; }
    public required string Locality { get; init; }
    public required string Category { get; init; }
    public PetitionForm Form { get; init; }
    public required string UnitName { get; init; }
    public DateOnly ReceivedOn { get; init; }
    /// <summary>已过天数: today − received on.</summary>
    public int Age { get; init; }
    public PetitionState State { get; init; }
    public DateOnly? CurrentDueDate { get; init; }
    /// <summary>正常 / 临期 / 超期 for open petitions; null otherwise.</summary>
    public DeadlineStatus? DeadlineStatus { get; init; }
    /// <summary>Today − due (positive: days overdue; negative: days left).</summary>
    public int? DaysOverdue { get; init; }
    /// <summary>The current deadline falls in a year without a holiday arrangement (待节假日安排).</summary>
    public bool DueIsProvisional { get; init; }
    public SupervisionLevel Supervision { get; init; }
    /// <summary>Leader of the thread's 包案 in force (Active or Relapsed), if any.</summary>
    public string? LeaderName { get; init; }
    public bool IsRepeat { get; init; }
    /// <summary>初转重 risk (0–1) of an open 初件 scored by the model in force; null when not scored.</summary>
    public double? RiskScore { get; init; }
    public bool RiskHigh { get; init; }

    /// <summary>Chip text: "超期 12 天", "今日到期", "剩 3 天".</summary>
    public string? DeadlineText => DaysOverdue is { } d ? DeadlineStatusRule.DaysLeftText(d) : null;
}

public sealed record BacklogResult(IReadOnlyList<BacklogRow> Rows, int Total);

/// <summary>
/// What the prerender of the home page read, carried to the interactive render (<see cref="Components.FirstOpen{TKey, TData}"/>,
/// keyed by the filter's URL): the grid's first page under that filter in the default sort (empty for a refused date
/// range), the filter drop-downs, the KPI cards and buckets, and the change counter read before all of them (the live
/// bar counts from it, and the cards catch up on anything newer).
/// </summary>
public sealed record BacklogFirstOpen(BacklogResult FirstPage, BacklogFilterOptions Options, BacklogKpis Kpis, long Version);

/// <summary>
/// A KPI card or aging bucket: its label, its count, and the filter whose grid shows exactly what it counts
/// (<see cref="Count"/> equals that grid's total, except where <see cref="Note"/> says otherwise).
/// </summary>
public sealed record BacklogFigure(string Key, string Label, int Count, BacklogFilter Filter, string? Note = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Url => Filter.ToUrl();
}

public sealed record BacklogKpis(DateOnly Today, IReadOnlyList<BacklogFigure> Cards, IReadOnlyList<BacklogFigure> Buckets)
{
    public BacklogFigure this[string key] => Cards.Concat(Buckets).Single(f => f.Key == key);
}

public sealed record UnitOption(int Id, string Name, UnitKind Kind);

public sealed record BacklogFilterOptions(IReadOnlyList<UnitOption> Units, IReadOnlyList<string> Categories);

/// <summary>What a benchmark prints: how long the KPIs and the first grid page took, and how many rows matched.</summary>
public sealed record BacklogTiming(TimeSpan Kpis, TimeSpan Count, TimeSpan FirstPage, int Total, int PageRows);

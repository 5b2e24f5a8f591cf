using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

/// <summary>Addresses of the drill-down list: every number on the statistics page links to the petitions it counts.</summary>
public static class StatisticLinks
{
    public const string ListPath = "/statistics/list";

    public static string List(DrillDownQuery q)
    {
        var parts = new List<string> { $"week={q.Week}", $"measure={q.Measure}" };
        if (q.UnitId is { } u) parts.Add($"unit={u}");
        if (q.Category is { } c) parts.Add($"category={Uri.EscapeDataString(c)}");
        if (q.Form is { } f) parts.Add($"form={f}");
        return $"{ListPath}?{string.Join("&", parts)}";
    }

    public static string Percent(double? rate) => Kpi.Format(rate);

    /// <summary>The CSS class of a target status (red / amber / green).</summary>
    public static string CssClass(TargetStatus status) => status switch
    {
        TargetStatus.Met => "target-met",
        TargetStatus.Near => "target-near",
        TargetStatus.Missed => "target-missed",
        _ => "target-none",
    };

    public static string AsOfText(DateTime utc) => BusinessTime.MinuteText(utc);
}

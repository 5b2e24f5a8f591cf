using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

/// <summary>Addresses of the drill-down list: every number on the statistics page links to the petitions it counts.</summary>
public static class StatisticLinks
{
    public const string ListPath = "/statistics/list";

    /// <summary>
    /// The list of one number: week, measure and unit in the path (/statistics/list/2026-W48/NewPetitions/12), category and
    /// form in the query. The unit ranking writes ≈ 800 of these per page: the path form is 18 bytes shorter than
    /// ?week=…&amp;measure=…&amp;unit=…, which the list page still reads (links kept from before).
    /// </summary>
    public static string List(DrillDownQuery q)
    {
        var path = q.UnitId is { } u ? $"{ListPath}/{q.Week}/{q.Measure}/{u}" : $"{ListPath}/{q.Week}/{q.Measure}";
        var parts = new List<string>(2);
        if (q.Category is { } c) parts.Add($"category={Uri.EscapeDataString(c)}");
        if (q.Form is { } f) parts.Add($"form={f}");
        return parts.Count == 0 ? path : $"{path}?{string.Join("&", parts)}";
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

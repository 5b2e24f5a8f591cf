using MudBlazor;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Components;

/// <summary>How a deadline status and a 包案 status look on every page: 正常 green, 临期 amber, 超期 red (docs/rules.md §4).</summary>
public static class StatusColors
{
    public static Color Of(DeadlineStatus status) => status switch
    {
        DeadlineStatus.Overdue or DeadlineStatus.Late => Color.Error,
        DeadlineStatus.DueSoon => Color.Warning,
        DeadlineStatus.Normal or DeadlineStatus.OnTime => Color.Success,
        _ => Color.Default,
    };

    public static Color Of(AssignmentStatus status) => status switch
    {
        AssignmentStatus.Relapsed => Color.Error,
        AssignmentStatus.Resolved => Color.Success,
        _ => Color.Primary,
    };
}

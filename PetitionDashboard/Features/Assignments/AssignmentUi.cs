using MudBlazor;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Assignments;

/// <summary>How 包案 states look on screen, in one place.</summary>
public static class AssignmentUi
{
    public static Color ColorOf(ExtensionRequestStatus status) => status switch
    {
        ExtensionRequestStatus.Approved => Color.Success,
        ExtensionRequestStatus.Rejected => Color.Default,
        _ => Color.Warning,
    };

    public static string Percent(double? rate) => AssignmentService.Percent(rate);

    public static string FilterName(AssignmentFilter filter) => filter switch
    {
        AssignmentFilter.Open => "在办（含反弹）",
        AssignmentFilter.Relapsed => "反弹",
        AssignmentFilter.Overdue => "超期",
        AssignmentFilter.Resolved => "已化解",
        _ => "全部",
    };
}

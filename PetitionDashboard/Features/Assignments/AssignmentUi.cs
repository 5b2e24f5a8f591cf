using MudBlazor;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Assignments;

/// <summary>How 包案 states look on screen, in one place.</summary>
public static class AssignmentUi
{
    public static Color ColorOf(DeadlineStatus status) => status switch
    {
        DeadlineStatus.Overdue or DeadlineStatus.Late => Color.Error,
        DeadlineStatus.DueSoon => Color.Warning,
        DeadlineStatus.OnTime => Color.Success,
        _ => Color.Info,
    };

    public static Color ColorOf(AssignmentStatus status) => status switch
    {
        AssignmentStatus.Relapsed => Color.Error,
        AssignmentStatus.Resolved => Color.Success,
        _ => Color.Primary,
    };

    public static Color ColorOf(ExtensionRequestStatus status) => status switch
    {
        ExtensionRequestStatus.Approved => Color.Success,
        ExtensionRequestStatus.Rejected => Color.Default,
        _ => Color.Warning,
    };

    /// <summary>"剩 12 天" / "今日到期" / "超期 3 天".</summary>
    public static string DaysLeftText(int daysLeft) =>
        daysLeft > 0 ? $"剩 {daysLeft} 天" : daysLeft == 0 ? "今日到期" : $"超期 {-daysLeft} 天";

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

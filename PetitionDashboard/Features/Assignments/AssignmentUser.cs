using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Assignments;

/// <summary>Who is acting on 包案: the name written into progress and events, the roles, and the Leader row a Leader user stands for.</summary>
public sealed record AssignmentUser(string Name, int? LeaderId, IReadOnlyCollection<string> Roles)
{
    public static AssignmentUser Anonymous { get; } = new("", null, []);

    public bool IsAuthenticated => Name.Length > 0;

    public bool IsIn(params string[] roles) => IsAuthenticated && roles.Any(Roles.Contains);
}

/// <summary>
/// The signed-in user as 包案 sees it. The app's implementation reads the circuit's authentication state; the accounts
/// feature's ICurrentUser can stand behind it instead (one registration in <see cref="AssignmentsFeature"/>).
/// </summary>
public interface ICurrentAssignmentUser
{
    Task<AssignmentUser> GetAsync(CancellationToken ct = default);
}

/// <summary>
/// Reads the user from <see cref="AuthenticationStateProvider"/>; the leader id from the "pd:leader_id" claim when the
/// sign-in put one there, otherwise from <see cref="AppUser.LeaderId"/>.
/// </summary>
public sealed class AuthenticationStateAssignmentUser(AuthenticationStateProvider authState, IDbContextFactory<AppDbContext> dbFactory)
    : ICurrentAssignmentUser
{
    public const string LeaderIdClaim = "pd:leader_id";
    public const string DisplayNameClaim = "pd:display_name";

    public async Task<AssignmentUser> GetAsync(CancellationToken ct = default)
    {
        var principal = (await authState.GetAuthenticationStateAsync()).User;
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(principal.Identity.Name)) return AssignmentUser.Anonymous;
        var userName = principal.Identity.Name;
        var roles = Domain.Roles.All.Where(principal.IsInRole).ToList();
        var displayName = principal.FindFirstValue(DisplayNameClaim);
        int? leaderId = int.TryParse(principal.FindFirstValue(LeaderIdClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        if (leaderId is null || displayName is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var row = await db.Users.AsNoTracking().Where(u => u.UserName == userName)
                .Select(u => new { u.LeaderId, u.DisplayName }).FirstOrDefaultAsync(ct);
            leaderId ??= row?.LeaderId;
            displayName ??= row?.DisplayName;
        }
        return new AssignmentUser(displayName ?? userName, leaderId, roles);
    }
}

/// <summary>Who may do what with 包案 (DOMAIN.md §10), checked by the service on every call, whatever the page shows.</summary>
public static class AssignmentPermissions
{
    /// <summary>Assign single cases and 集中交办 batches.</summary>
    public static readonly string[] Assign = [Roles.DutyOfficer];

    /// <summary>Progress, extension requests and 息诉罢访 on the 包案 the leader owns (the service also checks the owner).</summary>
    public static readonly string[] EditOwn = [Roles.Leader];

    /// <summary>Approve or refuse an extension request: the supervision office (督查), or an Admin.</summary>
    public static readonly string[] ApproveExtension = [Roles.Supervisor, Roles.Admin];

    /// <summary>Leader workload and a leader's case list; duty officers see the load when they choose a leader.</summary>
    public static readonly string[] ViewWorkload = [Roles.Leader, Roles.Supervisor, Roles.DutyOfficer, Roles.Admin];

    public static void Ensure(AssignmentUser user, string[] roles)
    {
        if (!user.IsAuthenticated) throw new UnauthorizedAccessException("请先登录。");
        if (!user.IsIn(roles))
            throw new UnauthorizedAccessException($"您没有执行此操作的权限（仅限：{string.Join("、", roles.Select(Roles.ToChinese))}）。");
    }
}

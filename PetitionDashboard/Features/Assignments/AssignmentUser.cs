using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Assignments;

/// <summary>Who is acting on 包案: the name written into progress and events, the roles, and the Leader row a Leader user stands for.</summary>
public sealed record AssignmentUser(string Name, int? LeaderId, IReadOnlyCollection<string> Roles)
{
    public static AssignmentUser Anonymous { get; } = new("", null, []);

    public bool IsAuthenticated => Name.Length > 0;

    public bool IsIn(string policy) => IsAuthenticated && Policies.RolesFor(policy).Any(Roles.Contains);
}

/// <summary>The signed-in user as 包案 sees it (tests put a fixed one behind this).</summary>
public interface ICurrentAssignmentUser
{
    Task<AssignmentUser> GetAsync(CancellationToken ct = default);
}

/// <summary>The accounts feature's current user (circuit or request), with the Leader row its sign-in claims name.</summary>
public sealed class SignedInAssignmentUser(ICurrentUser user) : ICurrentAssignmentUser
{
    public Task<AssignmentUser> GetAsync(CancellationToken ct = default) => Task.FromResult(
        user.IsAuthenticated
            ? new AssignmentUser(user.DisplayName ?? user.UserName!, user.LeaderId, Domain.Roles.All.Where(user.IsInRole).ToList())
            : AssignmentUser.Anonymous);
}

/// <summary>Who may do what with 包案: names of rows of the one policy table (<see cref="Policies"/>).</summary>
public static class AssignmentPermissions
{
    public const string Assign = Policies.CanAssign;

    /// <summary>Progress, extension requests and 息诉罢访 on the 包案 the leader owns (the service also checks the owner).</summary>
    public const string EditOwn = Policies.CanEditOwnAssignments;

    public const string ApproveExtension = Policies.CanApproveExtensions;

    public const string ViewWorkload = Policies.CanViewAssignments;

    public static void Ensure(AssignmentUser user, string policy)
    {
        if (!user.IsAuthenticated) throw new AccessDeniedException("请先登录。");
        if (!user.IsIn(policy))
            throw new AccessDeniedException($"您没有执行此操作的权限（仅限：{string.Join("、", Policies.RolesFor(policy).Select(Roles.ToChinese))}）。");
    }
}

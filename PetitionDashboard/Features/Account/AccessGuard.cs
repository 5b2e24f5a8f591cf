namespace PetitionDashboard.Features.Account;

/// <summary>Refusal of an action the current user's role does not allow; the message is shown to the user.</summary>
public sealed class AccessDeniedException(string message) : UnauthorizedAccessException(message);

/// <summary>
/// The server-side check every service method that reads or changes data makes first:
/// <c>guard.Ensure(Policies.CanExport);</c>. Hiding a button is not the check; this is.
/// </summary>
public sealed class AccessGuard(ICurrentUser user)
{
    public ICurrentUser User => user;

    public void Ensure(string policy)
    {
        if (!user.IsAuthenticated) throw new AccessDeniedException("请先登录。");
        if (!user.Allows(policy))
        {
            var roles = string.Join("、", Policies.RolesFor(policy).Select(Domain.Roles.ToChinese));
            throw new AccessDeniedException($"您没有执行此操作的权限（仅限：{roles}）。");
        }
    }

    /// <summary>A Leader may change only the 包案 he owns.</summary>
    public void EnsureOwnLeader(int leaderId)
    {
        Ensure(Policies.CanEditOwnAssignments);
        if (user.LeaderId != leaderId) throw new AccessDeniedException("您只能修改本人包案的案件。");
    }

    public bool Allows(string policy) => user.Allows(policy);
}

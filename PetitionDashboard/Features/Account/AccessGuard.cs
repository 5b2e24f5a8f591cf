using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

/// <summary>
/// The one server-side answer to "who is this, and may they": every service method that reads or changes data asks
/// it first (<c>guard.Ensure(Policies.CanExport);</c>) and takes the actor it records from <see cref="User"/>.
/// Hiding a button is not the check; this is. Jobs and the command line pass it too, as <see cref="FixedCurrentUser.System"/>.
/// </summary>
public sealed class AccessGuard(ICurrentUser user)
{
    public ICurrentUser User => user;

    /// <summary>The name services write into events and progress: the display name, else the sign-in name.</summary>
    public string ActorName => user.DisplayName ?? user.UserName ?? Data.Audit.AuditActorAccessor.SystemActor;

    /// <summary>Refuses (<see cref="RefusalKind.NotAllowed"/>) unless the current user's roles satisfy the policy.</summary>
    public void Ensure(string policy)
    {
        if (!user.IsAuthenticated) throw ActionRefusedException.NotAllowed("请先登录。");
        if (!user.Allows(policy))
        {
            var roles = string.Join("、", Policies.RolesFor(policy).Select(Roles.ToChinese));
            throw ActionRefusedException.NotAllowed($"您没有执行此操作的权限（仅限：{roles}）。");
        }
    }

    public bool Allows(string policy) => user.Allows(policy);
}

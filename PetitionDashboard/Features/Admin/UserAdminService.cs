using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Admin;

public sealed record UserRow(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, int? LeaderId, string? LeaderName,
    bool Disabled, bool LockedOut)
{
    public string RolesText => string.Join("、", Roles.Select(Domain.Roles.ToChinese));
}

public sealed record UserPage(IReadOnlyList<UserRow> Rows, int Total);

public sealed record LeaderOption(int Id, string Name, string Title)
{
    public string Text => $"{Name}（{Title}）";
}

/// <summary>What the system administrator enters for a new or renamed account (no roles: 三员分立).</summary>
public sealed class UserInput
{
    public string UserName { get; set; } = "";
    public string DisplayName { get; set; } = "";
}

/// <summary>What the security administrator grants: the roles, and for a 局领导 the Leader the account stands for.</summary>
public sealed class RoleGrant
{
    public IReadOnlyCollection<string> Roles { get; set; } = [];
    public int? LeaderId { get; set; }
}

/// <summary>
/// User management, split by 三员分立 (docs/rules.md §10): the system administrator creates accounts (no self-registration),
/// renames, disables and resets passwords but grants no roles; the security administrator grants and removes roles and
/// the Leader link, never on his own account; no account may hold two administrator roles. Every method checks its policy
/// on the server; each operation runs in its own scope (own DbContext). Disabling, a reset and a role change end every
/// session of the user (<see cref="UserSessions"/>).
/// </summary>
public sealed class UserAdminService(
    IServiceScopeFactory scopes, IDbContextFactory<AppDbContext> contexts, AccessGuard guard, TimeProvider clock, UserSessions sessions)
{
    public async Task<UserPage> ListAsync(string? search, int page, int pageSize, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewUsers);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            // User names are matched case-insensitively, as at sign-in, on every provider: through Identity's
            // normalized (upper-case) name, since "contains" is case-sensitive on SQLite and PostgreSQL.
            var s = search.Trim();
            var normalized = s.ToUpperInvariant();
            q = q.Where(u => u.NormalizedUserName!.Contains(normalized) || u.DisplayName.Contains(s));
        }
        var total = await q.CountAsync(ct);
        var users = await q.OrderBy(u => u.UserName).Skip(Math.Max(page, 0) * pageSize).Take(pageSize)
            .Select(u => new { u.Id, u.UserName, u.DisplayName, u.LeaderId, u.Disabled, u.LockoutEnd })
            .ToListAsync(ct);
        var ids = users.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var leaderIds = users.Select(u => u.LeaderId).OfType<int>().Distinct().ToList();
        var leaders = await db.Leaders.AsNoTracking().Where(l => leaderIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.Name, ct);
        var now = clock.GetUtcNow();
        return new UserPage(users.Select(u => new UserRow(u.Id, u.UserName ?? "", u.DisplayName,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).OrderBy(r => Domain.Roles.All.ToList().IndexOf(r)).ToList(),
            u.LeaderId, u.LeaderId is { } l ? leaders.GetValueOrDefault(l) : null, u.Disabled, u.LockoutEnd > now)).ToList(), total);
    }

    public async Task<IReadOnlyList<LeaderOption>> LeadersAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageRoles);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Leaders.AsNoTracking().OrderBy(l => l.Name).Select(l => new LeaderOption(l.Id, l.Name, l.Title)).ToListAsync(ct);
    }

    /// <summary>
    /// Creates an account without roles (the security administrator grants them) and returns the generated first
    /// password, shown once to the system administrator, stored only as a hash, to be changed at the first sign-in.
    /// </summary>
    public async Task<string> CreateAsync(UserInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageUsers);
        Validate(input);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var userName = input.UserName.Trim();
        var password = PasswordGenerator.GenerateFor(userName);
        var user = new AppUser { UserName = userName, DisplayName = input.DisplayName.Trim(), MustChangePassword = true };
        ct.ThrowIfCancellationRequested();
        AccountFeature.ThrowIfFailed(await users.CreateAsync(user, password));
        return password;
    }

    /// <summary>Changes the display name (the sign-in name never changes: the audit trail records it).</summary>
    public async Task UpdateAsync(string userId, UserInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageUsers);
        Validate(input, creating: false);
        ct.ThrowIfCancellationRequested();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);
        user.DisplayName = input.DisplayName.Trim();
        AccountFeature.ThrowIfFailed(await users.UpdateAsync(user));
    }

    /// <summary>
    /// The security administrator sets a user's roles and Leader link. Refused on his own account, and for a role set that
    /// combines two administrator roles (三员分立). Every session of the user ends: the next request signs in anew with
    /// the new roles.
    /// </summary>
    public async Task SetRolesAsync(string userId, RoleGrant grant, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageRoles);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);
        if (string.Equals(user.UserName, guard.User.UserName, StringComparison.OrdinalIgnoreCase))
            throw ActionRefusedException.NotAllowed("不能修改自己账户的角色（三员分立：角色由另一位安全管理员授予）。");
        await ValidateAsync(grant, ct);

        var current = await users.GetRolesAsync(user);
        var remove = current.Except(grant.Roles).ToList();
        var add = grant.Roles.Except(current).ToList();
        var leaderId = grant.Roles.Contains(Roles.Leader) ? grant.LeaderId : null;
        if (remove.Count == 0 && add.Count == 0 && leaderId == user.LeaderId) return;
        user.LeaderId = leaderId;
        AccountFeature.ThrowIfFailed(await users.UpdateAsync(user));
        if (remove.Count > 0) AccountFeature.ThrowIfFailed(await users.RemoveFromRolesAsync(user, remove));
        if (add.Count > 0) AccountFeature.ThrowIfFailed(await users.AddToRolesAsync(user, add));
        // Roles live in the cookie and in open circuits: end them, on every node.
        AccountFeature.ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
        await sessions.EndAllAsync(user.Id, SessionEndReasons.RolesChanged, ct: ct);
    }

    /// <summary>A disabled user cannot sign in, and every session of his ends.</summary>
    public async Task SetDisabledAsync(string userId, bool disabled, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageUsers);
        ct.ThrowIfCancellationRequested();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);
        if (disabled && string.Equals(user.UserName, guard.User.UserName, StringComparison.OrdinalIgnoreCase))
            throw new ActionRefusedException("不能停用自己的账户。");
        user.Disabled = disabled;
        AccountFeature.ThrowIfFailed(await users.UpdateAsync(user));
        if (!disabled) return;
        AccountFeature.ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
        await sessions.EndAllAsync(user.Id, SessionEndReasons.Disabled, ct: ct);
    }

    /// <summary>
    /// Sets a new generated password that must be changed at the next sign-in, lifts a lockout, ends the user's sessions and
    /// returns the password to show once. Another administrator's password is reset on the server only
    /// (<c>create-admin --reset</c>): otherwise the system administrator could sign in as the security or audit administrator.
    /// </summary>
    public async Task<string> ResetPasswordAsync(string userId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageUsers);
        ct.ThrowIfCancellationRequested();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);
        if (!string.Equals(user.UserName, guard.User.UserName, StringComparison.OrdinalIgnoreCase)
            && (await users.GetRolesAsync(user)).Any(Roles.Administrators.Contains))
            throw ActionRefusedException.NotAllowed(
                $"管理员账户的密码不能在页面上重置（三员分立）：请在服务器上运行 create-admin --reset {user.UserName}。");
        return await ResetAsync(users, user, sessions, ct);
    }

    /// <summary>The one reset: generated password, changed at the next sign-in, lockout lifted, every session ended.</summary>
    internal static async Task<string> ResetAsync(UserManager<AppUser> users, AppUser user, UserSessions sessions, CancellationToken ct)
    {
        var password = PasswordGenerator.GenerateFor(user.UserName);
        var token = await users.GeneratePasswordResetTokenAsync(user);
        user.MustChangePassword = true; // saved with the new hash
        AccountFeature.ThrowIfFailed(await users.ResetPasswordAsync(user, token, password));
        AccountFeature.ThrowIfFailed(await users.SetLockoutEndDateAsync(user, null));
        AccountFeature.ThrowIfFailed(await users.ResetAccessFailedCountAsync(user));
        await sessions.EndAllAsync(user.Id, SessionEndReasons.PasswordChanged, ct: ct);
        return password;
    }

    /// <summary>Every problem of the form at once (an empty form names all its required fields), not just the first.</summary>
    private static void Validate(UserInput input, bool creating = true)
    {
        var problems = new List<string>();
        if (creating && string.IsNullOrWhiteSpace(input.UserName)) problems.Add("用户名：必填。");
        if (string.IsNullOrWhiteSpace(input.DisplayName)) problems.Add("姓名：必填。");
        else if (input.DisplayName.Trim().Length > FieldLengths.PersonName) problems.Add($"姓名：不能超过 {FieldLengths.PersonName} 个字符。");
        if (problems.Count > 0) throw ActionRefusedException.Invalid(problems);
    }

    private async Task ValidateAsync(RoleGrant grant, CancellationToken ct)
    {
        var problems = new List<string>();
        if (grant.Roles.Count == 0) problems.Add("角色：至少选择一个角色。");
        if (grant.Roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown) problems.Add($"角色：未知角色“{unknown}”。");
        if (AdministratorSeparation.Problem(grant.Roles) is { } separation) problems.Add(separation);
        if (grant.Roles.Contains(Roles.Leader))
        {
            if (grant.LeaderId is not { } leaderId) problems.Add("包案领导：局领导账户必须关联一位包案领导。");
            else
            {
                await using var db = await contexts.CreateDbContextAsync(ct);
                if (!await db.Leaders.AnyAsync(l => l.Id == leaderId, ct)) problems.Add("包案领导：所选领导不存在。");
            }
        }
        if (problems.Count > 0) throw ActionRefusedException.Invalid(problems);
    }

    private static async Task<AppUser> FindAsync(UserManager<AppUser> users, string userId) =>
        await users.FindByIdAsync(userId) ?? throw new ActionRefusedException("找不到该用户。");
}

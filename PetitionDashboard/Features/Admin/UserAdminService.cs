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

/// <summary>What an Admin enters for a new or changed user.</summary>
public sealed class UserInput
{
    public string UserName { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public IReadOnlyCollection<string> Roles { get; set; } = [];
    public int? LeaderId { get; set; }
}

/// <summary>
/// The Admin's user management: create (no self-registration), change roles and the Leader link, disable, reset
/// passwords. Every method is Admin-only on the server; each operation runs in its own scope (own DbContext).
/// </summary>
public sealed class UserAdminService(IServiceScopeFactory scopes, IDbContextFactory<AppDbContext> contexts, AccessGuard guard, TimeProvider clock)
{
    public async Task<UserPage> ListAsync(string? search, int page, int pageSize, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageUsers);
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
        guard.Ensure(Policies.CanManageUsers);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Leaders.AsNoTracking().OrderBy(l => l.Name).Select(l => new LeaderOption(l.Id, l.Name, l.Title)).ToListAsync(ct);
    }

    /// <summary>Creates the user and returns the generated first password (shown once to the Admin, stored only as a hash).</summary>
    public async Task<string> CreateAsync(UserInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageUsers);
        await ValidateAsync(input, ct);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var password = PasswordGenerator.Generate();
        var user = new AppUser { UserName = input.UserName.Trim(), DisplayName = input.DisplayName.Trim(), LeaderId = LeaderLink(input) };
        AccountFeature.ThrowIfFailed(await users.CreateAsync(user, password));
        AccountFeature.ThrowIfFailed(await users.AddToRolesAsync(user, input.Roles));
        return password;
    }

    /// <summary>Changes display name, roles and Leader link; an Admin cannot take away his own Admin role.</summary>
    public async Task UpdateAsync(string userId, UserInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageUsers);
        await ValidateAsync(input, ct);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);
        if (user.UserName == guard.User.UserName && !input.Roles.Contains(Roles.Admin))
            throw new ActionRefusedException("不能取消自己的系统管理员角色。");

        user.DisplayName = input.DisplayName.Trim();
        user.LeaderId = LeaderLink(input);
        AccountFeature.ThrowIfFailed(await users.UpdateAsync(user));
        var current = await users.GetRolesAsync(user);
        var remove = current.Except(input.Roles).ToList();
        var add = input.Roles.Except(current).ToList();
        if (remove.Count > 0) AccountFeature.ThrowIfFailed(await users.RemoveFromRolesAsync(user, remove));
        if (add.Count > 0) AccountFeature.ThrowIfFailed(await users.AddToRolesAsync(user, add));
        // Roles live in the cookie: a new stamp makes open sessions pick up the change within a minute.
        if (remove.Count > 0 || add.Count > 0) AccountFeature.ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
    }

    /// <summary>A disabled user cannot sign in, and his open sessions end within a minute.</summary>
    public async Task SetDisabledAsync(string userId, bool disabled, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageUsers);
        ct.ThrowIfCancellationRequested();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);
        if (disabled && user.UserName == guard.User.UserName) throw new ActionRefusedException("不能停用自己的账户。");
        user.Disabled = disabled;
        AccountFeature.ThrowIfFailed(await users.UpdateAsync(user));
        if (disabled) AccountFeature.ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
    }

    /// <summary>Sets a new generated password, lifts a lockout, and returns the password to show once.</summary>
    public async Task<string> ResetPasswordAsync(string userId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanManageUsers);
        ct.ThrowIfCancellationRequested();
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await FindAsync(users, userId);
        var password = PasswordGenerator.Generate();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        AccountFeature.ThrowIfFailed(await users.ResetPasswordAsync(user, token, password));
        AccountFeature.ThrowIfFailed(await users.SetLockoutEndDateAsync(user, null));
        AccountFeature.ThrowIfFailed(await users.ResetAccessFailedCountAsync(user));
        return password;
    }

    private static int? LeaderLink(UserInput input) => input.Roles.Contains(Roles.Leader) ? input.LeaderId : null;

    /// <summary>Every problem of the form at once (an empty form names all its required fields), not just the first.</summary>
    private async Task ValidateAsync(UserInput input, CancellationToken ct)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(input.UserName)) problems.Add("用户名：必填。");
        if (string.IsNullOrWhiteSpace(input.DisplayName)) problems.Add("姓名：必填。");
        else if (input.DisplayName.Trim().Length > FieldLengths.PersonName) problems.Add($"姓名：不能超过 {FieldLengths.PersonName} 个字符。");
        if (input.Roles.Count == 0) problems.Add("角色：至少选择一个角色。");
        if (input.Roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown) problems.Add($"角色：未知角色“{unknown}”。");
        if (input.Roles.Contains(Roles.Leader))
        {
            if (input.LeaderId is not { } leaderId) problems.Add("包案领导：局领导账户必须关联一位包案领导。");
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

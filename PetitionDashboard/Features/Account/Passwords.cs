using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

/// <summary>
/// The password rules of docs/rules.md §10 for every way a password is set (create, change, reset): length, 3 of 4
/// character classes and not the user name (<see cref="PasswordRules"/>), and none of the user's last
/// <c>PasswordHistory</c> passwords. Every broken rule is named, in Chinese.
/// </summary>
public sealed class PasswordPolicyValidator(IDbContextFactory<AppDbContext> contexts, IOptions<AccountOptions> options) : IPasswordValidator<AppUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        password ??= "";
        var errors = PasswordRules.Check(password, user.UserName, options.Value.PasswordMinLength)
            .Select(text => new IdentityError { Code = "PasswordRule", Description = text }).ToList();
        if (await IsRecentAsync(manager, user, password))
            errors.Add(new IdentityError
            {
                Code = "PasswordHistory", Description = $"密码历史：不能与最近 {options.Value.PasswordHistory} 次使用过的密码相同。",
            });
        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }

    private async Task<bool> IsRecentAsync(UserManager<AppUser> manager, AppUser user, string password)
    {
        var keep = options.Value.PasswordHistory;
        if (keep <= 0 || string.IsNullOrEmpty(user.Id)) return false;
        await using var db = await contexts.CreateDbContextAsync();
        var hashes = await db.PasswordHistory.AsNoTracking().Where(h => h.UserId == user.Id)
            .OrderByDescending(h => h.SetAtUtc).ThenByDescending(h => h.Id).Take(keep).Select(h => h.PasswordHash).ToListAsync();
        // The current password counts too, also for accounts whose history began before this rule.
        if (user.PasswordHash is { } current && !hashes.Contains(current)) hashes.Insert(0, current);
        return hashes.Take(keep).Any(h => manager.PasswordHasher.VerifyHashedPassword(user, h, password) != PasswordVerificationResult.Failed);
    }
}

/// <summary>
/// Identity's user store, plus: whenever a password hash is set (create, change, reset) its time is stamped for the
/// expiry rule and the hash joins the user's history (the newest <c>PasswordHistory</c> kept) — saved with the user,
/// in the same SaveChanges.
/// </summary>
public sealed class AppUserStore(AppDbContext context, TimeProvider clock, IOptions<AccountOptions> options, IdentityErrorDescriber? describer = null)
    : UserStore<AppUser, IdentityRole, AppDbContext>(context, describer)
{
    public override async Task SetPasswordHashAsync(AppUser user, string? passwordHash, CancellationToken cancellationToken = default)
    {
        await base.SetPasswordHashAsync(user, passwordHash, cancellationToken);
        if (passwordHash is null) return;
        var now = clock.GetUtcNow().UtcDateTime;
        user.PasswordChangedAtUtc = now;
        var keep = Math.Max(options.Value.PasswordHistory, 1);
        Context.PasswordHistory.Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = passwordHash, SetAtUtc = now });
        var older = await Context.PasswordHistory.Where(h => h.UserId == user.Id)
            .OrderByDescending(h => h.SetAtUtc).ThenByDescending(h => h.Id).Skip(keep - 1).ToListAsync(cancellationToken);
        Context.PasswordHistory.RemoveRange(older);
    }
}

public static class PasswordExpiry
{
    /// <summary>Whether the password must be changed before anything else: generated/reset, or older than the expiry.</summary>
    public static bool MustChange(AppUser user, AccountOptions options, DateTimeOffset now) =>
        user.MustChangePassword
        || options.PasswordExpiryDays > 0 && user.PasswordChangedAtUtc is { } changed && now.UtcDateTime - changed >= TimeSpan.FromDays(options.PasswordExpiryDays);
}

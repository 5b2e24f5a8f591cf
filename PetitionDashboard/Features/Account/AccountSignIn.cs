using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

public enum SignInOutcome
{
    Failed,
    SignedIn,
    /// <summary>Signed in, but the password must be changed before anything else.</summary>
    MustChangePassword,
}

/// <summary>
/// Sign-in, sign-out and password change with their server-side session (docs/rules.md §10). One answer for unknown
/// users, wrong passwords, locked and disabled accounts (<see cref="FailureMessage"/>), so the form tells nobody which
/// names exist; every failure and every lockout is audited.
/// </summary>
public sealed class AccountSignIn(
    SignInManager<AppUser> signIn, UserSessions sessions, AuditLog audit, IOptions<AccountOptions> options, TimeProvider clock)
{
    public const string FailureMessage = "用户名或密码错误，或账户已被锁定、停用。连续多次输错密码将暂时锁定账户，请稍后再试或联系系统管理员。";

    /// <summary>A fixed hash an unknown name is checked against, so it costs as much time as a known one.</summary>
    private static readonly Lazy<string> UnknownUserHash = new(() => new PasswordHasher<AppUser>().HashPassword(null!, Guid.NewGuid().ToString("N")));

    public async Task<SignInOutcome> SignInAsync(string userName, string password, CancellationToken ct = default)
    {
        var users = signIn.UserManager;
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(null!, UnknownUserHash.Value, password);
            await audit.RecordAsync(AuditActions.SignInFailed, actorName: userName, ct: ct);
            return SignInOutcome.Failed;
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            await audit.RecordAsync(AuditActions.LockedOut, detail: $"锁定至 {user.LockoutEnd?.ToOffset(BusinessTime.Offset):yyyy-MM-dd HH:mm}",
                actorName: userName, ct: ct);
            return SignInOutcome.Failed;
        }
        if (!result.Succeeded)
        {
            await audit.RecordAsync(AuditActions.SignInFailed, detail: result.IsNotAllowed ? "账户已停用" : null, actorName: userName, ct: ct);
            return SignInOutcome.Failed;
        }

        var mustChange = PasswordExpiry.MustChange(user, options.Value, clock.GetUtcNow());
        var sessionId = await sessions.StartAsync(user, ct);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, SessionClaimsFor(sessionId, mustChange));
        await audit.RecordAsync(AuditActions.SignIn, detail: mustChange ? "须先修改密码" : null, actorName: user.UserName, ct: ct);
        return mustChange ? SignInOutcome.MustChangePassword : SignInOutcome.SignedIn;
    }

    /// <summary>Sign-out ends every session of the user, on every node and in every open circuit (docs/rules.md §10).</summary>
    public async Task SignOutAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var user = await signIn.UserManager.GetUserAsync(principal);
        if (user is not null) await sessions.EndAllAsync(user.Id, SessionEndReasons.SignedOut, ct: ct);
        else if (principal.SessionId() is { } sid) await sessions.EndAsync(sid, SessionEndReasons.SignedOut, ct);
        await signIn.SignOutAsync();
        if (principal.Identity?.Name is { } name) await audit.RecordAsync(AuditActions.SignOut, actorName: name, ct: ct);
    }

    /// <summary>
    /// The signed-in user changes his password: every other session of his ends, this one goes on with a fresh cookie
    /// (new security stamp, no "must change" mark). Null on success, else the broken rules.
    /// </summary>
    public async Task<string?> ChangePasswordAsync(ClaimsPrincipal principal, string currentPassword, string newPassword, CancellationToken ct = default)
    {
        var users = signIn.UserManager;
        var user = await users.GetUserAsync(principal);
        if (user is null) return "找不到当前用户，请重新登录。";
        if (currentPassword == newPassword) return "新密码：不能与当前密码相同。";
        var mustChange = user.MustChangePassword;
        user.MustChangePassword = false; // saved with the new hash, in the same update
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            user.MustChangePassword = mustChange;
            return string.Join("；", result.Errors.Select(e => e.Description));
        }
        var sessionId = principal.SessionId();
        await sessions.EndAllAsync(user.Id, SessionEndReasons.PasswordChanged, keep: sessionId, ct: ct);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, SessionClaimsFor(sessionId, mustChange: false));
        await audit.RecordAsync(AuditActions.PasswordChanged, entity: nameof(AppUser), entityKey: user.UserName, actorName: user.UserName, ct: ct);
        return null;
    }

    private static List<Claim> SessionClaimsFor(string? sessionId, bool mustChange)
    {
        var claims = new List<Claim>();
        if (sessionId is not null) claims.Add(new Claim(AccountClaims.SessionId, sessionId));
        if (mustChange) claims.Add(new Claim(AccountClaims.MustChangePassword, "1"));
        return claims;
    }
}

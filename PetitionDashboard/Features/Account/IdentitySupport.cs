using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

/// <summary>Password policy, lockout, sessions and sign-in limits (section <c>Accounts</c>, docs/rules.md §10).</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";
    public int PasswordMinLength { get; set; } = 10;
    /// <summary>A new password may not be any of the user's last this many.</summary>
    public int PasswordHistory { get; set; } = 5;
    /// <summary>After this many days the next sign-in asks for a new password (0: never).</summary>
    public int PasswordExpiryDays { get; set; } = 90;
    public int LockoutFailures { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 15;
    /// <summary>Absolute lifetime of a session, however active.</summary>
    public int SessionHours { get; set; } = 8;
    /// <summary>A session without any request or circuit action for this long ends; the next action goes to sign-in.</summary>
    public int IdleMinutes { get; set; } = 30;
    /// <summary>Open sessions per user; a further sign-in ends the oldest.</summary>
    public int MaxSessionsPerUser { get; set; } = 3;
    /// <summary>How long a node trusts its copy of a session row (an end on another node is seen within this).</summary>
    public int SessionCacheSeconds { get; set; } = 30;
    /// <summary>Sign-in attempts (form posts) per client address per window.</summary>
    public int SignInPerAddress { get; set; } = 20;
    /// <summary>Sign-in attempts per user name per window, from any address.</summary>
    public int SignInPerUserName { get; set; } = 5;
    public int SignInWindowMinutes { get; set; } = 1;
}

/// <summary>Adds the display name and the linked Leader to the sign-in cookie.</summary>
public sealed class AppClaimsPrincipalFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccountClaims.DisplayName, user.DisplayName));
        if (user.LeaderId is { } leaderId)
            identity.AddClaim(new Claim(AccountClaims.LeaderId, leaderId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return identity;
    }
}

/// <summary>A disabled user may not sign in (SignInManager answers NotAllowed).</summary>
public sealed class EnabledUserConfirmation : IUserConfirmation<AppUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<AppUser> manager, AppUser user) => Task.FromResult(!user.Disabled);
}

/// <summary>
/// Re-checks the circuit's user every minute, without counting as activity: a session that ended (sign-out elsewhere,
/// idle, lifetime, password or role change, disabled) or a changed security stamp ends the open circuit too — it goes
/// to sign-in without waiting for the user's next action.
/// </summary>
public sealed class AccountRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> options, UserSessions sessions, SessionEndNotice notice)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        if (state.User.IsCookieSession() && await sessions.CheckAsync(state.User.SessionId(), activity: false, cancellationToken) is { Valid: false } check)
        {
            notice.Reason ??= check.EndReason;
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null || user.Disabled)
        {
            if (user is not null) notice.Reason ??= SessionEndReasons.Disabled;
            return false;
        }
        if (!users.SupportsUserSecurityStamp) return true;
        var stamp = state.User.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }
}

/// <summary>Random passwords for new users, resets and demo accounts: they satisfy the password policy and avoid look-alike characters.</summary>
public static class PasswordGenerator
{
    private const string Lower = "abcdefghijkmnpqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";

    /// <summary>A password that also keeps the rule "not containing the user name" (a short name could turn up by chance).</summary>
    public static string GenerateFor(string? userName)
    {
        while (true)
        {
            var password = Generate();
            if (PasswordRules.Check(password, userName, password.Length).Count == 0) return password;
        }
    }

    public static string Generate(int length = 14)
    {
        length = Math.Max(length, 8);
        var all = Lower + Upper + Digits;
        var chars = new char[length];
        chars[0] = Lower[RandomNumberGenerator.GetInt32(Lower.Length)];
        chars[1] = Upper[RandomNumberGenerator.GetInt32(Upper.Length)];
        chars[2] = Digits[RandomNumberGenerator.GetInt32(Digits.Length)];
        for (var i = 3; i < length; i++) chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}

/// <summary>Identity's messages in Chinese.</summary>
public sealed class ChineseIdentityErrorDescriber : IdentityErrorDescriber
{
    private static IdentityError E(string code, string text) => new() { Code = code, Description = text };
    public override IdentityError DefaultError() => E(nameof(DefaultError), "操作失败。");
    public override IdentityError ConcurrencyFailure() => E(nameof(ConcurrencyFailure), "数据已被他人修改，请刷新后重试。");
    public override IdentityError PasswordMismatch() => E(nameof(PasswordMismatch), "密码不正确。");
    public override IdentityError InvalidToken() => E(nameof(InvalidToken), "令牌无效。");
    public override IdentityError InvalidUserName(string? userName) => E(nameof(InvalidUserName), $"用户名“{userName}”无效：只能包含字母、数字和 . _ - @。");
    public override IdentityError InvalidEmail(string? email) => E(nameof(InvalidEmail), $"邮箱“{email}”无效。");
    public override IdentityError DuplicateUserName(string userName) => E(nameof(DuplicateUserName), $"用户名“{userName}”已被使用。");
    public override IdentityError DuplicateEmail(string email) => E(nameof(DuplicateEmail), $"邮箱“{email}”已被使用。");
    public override IdentityError InvalidRoleName(string? role) => E(nameof(InvalidRoleName), $"角色“{role}”无效。");
    public override IdentityError DuplicateRoleName(string role) => E(nameof(DuplicateRoleName), $"角色“{role}”已存在。");
    public override IdentityError UserAlreadyHasPassword() => E(nameof(UserAlreadyHasPassword), "该用户已设置密码。");
    public override IdentityError UserLockoutNotEnabled() => E(nameof(UserLockoutNotEnabled), "该用户未启用锁定。");
    public override IdentityError UserAlreadyInRole(string role) => E(nameof(UserAlreadyInRole), $"用户已拥有角色“{Roles.ToChinese(role)}”。");
    public override IdentityError UserNotInRole(string role) => E(nameof(UserNotInRole), $"用户没有角色“{Roles.ToChinese(role)}”。");
    public override IdentityError PasswordTooShort(int length) => E(nameof(PasswordTooShort), $"密码至少需要 {length} 个字符。");
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => E(nameof(PasswordRequiresUniqueChars), $"密码至少需要 {uniqueChars} 个不同的字符。");
    public override IdentityError PasswordRequiresNonAlphanumeric() => E(nameof(PasswordRequiresNonAlphanumeric), "密码必须包含至少一个符号。");
    public override IdentityError PasswordRequiresDigit() => E(nameof(PasswordRequiresDigit), "密码必须包含至少一个数字。");
    public override IdentityError PasswordRequiresLower() => E(nameof(PasswordRequiresLower), "密码必须包含至少一个小写字母。");
    public override IdentityError PasswordRequiresUpper() => E(nameof(PasswordRequiresUpper), "密码必须包含至少一个大写字母。");
    public override IdentityError RecoveryCodeRedemptionFailed() => E(nameof(RecoveryCodeRedemptionFailed), "恢复码无效。");
    public override IdentityError LoginAlreadyAssociated() => E(nameof(LoginAlreadyAssociated), "该外部登录已关联其他用户。");
}

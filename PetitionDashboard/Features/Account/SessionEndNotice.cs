using Microsoft.AspNetCore.WebUtilities;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

/// <summary>
/// Why the sign-in page is shown (docs/rules.md §10): when a session ends under the user — idle, lifetime, signed out
/// elsewhere, password or role changed, account disabled, too many sessions — the redirect to sign-in carries the reason
/// (<c>?reason=Idle</c>) and the page says it in Chinese. It tells only what happened to the session of the browser that
/// asks (never which other account or session did anything); an unknown or hand-made reason shows nothing.
/// </summary>
public sealed class SessionEndNotice
{
    public const string QueryKey = "reason";

    /// <summary>In a circuit: why its session ended (set where that is found, read by the redirect to sign-in).</summary>
    public string? Reason { get; set; }

    /// <summary>HttpContext.Items key: the reason the cookie's session was refused in this request.</summary>
    internal const string HttpItem = "pd.session-end";

    /// <summary>The sign-in address with the reason added (none when there is none).</summary>
    public static string WithReason(string loginUri, string? reason) =>
        reason is null || Message(reason, new AccountOptions()) is null ? loginUri : QueryHelpers.AddQueryString(loginUri, QueryKey, reason);

    /// <summary>The page's sentence for a reason, or null for none or an unknown one.</summary>
    public static string? Message(string? reason, AccountOptions o) => reason switch
    {
        SessionEndReasons.Idle => $"您已 {o.IdleMinutes} 分钟未操作，为保护信息安全已自动退出，请重新登录。",
        SessionEndReasons.Lifetime => $"本次登录已满 {o.SessionHours} 小时，请重新登录。",
        SessionEndReasons.SignedOut => "您已在其他页面或设备上退出登录，请重新登录。",
        SessionEndReasons.PasswordChanged => "您的密码已修改，原有登录已失效，请用新密码重新登录。",
        SessionEndReasons.RolesChanged => "您的角色已变更，请重新登录。",
        SessionEndReasons.Disabled => "您的账户已停用，如有疑问请联系系统管理员。",
        SessionEndReasons.TooManySessions => "您的账户在别处登录，同时登录数超过上限，本次登录已结束。如非本人操作，请立即修改密码。",
        _ => null,
    };
}

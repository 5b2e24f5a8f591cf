using Microsoft.AspNetCore.Identity;

namespace PetitionDashboard.Domain;

/// <summary>
/// The roles of docs/rules.md §10: three business roles and the three separated administrators of 等保 三员分立
/// (no account holds two of those, <see cref="AdministratorSeparation"/>).
/// </summary>
public static class Roles
{
    public const string Leader = "Leader";
    public const string Supervisor = "Supervisor";
    public const string DutyOfficer = "DutyOfficer";
    /// <summary>系统管理员: accounts, units, calendars, jobs; grants no roles.</summary>
    public const string SystemAdmin = "SystemAdmin";
    /// <summary>安全管理员: grants and removes roles, never on its own account.</summary>
    public const string SecurityAdmin = "SecurityAdmin";
    /// <summary>审计管理员: reads and exports the audit trail, the only role that sees the other administrators' actions.</summary>
    public const string AuditAdmin = "AuditAdmin";

    public static readonly IReadOnlyList<string> All = [Leader, Supervisor, DutyOfficer, SystemAdmin, SecurityAdmin, AuditAdmin];

    /// <summary>The three administrator roles of 三员分立.</summary>
    public static readonly IReadOnlyList<string> Administrators = [SystemAdmin, SecurityAdmin, AuditAdmin];

    public static string ToChinese(string role) => role switch
    {
        Leader => "局领导",
        Supervisor => "督查",
        DutyOfficer => "值班登记",
        SystemAdmin => "系统管理员",
        SecurityAdmin => "安全管理员",
        AuditAdmin => "审计管理员",
        _ => role,
    };
}

/// <summary>三员分立: no account may hold two of the administrator roles (docs/rules.md §10).</summary>
public static class AdministratorSeparation
{
    /// <summary>The refusal for a role set that combines administrators, or null when it is allowed.</summary>
    public static string? Problem(IEnumerable<string> roles)
    {
        var admins = roles.Where(Roles.Administrators.Contains).Distinct().ToList();
        return admins.Count > 1
            ? $"角色：{string.Join("、", admins.Select(Roles.ToChinese))}不能由同一账户兼任（三员分立）。"
            : null;
    }
}

/// <summary>A person who signs in. A Leader user is linked to the <see cref="Domain.Leader"/> record it stands for.</summary>
public class AppUser : IdentityUser
{
    public required string DisplayName { get; set; }
    public int? LeaderId { get; set; }
    public bool Disabled { get; set; }
    /// <summary>A generated or reset password: the next sign-in goes to the change-password page first.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>When the password was last set; null for accounts older than this column (counted from their next change).</summary>
    public DateTime? PasswordChangedAtUtc { get; set; }
}

/// <summary>
/// One signed-in session (docs/rules.md §10): its id travels in the cookie and is checked on every request and circuit
/// action, so ending the row ends the cookie and every open circuit on every node.
/// </summary>
public class UserSession
{
    /// <summary>Random, 32 hex characters.</summary>
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public DateTime StartedAtUtc { get; set; }
    public DateTime LastActivityAtUtc { get; set; }
    public DateTime? EndedAtUtc { get; set; }
    /// <summary>Why it ended (<see cref="SessionEndReasons"/>).</summary>
    public string? EndReason { get; set; }
}

public static class SessionEndReasons
{
    public const string SignedOut = "SignedOut";
    public const string Idle = "Idle";
    public const string Lifetime = "Lifetime";
    public const string PasswordChanged = "PasswordChanged";
    public const string RolesChanged = "RolesChanged";
    public const string Disabled = "Disabled";
    public const string TooManySessions = "TooManySessions";

    public static string ToChinese(string? reason) => reason switch
    {
        SignedOut => "退出登录",
        Idle => "长时间未操作",
        Lifetime => "超过最长登录时长",
        PasswordChanged => "密码已修改",
        RolesChanged => "角色已变更",
        Disabled => "账户已停用",
        TooManySessions => "同时登录数超过上限，最早的会话被结束",
        _ => reason ?? "",
    };
}

/// <summary>The class of an audit row's actor when it was written (三员分立, docs/rules.md §10).</summary>
public static class AuditActorClasses
{
    /// <summary>A user without an administrator role (or a name nobody holds, e.g. a failed sign-in).</summary>
    public const string Business = "Business";
    /// <summary>A user holding 系统管理员, 安全管理员 or 审计管理员.</summary>
    public const string Administrator = "Administrator";
    /// <summary>The app itself: jobs, start-up and the command line (<c>create-admin</c>, <c>import</c>, <c>rotate-keys</c>), recorded as 系统.</summary>
    public const string System = "System";

    public const int MaxLength = 16;

    /// <summary>"系统" and its qualified forms ("系统（每日重算）"); user names cannot hold Chinese characters.</summary>
    public static bool IsSystemActor(string actor) => actor == "系统" || actor.StartsWith("系统（", StringComparison.Ordinal);
}

/// <summary>A past password's hash, so a new password cannot repeat one of the last few (docs/rules.md §10).</summary>
public class PasswordHistoryEntry
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string PasswordHash { get; set; }
    public DateTime SetAtUtc { get; set; }
}

/// <summary>One audit-trail row: who, when, what (docs/rules.md §10).</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    public required string Actor { get; set; }
    /// <summary>e.g. Update, SignIn, SignInFailed, Reveal, Export.</summary>
    public required string Action { get; set; }
    public string? Entity { get; set; }
    public string? EntityKey { get; set; }
    public string? Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    /// <summary>Case number when the row concerns a petition, for the audit page's case filter.</summary>
    public string? CaseNumber { get; set; }
    public string? Detail { get; set; }
    /// <summary>
    /// Who the actor was when the row was written (<see cref="AuditActorClasses"/>): set by the audit interceptor on every
    /// new row, so 三员分立 still hides an administrator's actions after his role is removed. Null only for a row the
    /// interceptor never saw, which nobody but the audit administrator reads.
    /// </summary>
    public string? ActorClass { get; set; }

    /// <summary>The one way to build a row: every free text is clipped to its column (<see cref="FieldLengths"/>).</summary>
    public static AuditEntry Create(
        DateTime atUtc, string actor, string action, string? entity = null, string? entityKey = null, string? caseNumber = null,
        string? field = null, string? oldValue = null, string? newValue = null, string? detail = null) => new()
    {
        AtUtc = atUtc,
        Actor = FieldLengths.Clip(actor, FieldLengths.Actor),
        Action = action,
        Entity = entity,
        EntityKey = FieldLengths.Clip(entityKey, FieldLengths.AuditKey),
        CaseNumber = FieldLengths.Clip(caseNumber, FieldLengths.CaseNumber),
        Field = field,
        OldValue = FieldLengths.Clip(oldValue, FieldLengths.AuditValue),
        NewValue = FieldLengths.Clip(newValue, FieldLengths.AuditValue),
        Detail = FieldLengths.Clip(detail, FieldLengths.AuditDetail),
    };
}

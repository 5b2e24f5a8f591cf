using Microsoft.AspNetCore.Authorization;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

/// <summary>
/// The one table of who may do what (docs/rules.md §10). Pages use <c>[Authorize(Policy = Policies.X)]</c>,
/// services call <see cref="AccessGuard.Ensure"/> with the same names; both read this table.
/// </summary>
public static class Policies
{
    /// <summary>Backlog, case pages, statistics: reading the dashboards.</summary>
    public const string CanViewDashboards = nameof(CanViewDashboards);
    /// <summary>Full 身份证号 and phone numbers, and the "show" action.</summary>
    public const string CanSeePersonalData = nameof(CanSeePersonalData);
    /// <summary>Register petitions, import ledgers.</summary>
    public const string CanRegister = nameof(CanRegister);
    /// <summary>Import a ledger (台账) file: the duty officers who register, and the system administrator who loads master data.</summary>
    public const string CanImportLedger = nameof(CanImportLedger);
    /// <summary>Link and unlink repeat petitions by hand.</summary>
    public const string CanLinkRepeats = nameof(CanLinkRepeats);
    /// <summary>Create and change 领导包案.</summary>
    public const string CanAssign = nameof(CanAssign);
    /// <summary>A Leader's progress on the 包案 he owns (the service also checks that the case is his).</summary>
    public const string CanEditOwnAssignments = nameof(CanEditOwnAssignments);
    /// <summary>Approve or refuse a leader's 包案 extension request (the supervision office, or the system administrator).</summary>
    public const string CanApproveExtensions = nameof(CanApproveExtensions);
    /// <summary>Leader workload, a leader's 包案 list, 集中交办 batches.</summary>
    public const string CanViewAssignments = nameof(CanViewAssignments);
    /// <summary>Record a petition's handling steps as units report them: 转送/交办, the unit's decision, reply, evaluation, 办结 …; ask for a 延期.</summary>
    public const string CanHandleCases = nameof(CanHandleCases);
    /// <summary>Approve or refuse a petition's 延期 (docs/rules.md §3), or grant one directly.</summary>
    public const string CanApprovePetitionExtensions = nameof(CanApprovePetitionExtensions);
    /// <summary>Raise supervision levels by hand; publish weekly reports.</summary>
    public const string CanManageLevels = nameof(CanManageLevels);
    /// <summary>Export reports and lists (every export is audited).</summary>
    public const string CanExport = nameof(CanExport);
    /// <summary>Choose the scoring scheme in force and edit schemes (考核方案): the supervision office ranks the units.</summary>
    public const string CanManageScoring = nameof(CanManageScoring);
    /// <summary>Weekly statistics and their drill-down lists (the system administrator too: a failed recompute must be visible to him).</summary>
    public const string CanViewStatistics = nameof(CanViewStatistics);
    /// <summary>Start a statistics recompute by hand.</summary>
    public const string CanRecomputeStatistics = nameof(CanRecomputeStatistics);
    /// <summary>The audit trail page; without <see cref="CanReadAdministratorAudit"/> the administrators' actions are left out.</summary>
    public const string CanReadAudit = nameof(CanReadAudit);
    /// <summary>
    /// Export the audit trail (.xlsx): who may read it may take away what he reads — a Supervisor the business rows, the
    /// audit administrator everything. A row of its own, so a bureau can narrow it to 审计管理员 alone.
    /// </summary>
    public const string CanExportAudit = nameof(CanExportAudit);
    /// <summary>三员分立: the administrators' (and the system's) own actions in the audit trail — the audit administrator only.</summary>
    public const string CanReadAdministratorAudit = nameof(CanReadAdministratorAudit);
    /// <summary>The user list (the system and the security administrator both work on it).</summary>
    public const string CanViewUsers = nameof(CanViewUsers);
    /// <summary>Accounts: create, rename, disable, reset passwords — no roles (三员分立).</summary>
    public const string CanManageUsers = nameof(CanManageUsers);
    /// <summary>Grant and remove roles and the Leader link of a 局领导 account, never on one's own account (三员分立).</summary>
    public const string CanManageRoles = nameof(CanManageRoles);
    /// <summary>Units, categories, holiday calendars.</summary>
    public const string CanManageMasterData = nameof(CanManageMasterData);
    /// <summary>Write a 领导批示 (docs/rules.md §12): Leaders, as the Leader record their account stands for.</summary>
    public const string CanWriteInstructions = nameof(CanWriteInstructions);
    /// <summary>Record a unit's 反馈 to a 批示.</summary>
    public const string CanRecordInstructionResponses = nameof(CanRecordInstructionResponses);
    /// <summary>See the 超期未反馈 批示 (the home page card).</summary>
    public const string CanFollowInstructions = nameof(CanFollowInstructions);
    /// <summary>Generate the week's 督办单 (docs/rules.md §13; each records a 催办 on its open petitions).</summary>
    public const string CanIssueNotices = nameof(CanIssueNotices);
    /// <summary>领导接访 / 下访 (docs/rules.md §11): the reception schedule, its bookings and records, the visits (reading).</summary>
    public const string CanViewReceptions = nameof(CanViewReceptions);
    /// <summary>Publish reception days (at least the day before) and record 下访.</summary>
    public const string CanPublishReceptions = nameof(CanPublishReceptions);
    /// <summary>Book petitioners into a reception day, add walk-ins on the day.</summary>
    public const string CanBookReceptions = nameof(CanBookReceptions);
    /// <summary>Record a reception and the Leader's decision (the duty officer at the Leader's side; it registers, 交办 and 包案 through the same services).</summary>
    public const string CanRecordReceptions = nameof(CanRecordReceptions);
    /// <summary>我的接访: a Leader's own reception schedule and history.</summary>
    public const string CanViewOwnReceptions = nameof(CanViewOwnReceptions);
    /// <summary>The Hangfire dashboard at /jobs.</summary>
    public const string CanViewJobs = nameof(CanViewJobs);
    /// <summary>Told from 1 November that next year's holiday arrangement is not loaded (who loads it, who reports on deadlines).</summary>
    public const string CanSeeCalendarNotice = nameof(CanSeeCalendarNotice);

    /// <summary>Policy → roles that satisfy it.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Table = new Dictionary<string, IReadOnlyList<string>>
    {
        [CanViewDashboards] = [Roles.Leader, Roles.Supervisor, Roles.DutyOfficer],
        [CanSeePersonalData] = [Roles.DutyOfficer, Roles.SystemAdmin],
        [CanRegister] = [Roles.DutyOfficer],
        [CanImportLedger] = [Roles.DutyOfficer, Roles.SystemAdmin],
        [CanLinkRepeats] = [Roles.DutyOfficer],
        [CanAssign] = [Roles.DutyOfficer],
        [CanEditOwnAssignments] = [Roles.Leader],
        [CanApproveExtensions] = [Roles.Supervisor, Roles.SystemAdmin],
        [CanViewAssignments] = [Roles.Leader, Roles.Supervisor, Roles.DutyOfficer],
        [CanHandleCases] = [Roles.DutyOfficer],
        [CanApprovePetitionExtensions] = [Roles.Supervisor],
        [CanManageLevels] = [Roles.Supervisor],
        [CanExport] = [Roles.Supervisor],
        [CanManageScoring] = [Roles.Supervisor],
        [CanViewStatistics] = [Roles.Leader, Roles.Supervisor, Roles.DutyOfficer, Roles.SystemAdmin],
        [CanRecomputeStatistics] = [Roles.Supervisor, Roles.SystemAdmin],
        [CanReadAudit] = [Roles.Supervisor, Roles.AuditAdmin],
        [CanExportAudit] = [Roles.Supervisor, Roles.AuditAdmin],
        [CanReadAdministratorAudit] = [Roles.AuditAdmin],
        [CanViewUsers] = [Roles.SystemAdmin, Roles.SecurityAdmin],
        [CanManageUsers] = [Roles.SystemAdmin],
        [CanManageRoles] = [Roles.SecurityAdmin],
        [CanManageMasterData] = [Roles.SystemAdmin],
        [CanViewJobs] = [Roles.SystemAdmin],
        [CanSeeCalendarNotice] = [Roles.Supervisor, Roles.SystemAdmin],
        [CanWriteInstructions] = [Roles.Leader],
        [CanRecordInstructionResponses] = [Roles.DutyOfficer, Roles.Supervisor],
        [CanFollowInstructions] = [Roles.Leader, Roles.Supervisor],
        [CanIssueNotices] = [Roles.Supervisor],
        [CanViewReceptions] = [Roles.Leader, Roles.Supervisor, Roles.DutyOfficer],
        [CanPublishReceptions] = [Roles.DutyOfficer],
        [CanBookReceptions] = [Roles.DutyOfficer],
        [CanRecordReceptions] = [Roles.DutyOfficer],
        [CanViewOwnReceptions] = [Roles.Leader],
    };

    public static IReadOnlyList<string> RolesFor(string policy) =>
        Table.TryGetValue(policy, out var roles) ? roles : throw new ArgumentException($"Unknown policy {policy}", nameof(policy));

    /// <summary>
    /// Where a role starts: the backlog for whoever may read dashboards; user management for the system and the security
    /// administrator, the audit trail for the audit administrator (none of them reads dashboards). The sign-in, the
    /// access-denied page's 返回首页 and an administrator opening "/" all go here, so no role meets a dead end.
    /// </summary>
    public static string StartPage(IEnumerable<string> roles)
    {
        var held = roles.ToList();
        return held.Any(RolesFor(CanViewDashboards).Contains) ? "/"
            : held.Any(RolesFor(CanViewUsers).Contains) ? "/admin/users"
            : held.Any(RolesFor(CanReadAudit).Contains) ? "/audit"
            : held.Any(RolesFor(CanViewStatistics).Contains) ? "/statistics"
            : "/account/change-password";
    }

    public static string StartPage(System.Security.Claims.ClaimsPrincipal user) =>
        StartPage(Roles.All.Where(user.IsInRole));

    public static bool Allows(System.Security.Claims.ClaimsPrincipal user, string policy) =>
        user.Identity?.IsAuthenticated == true && RolesFor(policy).Any(user.IsInRole);

    /// <summary>Every page and endpoint is closed to anonymous users unless it says [AllowAnonymous]; plus one policy per row of the table.</summary>
    public static void Configure(AuthorizationOptions options)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        foreach (var (name, roles) in Table)
            options.AddPolicy(name, p => p.RequireAuthenticatedUser().RequireRole(roles));
    }
}

using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Admin;
using PetitionDashboard.Features.Audit;

using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Account;

/// <summary>The same §10 rules one level down: each service method called directly as each role, no page involved.</summary>
public class ServiceAccessMatrixTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Operation → roles allowed, written out from docs/rules.md §10.</summary>
    private static readonly (string Operation, string[] Allowed, Func<AccountTestServices, ICurrentUser, Task> Call)[] Operations =
    [
        ("用户列表", [Roles.SystemAdmin, Roles.SecurityAdmin], (s, u) => s.UserAdmin(u).ListAsync(null, 0, 10, Ct)),
        ("包案领导列表", [Roles.SecurityAdmin], (s, u) => s.UserAdmin(u).LeadersAsync(Ct)),
        ("新建用户", [Roles.SystemAdmin], (s, u) => s.UserAdmin(u).CreateAsync(new UserInput
            { UserName = "new-" + Guid.NewGuid().ToString("N")[..8], DisplayName = "新用户" }, Ct)),
        ("改姓名", [Roles.SystemAdmin], async (s, u) => await s.UserAdmin(u).UpdateAsync((await s.CreateUserAsync("n-" + Guid.NewGuid().ToString("N")[..8], "Secret1234abc", Roles.Supervisor)).Id,
            new UserInput { DisplayName = "新姓名" }, Ct)),
        ("授予角色", [Roles.SecurityAdmin], async (s, u) => await s.UserAdmin(u).SetRolesAsync((await s.CreateUserAsync("g-" + Guid.NewGuid().ToString("N")[..8], "Secret1234abc", Roles.Supervisor)).Id,
            new RoleGrant { Roles = [Roles.DutyOfficer] }, Ct)),
        ("停用用户", [Roles.SystemAdmin], async (s, u) => await s.UserAdmin(u).SetDisabledAsync((await s.CreateUserAsync("t-" + Guid.NewGuid().ToString("N")[..8], "Secret1234abc", Roles.Supervisor)).Id, true, Ct)),
        ("重置密码", [Roles.SystemAdmin], async (s, u) => await s.UserAdmin(u).ResetPasswordAsync((await s.CreateUserAsync("r-" + Guid.NewGuid().ToString("N")[..8], "Secret1234abc", Roles.Supervisor)).Id, Ct)),
        ("审计日志", [Roles.Supervisor, Roles.AuditAdmin], (s, u) => s.AuditQuery(u).SearchAsync(new AuditFilter(), 0, 10, Ct)),
        ("导出审计日志", [Roles.Supervisor, Roles.AuditAdmin], (s, u) => s.AuditQuery(u).ExportAsync(new AuditFilter(), new MemoryStream(), Ct)),
        ("显示完整个人信息", [Roles.DutyOfficer, Roles.SystemAdmin], async (s, u) =>
        {
            var (_, petitionerId) = await s.AddPetitionAsync("LC-" + Guid.NewGuid().ToString("N")[..10], "110101199003071234", "13812345678");
            await s.PersonalData(u).RevealAsync(petitionerId, null, Ct);
        }),
    ];

    [Fact]
    public async Task EveryServiceOperation_RefusesTheRolesSection10Excludes()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var expected = new List<string>();
        var actual = new List<string>();
        foreach (var (operation, allowed, call) in Operations)
        foreach (var role in AccountTestServices.RolesAndAnonymous)
        {
            var user = AccountTestServices.As(role);
            expected.Add($"{role ?? "anonymous"} {operation} {(role is not null && allowed.Contains(role) ? "allowed" : "refused")}");
            string outcome;
            try
            {
                using (s.ActingAs(user)) await call(s, user);
                outcome = "allowed";
            }
            catch (ActionRefusedException e) when (e.Kind == RefusalKind.NotAllowed)
            {
                outcome = "refused";
            }
            actual.Add($"{role ?? "anonymous"} {operation} {outcome}");
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Refusal_SaysInChineseWhoMayDoIt()
    {
        var guard = new AccessGuard(AccountTestServices.As(Roles.Leader));
        var e = Refused.NotAllowed(() => guard.Ensure(Policies.CanManageUsers));
        Assert.Equal("您没有执行此操作的权限（仅限：系统管理员）。", e.Message);
        Assert.Equal("请先登录。", Refused.NotAllowed(() => new AccessGuard(FixedCurrentUser.Anonymous).Ensure(Policies.CanViewDashboards)).Message);
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Admin;
using PetitionDashboard.Tests.Features.Account;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Admin;

public class UserAdminServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly ICurrentUser Admin = AccountTestServices.As(Roles.SystemAdmin);
    private static readonly ICurrentUser Security = AccountTestServices.As(Roles.SecurityAdmin);

    private static async Task<SignInResult> CheckPasswordAsync(AccountTestServices s, string userName, string password)
    {
        await using var scope = s.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        var user = await users.FindByNameAsync(userName);
        return await signIn.CheckPasswordSignInAsync(user!, password, lockoutOnFailure: true);
    }

    [Fact]
    public async Task CreatedUser_SignsInWithTheGeneratedPassword_AndTheCreationIsAudited()
    {
        await using var s = await AccountTestServices.CreateAsync();
        string password;
        using (s.ActingAs(Admin))
            password = await s.UserAdmin(Admin).CreateAsync(new UserInput { UserName = "lisi", DisplayName = "李四" }, Ct);
        // 三员分立: the system administrator creates the account, the security administrator grants its role.
        var id = (await s.UserAdmin(Admin).ListAsync("lisi", 0, 10, Ct)).Rows.Single().Id;
        using (s.ActingAs(Security))
            await s.UserAdmin(Security).SetRolesAsync(id, new RoleGrant { Roles = [Roles.DutyOfficer] }, Ct);

        Assert.True(password.Length >= 10 && password.Any(char.IsDigit) && password.Any(char.IsLower));
        Assert.Empty(PasswordRules.Check(password, "lisi", 10));
        Assert.True((await CheckPasswordAsync(s, "lisi", password)).Succeeded);
        var page = await s.UserAdmin(Admin).ListAsync("李", 0, 10, Ct);
        var row = Assert.Single(page.Rows);
        Assert.Equal("值班登记", row.RolesText);

        var audit = await s.AuditEntriesAsync();
        Assert.Contains(audit, a => a.Entity == nameof(AppUser) && a.Action == AuditActions.Create && a.Actor == "test-systemadmin" && a.EntityKey == "lisi");
        Assert.Contains(audit, a => a.Entity == "UserRole" && a.Action == AuditActions.Create && a.Detail == "角色 值班登记" && a.Actor == "test-securityadmin");
        Assert.DoesNotContain(audit, a => (a.NewValue ?? "").Contains(password) || (a.Detail ?? "").Contains(password));
    }

    [Fact]
    public async Task DisabledUser_CannotSignIn_UntilEnabledAgain()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var user = await s.CreateUserAsync("wangwu", "Secret1234abc", Roles.Supervisor);
        await s.UserAdmin(Admin).SetDisabledAsync(user.Id, true, Ct);
        Assert.True((await CheckPasswordAsync(s, "wangwu", "Secret1234abc")).IsNotAllowed);

        await s.UserAdmin(Admin).SetDisabledAsync(user.Id, false, Ct);
        Assert.True((await CheckPasswordAsync(s, "wangwu", "Secret1234abc")).Succeeded);
        Assert.Contains(await s.AuditEntriesAsync(), a => a.Field == nameof(AppUser.Disabled) && a.OldValue == "否" && a.NewValue == "是");
    }

    [Fact]
    public async Task ResetPassword_ReplacesTheOldOne_AndLiftsALockout()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var user = await s.CreateUserAsync("zhaoliu", "Secret1234abc", Roles.Supervisor);
        for (var i = 0; i < 5; i++) await CheckPasswordAsync(s, "zhaoliu", "wrong-password-1");
        Assert.True((await CheckPasswordAsync(s, "zhaoliu", "Secret1234abc")).IsLockedOut);

        var fresh = await s.UserAdmin(Admin).ResetPasswordAsync(user.Id, Ct);
        Assert.True((await CheckPasswordAsync(s, "zhaoliu", fresh)).Succeeded);
        Assert.False((await CheckPasswordAsync(s, "zhaoliu", "Secret1234abc")).Succeeded);
    }

    [Fact]
    public async Task AnEmptyNewUserForm_NamesEveryMissingField()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var e = await Assert.ThrowsAsync<ActionRefusedException>(() => s.UserAdmin(Admin).CreateAsync(new UserInput(), Ct));
        Assert.Equal(["用户名：必填。", "姓名：必填。"], e.Problems);
        Assert.Contains("用户名：必填。；姓名：必填。", e.Message);
        // The roles are the security administrator's form: an empty grant names its missing field too.
        var user = await s.CreateUserAsync("noroles", "Secret1234abc");
        var roles = await Assert.ThrowsAsync<ActionRefusedException>(() => s.UserAdmin(Security).SetRolesAsync(user.Id, new RoleGrant(), Ct));
        Assert.Equal(["角色：至少选择一个角色。"], roles.Problems);
    }

    [Fact]
    public async Task ALeaderUser_MustBeLinkedToAnExistingLeader()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var ld = await s.CreateUserAsync("ld", "Secret1234abc");
        var e = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            s.UserAdmin(Security).SetRolesAsync(ld.Id, new RoleGrant { Roles = [Roles.Leader] }, Ct));
        Assert.Contains("必须关联一位包案领导", e.Message);

        int leaderId;
        await using (var db = await s.Contexts.CreateDbContextAsync(Ct))
        {
            var leader = new Leader { Name = "陈局长", Title = "局长" };
            db.Leaders.Add(leader);
            await db.SaveChangesAsync(Ct);
            leaderId = leader.Id;
        }
        await s.UserAdmin(Security).SetRolesAsync(ld.Id, new RoleGrant { Roles = [Roles.Leader], LeaderId = leaderId }, Ct);
        var row = Assert.Single((await s.UserAdmin(Admin).ListAsync("ld", 0, 10, Ct)).Rows);
        Assert.Equal(("陈局长", leaderId), (row.LeaderName, row.LeaderId));
    }

    [Fact]
    public async Task Search_MatchesUserNamesWhateverTheCase_AndDisplayNames()
    {
        await using var s = await AccountTestServices.CreateAsync();
        await s.CreateUserAsync("Wang.Duty", "Secret1234abc", Roles.DutyOfficer);

        Assert.Equal(["Wang.Duty"], (await s.UserAdmin(Admin).ListAsync("wang", 0, 10, Ct)).Rows.Select(r => r.UserName));
        Assert.Equal(["Wang.Duty"], (await s.UserAdmin(Admin).ListAsync("G.DU", 0, 10, Ct)).Rows.Select(r => r.UserName));
        Assert.Empty((await s.UserAdmin(Admin).ListAsync("wang.x", 0, 10, Ct)).Rows);
    }

    [Fact]
    public async Task AnAdmin_CannotDisableHimself_OrChangeHisOwnRoles()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var me = await s.CreateUserAsync("test-systemadmin", "Secret1234abc", Roles.SystemAdmin);
        await Assert.ThrowsAsync<ActionRefusedException>(() => s.UserAdmin(Admin).SetDisabledAsync(me.Id, true, Ct));
        // The system administrator grants no roles at all, his own included …
        await Refused.NotAllowedAsync(() => s.UserAdmin(Admin).SetRolesAsync(me.Id, new RoleGrant { Roles = [Roles.Supervisor] }, Ct));
        // … and the security administrator none on his own account.
        var security = await s.CreateUserAsync("test-securityadmin", "Secret1234abc", Roles.SecurityAdmin);
        var own = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            s.UserAdmin(Security).SetRolesAsync(security.Id, new RoleGrant { Roles = [Roles.SecurityAdmin, Roles.Supervisor] }, Ct));
        Assert.Contains("不能修改自己账户的角色", own.Message);
    }

    [Fact]
    public async Task DemoAccounts_OnePerRole_LeaderLinkedToTheFirstLeader_PasswordsWork_AndNotRecreated()
    {
        await using var s = await AccountTestServices.CreateAsync();
        await using (var db = await s.Contexts.CreateDbContextAsync(Ct))
        {
            db.Leaders.AddRange(new Leader { Name = "甲", Title = "局长" }, new Leader { Name = "乙", Title = "副局长" });
            await db.SaveChangesAsync(Ct);
        }
        var accounts = await DemoAccounts.EnsureAsync(s.Services, Ct);
        Assert.Equal(Roles.All.OrderBy(r => r), accounts.Select(a => a.Role).OrderBy(r => r));
        Assert.Equal(Roles.All.Count, accounts.Select(a => a.Password).Distinct().Count());
        Assert.Equal(Roles.SystemAdmin, accounts.Single(a => a.UserName == "admin").Role);
        foreach (var a in accounts) Assert.True((await CheckPasswordAsync(s, a.UserName, a.Password)).Succeeded);
        var leader = Assert.Single((await s.UserAdmin(Admin).ListAsync("leader", 0, 10, Ct)).Rows);
        Assert.Equal("甲", leader.LeaderName);

        Assert.Empty(await DemoAccounts.EnsureAsync(s.Services, Ct));
        var console = new StringWriter();
        DemoAccounts.Print(accounts, console);
        Assert.Contains(accounts[0].Password, console.ToString());
    }
}

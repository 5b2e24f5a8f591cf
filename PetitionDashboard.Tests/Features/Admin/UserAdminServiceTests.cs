using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Admin;
using PetitionDashboard.Tests.Features.Account;

namespace PetitionDashboard.Tests.Features.Admin;

public class UserAdminServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly ICurrentUser Admin = AccountTestServices.As(Roles.Admin);

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
            password = await s.UserAdmin(Admin).CreateAsync(new UserInput { UserName = "lisi", DisplayName = "李四", Roles = [Roles.DutyOfficer] }, Ct);

        Assert.True(password.Length >= 10 && password.Any(char.IsDigit) && password.Any(char.IsLower));
        Assert.True((await CheckPasswordAsync(s, "lisi", password)).Succeeded);
        var page = await s.UserAdmin(Admin).ListAsync("李", 0, 10, Ct);
        var row = Assert.Single(page.Rows);
        Assert.Equal("值班登记", row.RolesText);

        var audit = await s.AuditEntriesAsync();
        Assert.Contains(audit, a => a.Entity == nameof(AppUser) && a.Action == AuditActions.Create && a.Actor == "test-admin" && a.EntityKey == "lisi");
        Assert.Contains(audit, a => a.Entity == "UserRole" && a.Action == AuditActions.Create && a.Detail == "角色 值班登记");
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
        Assert.Equal(["用户名：必填。", "姓名：必填。", "角色：至少选择一个角色。"], e.Problems);
        Assert.Contains("用户名：必填。；姓名：必填。；角色：至少选择一个角色。", e.Message);
    }

    [Fact]
    public async Task ALeaderUser_MustBeLinkedToAnExistingLeader()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var e = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            s.UserAdmin(Admin).CreateAsync(new UserInput { UserName = "ld", DisplayName = "领导", Roles = [Roles.Leader] }, Ct));
        Assert.Contains("必须关联一位包案领导", e.Message);

        int leaderId;
        await using (var db = await s.Contexts.CreateDbContextAsync(Ct))
        {
            var leader = new Leader { Name = "陈局长", Title = "局长" };
            db.Leaders.Add(leader);
            await db.SaveChangesAsync(Ct);
            leaderId = leader.Id;
        }
        await s.UserAdmin(Admin).CreateAsync(new UserInput { UserName = "ld", DisplayName = "陈局长", Roles = [Roles.Leader], LeaderId = leaderId }, Ct);
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
    public async Task AnAdmin_CannotDisableHimself_OrDropHisOwnAdminRole()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var me = await s.CreateUserAsync("test-admin", "Secret1234abc", Roles.Admin);
        await Assert.ThrowsAsync<ActionRefusedException>(() => s.UserAdmin(Admin).SetDisabledAsync(me.Id, true, Ct));
        await Assert.ThrowsAsync<ActionRefusedException>(() =>
            s.UserAdmin(Admin).UpdateAsync(me.Id, new UserInput { UserName = "test-admin", DisplayName = "管理员", Roles = [Roles.Supervisor] }, Ct));
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
        Assert.Equal(4, accounts.Select(a => a.Password).Distinct().Count());
        foreach (var a in accounts) Assert.True((await CheckPasswordAsync(s, a.UserName, a.Password)).Succeeded);
        var leader = Assert.Single((await s.UserAdmin(Admin).ListAsync("leader", 0, 10, Ct)).Rows);
        Assert.Equal("甲", leader.LeaderName);

        Assert.Empty(await DemoAccounts.EnsureAsync(s.Services, Ct));
        var console = new StringWriter();
        DemoAccounts.Print(accounts, console);
        Assert.Contains(accounts[0].Password, console.ToString());
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Admin;
using PetitionDashboard.Features.Audit;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Account;

/// <summary>
/// Server-side sessions (idle timeout, absolute lifetime, concurrent limit, revocation by an administrator), the password
/// rules with history, 三员分立 and who sees the administrators' actions (docs/rules.md §10) — on the pinned clock of
/// <see cref="AccountTestServices"/>.
/// </summary>
public class SessionAndPasswordTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly ICurrentUser SystemAdmin = AccountTestServices.As(Roles.SystemAdmin);
    private static readonly ICurrentUser SecurityAdmin = AccountTestServices.As(Roles.SecurityAdmin);

    [Fact]
    public async Task ASession_EndsAfter30IdleMinutes_AndAfter8HoursHoweverActive()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var user = await s.CreateUserAsync("zhangsan", "Secret1234abc", Roles.Supervisor);

        var idle = await s.Sessions.StartAsync(user, Ct);
        s.Clock.Now += TimeSpan.FromMinutes(29);
        Assert.True((await s.Sessions.CheckAsync(idle, activity: true, Ct)).Valid);
        s.Clock.Now += TimeSpan.FromMinutes(29);   // 58 minutes after sign-in, 29 after the last action
        Assert.True((await s.Sessions.CheckAsync(idle, activity: true, Ct)).Valid);
        s.Clock.Now += TimeSpan.FromMinutes(30);
        Assert.Equal(new SessionCheck(false, SessionEndReasons.Idle), await s.Sessions.CheckAsync(idle, activity: true, Ct));
        // Ended for good: activity afterwards does not bring it back.
        Assert.False((await s.Sessions.CheckAsync(idle, activity: true, Ct)).Valid);

        var busy = await s.Sessions.StartAsync(user, Ct);
        for (var minutes = 20; minutes < 8 * 60; minutes += 20)
        {
            s.Clock.Now += TimeSpan.FromMinutes(20);
            Assert.True((await s.Sessions.CheckAsync(busy, activity: true, Ct)).Valid, $"{minutes} minutes after sign-in");
        }
        s.Clock.Now += TimeSpan.FromMinutes(20);
        Assert.Equal(new SessionCheck(false, SessionEndReasons.Lifetime), await s.Sessions.CheckAsync(busy, activity: true, Ct));

        var ended = (await s.AuditEntriesAsync()).Where(a => a.Action == AuditActions.SessionEnded).Select(a => (a.Actor, a.Detail)).ToList();
        Assert.Equal([("zhangsan", "长时间未操作"), ("zhangsan", "超过最长登录时长")], ended);
    }

    [Fact]
    public async Task TheFourthSignIn_EndsTheOldestSession()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var user = await s.CreateUserAsync("zhangsan", "Secret1234abc", Roles.Supervisor);
        var sessions = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            sessions.Add(await s.Sessions.StartAsync(user, Ct));
            s.Clock.Now += TimeSpan.FromMinutes(1);
        }

        Assert.Equal([false, true, true, true], await CheckAllAsync(s, sessions));
        Assert.Equal(3, await s.Sessions.CountOpenAsync(user.Id, Ct));
        Assert.Contains(await s.AuditEntriesAsync(), a => a.Action == AuditActions.SessionEnded && a.Detail == "同时登录数超过上限，最早的会话被结束");
    }

    [Fact]
    public async Task ARoleChange_Disabling_AndAPasswordReset_EachEndEverySessionOfTheUser()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var user = await s.CreateUserAsync("zhangsan", "Secret1234abc", Roles.Supervisor);
        var other = await s.CreateUserAsync("lisi", "Secret1234abc", Roles.Supervisor);
        var bystander = await s.Sessions.StartAsync(other, Ct);

        var steps = new (string Reason, Func<Task> Act)[]
        {
            (SessionEndReasons.RolesChanged, () => s.UserAdmin(SecurityAdmin).SetRolesAsync(user.Id, new RoleGrant { Roles = [Roles.DutyOfficer] }, Ct)),
            (SessionEndReasons.Disabled, () => s.UserAdmin(SystemAdmin).SetDisabledAsync(user.Id, true, Ct)),
            (SessionEndReasons.PasswordChanged, async () =>
            {
                await s.UserAdmin(SystemAdmin).SetDisabledAsync(user.Id, false, Ct);
                await s.UserAdmin(SystemAdmin).ResetPasswordAsync(user.Id, Ct);
            }),
        };
        foreach (var (reason, act) in steps)
        {
            var open = new[] { await s.Sessions.StartAsync(user, Ct), await s.Sessions.StartAsync(user, Ct) };
            await act();
            foreach (var id in open) Assert.Equal(new SessionCheck(false, reason), await s.Sessions.CheckAsync(id, activity: true, Ct));
        }
        Assert.True((await s.Sessions.CheckAsync(bystander, activity: true, Ct)).Valid);
    }

    [Fact]
    public async Task APasswordReset_MustBeChangedAtTheNextSignIn_AndAnotherAdministratorsPasswordIsResetOnlyOnTheServer()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var user = await s.CreateUserAsync("zhangsan", "Secret1234abc", Roles.Supervisor);
        var auditor = await s.CreateUserAsync("shenji", "Secret1234abc", Roles.AuditAdmin);

        await s.UserAdmin(SystemAdmin).ResetPasswordAsync(user.Id, Ct);
        var refused = await Refused.NotAllowedAsync(() => s.UserAdmin(SystemAdmin).ResetPasswordAsync(auditor.Id, Ct));

        Assert.Contains("create-admin --reset shenji", refused.Message);
        await using var scope = s.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True((await users.FindByNameAsync("zhangsan"))!.MustChangePassword);
        Assert.False((await users.FindByNameAsync("shenji"))!.MustChangePassword);
        Assert.True(await users.CheckPasswordAsync((await users.FindByNameAsync("shenji"))!, "Secret1234abc"));
    }

    [Fact]
    public async Task AnExpiredPassword_MustBeChanged_AfterTheConfiguredDays()
    {
        await using var s = await AccountTestServices.CreateAsync();
        await s.CreateUserAsync("zhangsan", "Secret1234abc", Roles.Supervisor);
        await using var scope = s.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByNameAsync("zhangsan"))!;
        var options = new AccountOptions();

        Assert.Equal(s.Clock.GetUtcNow().UtcDateTime, user.PasswordChangedAtUtc);
        Assert.False(PasswordExpiry.MustChange(user, options, s.Clock.Now.AddDays(89)));
        Assert.True(PasswordExpiry.MustChange(user, options, s.Clock.Now.AddDays(90)));
        Assert.False(PasswordExpiry.MustChange(user, new AccountOptions { PasswordExpiryDays = 0 }, s.Clock.Now.AddDays(900)));
    }

    public static TheoryData<string, string[]> BrokenPasswords => new()
    {
        { "Ab1-xyz", ["密码长度：至少 10 个字符（当前 7 个）。"] },
        { "abcdefghij12", ["密码字符种类：大写字母、小写字母、数字、符号四类中至少包含 3 类（当前 2 类）。"] },
        { "ZHANGsan-2026x", ["密码内容：不能包含用户名。"] },
        { "abcdefgh", ["密码长度：至少 10 个字符（当前 8 个）。", "密码字符种类：大写字母、小写字母、数字、符号四类中至少包含 3 类（当前 1 类）。"] },
    };

    [Theory]
    [MemberData(nameof(BrokenPasswords))]
    public async Task APasswordBreakingARule_IsRefusedWithTheRuleNamed(string password, string[] problems)
    {
        await using var s = await AccountTestServices.CreateAsync();
        await s.CreateUserAsync("zhangsan", "Secret1234abc", Roles.Supervisor);
        await using var scope = s.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

        var result = await users.ChangePasswordAsync((await users.FindByNameAsync("zhangsan"))!, "Secret1234abc", password);

        Assert.Equal(problems, result.Errors.Select(e => e.Description));
    }

    [Theory]
    [InlineData("Abcdefghij1", 3)]   // upper, lower, digit
    [InlineData("abcdefghij-1", 3)]  // lower, symbol, digit
    [InlineData("信访督办看板abcd12", 3)] // a CJK character counts as a symbol
    [InlineData("ABCDEFGHIJ", 1)]
    public void CharacterClasses_AreCounted(string password, int classes) => Assert.Equal(classes, PasswordRules.Classes(password));

    [Fact]
    public async Task NoneOfTheLastFivePasswords_MayBeUsedAgain_TheSixthMay()
    {
        await using var s = await AccountTestServices.CreateAsync();
        await s.CreateUserAsync("zhangsan", "Password-0", Roles.Supervisor);
        await using var scope = s.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var current = "Password-0";
        for (var i = 1; i <= 5; i++)
        {
            var user = (await users.FindByNameAsync("zhangsan"))!;
            Assert.True((await users.ChangePasswordAsync(user, current, $"Password-{i}")).Succeeded);
            current = $"Password-{i}";
        }

        // The last five are 1…5; 0 is the sixth back.
        foreach (var recent in new[] { "Password-5", "Password-3", "Password-1" })
        {
            var refused = await users.ChangePasswordAsync((await users.FindByNameAsync("zhangsan"))!, current, recent);
            Assert.Equal(["密码历史：不能与最近 5 次使用过的密码相同。"], refused.Errors.Select(e => e.Description));
        }
        Assert.True((await users.ChangePasswordAsync((await users.FindByNameAsync("zhangsan"))!, current, "Password-0")).Succeeded);
    }

    [Fact]
    public async Task NoAccount_MayCombineTwoAdministratorRoles()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var user = await s.CreateUserAsync("zhangsan", "Secret1234abc");

        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            s.UserAdmin(SecurityAdmin).SetRolesAsync(user.Id, new RoleGrant { Roles = [Roles.SystemAdmin, Roles.AuditAdmin] }, Ct));

        Assert.Equal(["角色：系统管理员、审计管理员不能由同一账户兼任（三员分立）。"], refused.Problems);
        await s.UserAdmin(SecurityAdmin).SetRolesAsync(user.Id, new RoleGrant { Roles = [Roles.AuditAdmin, Roles.Supervisor] }, Ct);
        Assert.Equal("督查、审计管理员", (await s.UserAdmin(SecurityAdmin).ListAsync("zhangsan", 0, 10, Ct)).Rows.Single().RolesText);
    }

    [Fact]
    public async Task OnlyTheAuditAdministrator_SeesTheAdministratorsActions()
    {
        await using var s = await AccountTestServices.CreateAsync();
        await s.CreateUserAsync("test-systemadmin", "Secret1234abc", Roles.SystemAdmin);
        await s.CreateUserAsync("test-securityadmin", "Secret1234abc", Roles.SecurityAdmin);
        await s.CreateUserAsync("test-supervisor", "Secret1234abc", Roles.Supervisor);
        using (s.ActingAs(SystemAdmin))
            await s.UserAdmin(SystemAdmin).CreateAsync(new UserInput { UserName = "lisi", DisplayName = "李四" }, Ct);
        var lisi = (await s.UserAdmin(SystemAdmin).ListAsync("lisi", 0, 10, Ct)).Rows.Single().Id;
        using (s.ActingAs(SecurityAdmin))
            await s.UserAdmin(SecurityAdmin).SetRolesAsync(lisi, new RoleGrant { Roles = [Roles.DutyOfficer] }, Ct);
        await s.AuditLog().RecordAsync(AuditActions.SignIn, actorName: "TEST-SystemAdmin", ct: Ct); // a name typed in another case
        await s.AuditLog().RecordAsync(AuditActions.SignIn, actorName: "test-supervisor", ct: Ct);

        var auditor = (await s.AuditQuery(AccountTestServices.As(Roles.AuditAdmin)).SearchAsync(new AuditFilter(), 0, 200, Ct)).Rows;
        var supervisor = (await s.AuditQuery(AccountTestServices.As(Roles.Supervisor)).SearchAsync(new AuditFilter(), 0, 200, Ct)).Rows;

        Assert.Contains(auditor, r => r.Actor == "test-systemadmin" && r.EntityKey == "lisi");
        Assert.Contains(auditor, r => r.Actor == "test-securityadmin" && r.Entity == "UserRole");
        Assert.Contains(auditor, r => r.Actor == "TEST-SystemAdmin");
        Assert.Contains(supervisor, r => r.Actor == "test-supervisor");
        Assert.DoesNotContain(supervisor, r => r.Actor.ToUpperInvariant() is "TEST-SYSTEMADMIN" or "TEST-SECURITYADMIN");
        Assert.DoesNotContain(supervisor, r => r.EntityKey == "lisi");
    }

    private static async Task<List<bool>> CheckAllAsync(AccountTestServices s, IEnumerable<string> sessions)
    {
        var valid = new List<bool>();
        foreach (var id in sessions) valid.Add((await s.Sessions.CheckAsync(id, activity: false, Ct)).Valid);
        return valid;
    }
}

using System.Net;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Tests.Features.Account;

[Collection(Browser.AppCollection.Name)]
public class LockoutTests(SecuredAppFactory app)
{
    [Fact]
    public async Task FiveFailedSignIns_LockTheAccount_SoTheSixthWithTheRightPasswordIsRefused()
    {
        await app.EnsureSeededAsync();
        const string userName = "u-lockout";
        await using (var seed = app.Services.CreateAsyncScope())
        {
            var users = seed.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
            var user = new AppUser { UserName = userName, DisplayName = "锁定测试" };
            Assert.True((await users.CreateAsync(user, SecuredAppFactory.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.DutyOfficer)).Succeeded);
        }
        using var client = app.CreateBrowserlessClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await SecuredAppFactory.PostLoginAsync(client, userName, "Wrong-password-1");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var sixth = await SecuredAppFactory.PostLoginAsync(client, userName, SecuredAppFactory.Password);
        Assert.Equal(HttpStatusCode.OK, sixth.StatusCode);
        // Locked: refused with the one message an unknown name or a wrong password gets too, so the form tells nobody
        // which names exist or are locked (the lock itself is in the audit trail below).
        var refusal = WebUtility.HtmlDecode(await sixth.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(AccountSignIn.FailureMessage, refusal);
        var page = await client.GetAsync("/account/change-password", TestContext.Current.CancellationToken);
        Assert.Contains("/account/login", page.Headers.Location?.OriginalString);

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var actions = await db.AuditEntries.Where(a => a.Actor == userName && a.Entity == null).OrderBy(a => a.Id).Select(a => a.Action)
            .ToListAsync(TestContext.Current.CancellationToken);
        // Failures 1–4 are failures; the fifth locks the account (Identity answers "locked out" to it), the sixth meets the lock.
        Assert.Equal([AuditActions.SignInFailed, AuditActions.SignInFailed, AuditActions.SignInFailed, AuditActions.SignInFailed,
            AuditActions.LockedOut, AuditActions.LockedOut], actions);
    }

    [Fact]
    public async Task WrongPassword_ShowsOneMessage_AndIsAudited()
    {
        await app.EnsureSeededAsync();
        using var client = app.CreateBrowserlessClient();
        var response = await SecuredAppFactory.PostLoginAsync(client, "nobody-here", "Wrong-password-1");
        Assert.Contains("用户名或密码错误", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Actor == "nobody-here" && a.Action == AuditActions.SignInFailed, TestContext.Current.CancellationToken));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Security;

/// <summary>
/// One real browser run: sign-in through the static page, then an interactive page whose change is audited with the
/// signed-in user as actor (the circuit path), under the app's CSP without console errors.
/// </summary>
[Collection(Browser.AppCollection.Name)]
public class BrowserSignInTests(Browser.BrowserFixture fixture)
{
    [Fact]
    public async Task Admin_SignsIn_DisablesAUserInTheCircuit_AndTheAuditNamesHim()
    {
        await using var app = new SecuredAppFactory();
        app.UseKestrel(0);
        await app.EnsureSeededAsync();

        var page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN", BaseURL = app.ClientOptions.BaseAddress.ToString() });
        var errors = new List<string>();
        // Failed loads are listed by URL below (the browser's own favicon probe is not a page resource).
        page.Console += (_, m) => { if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource")) errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400) errors.Add($"{r.Status} {r.Url}"); };

        await page.GotoAsync("/admin/users");
        Assert.Contains("/account/login", page.Url);
        await page.FillAsync("#username", SecuredAppFactory.UserNameFor(Roles.SystemAdmin));
        await page.FillAsync("#password", SecuredAppFactory.Password);
        await page.ClickAsync("button[type=submit]");

        var leaderRow = page.Locator("tr", new() { HasText = SecuredAppFactory.UserNameFor(Roles.Leader) });
        await leaderRow.WaitForAsync(new() { Timeout = 20000 });
        await Assertions.Expect(page.GetByTestId("current-user")).ToContainTextAsync("系统管理员测试");
        // The grid's rows come over the circuit: once it is interactive, one click must open the confirmation, as for a user.
        await Browser.BrowserFixture.WaitForCircuitAsync(page);
        await leaderRow.GetByRole(AriaRole.Button, new() { Name = "停用" }).ClickAsync();
        var confirm = page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "停用" });
        await Assertions.Expect(confirm).ToBeVisibleAsync();
        await confirm.ClickAsync();
        await Assertions.Expect(leaderRow).ToContainTextAsync("已停用");

        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var row = await db.AuditEntries.SingleAsync(a => a.Field == nameof(AppUser.Disabled), TestContext.Current.CancellationToken);
        Assert.Equal((SecuredAppFactory.UserNameFor(Roles.SystemAdmin), SecuredAppFactory.UserNameFor(Roles.Leader), "是"), (row.Actor, row.EntityKey, row.NewValue));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}

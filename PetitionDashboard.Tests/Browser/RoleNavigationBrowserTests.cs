using Microsoft.Playwright;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Browser;

/// <summary>Each role signs in through the real form in Chromium and is shown the navigation of its role (docs/rules.md §10).</summary>
[Collection(AppCollection.Name)]
public sealed class RoleNavigationBrowserTests(BrowserFixture fixture)
{
    private static readonly string[] Everything =
        ["积案总览", "重复信访", "周统计", "我的包案", "我的批示", "领导包案", "集中交办", "延期审批", "信访登记", "包案交办", "考核方案", "审计日志", "用户管理", "节假日日历", "后台任务"];

    public static TheoryData<string, string, string[]> Navigation => new()
    {
        { Roles.Leader, "/", ["积案总览", "重复信访", "周统计", "我的包案", "我的批示", "领导包案", "集中交办"] },
        { Roles.Supervisor, "/", ["积案总览", "重复信访", "周统计", "领导包案", "集中交办", "延期审批", "考核方案", "审计日志"] },
        { Roles.DutyOfficer, "/", ["积案总览", "重复信访", "周统计", "领导包案", "集中交办", "信访登记", "包案交办"] },
        { Roles.SystemAdmin, "/admin/users", ["周统计", "延期审批", "用户管理", "节假日日历", "后台任务"] },
        { Roles.SecurityAdmin, "/admin/users", ["用户管理"] },
        { Roles.AuditAdmin, "/audit", ["审计日志"] },
    };

    [Theory]
    [MemberData(nameof(Navigation))]
    public async Task EachRole_SignsIn_AndSeesTheNavigationOfItsRole(string role, string landing, string[] links)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/login");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("用户登录");
        if (role == Roles.Leader) await BrowserFixture.ScreenshotAsync(page, "sign-in");

        page = await fixture.SignedInPageAsync(role);
        // A navigation menu with a link in it: an administrator's first menu group can be empty (and hidden).
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-navmenu:has(a)");
        Assert.EndsWith(landing, new Uri(page.Url).AbsolutePath);
        var nav = page.Locator(".mud-drawer");
        foreach (var link in links) await Assertions.Expect(nav.GetByText(link, new() { Exact = true })).ToBeVisibleAsync();
        foreach (var hidden in Everything.Except(links)) await Assertions.Expect(nav.GetByText(hidden, new() { Exact = true })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, $"nav-{role.ToLowerInvariant()}");
    }

    [Fact]
    public async Task AnAdminOpeningTheHomePage_IsTakenToUserManagement_AndTheDeniedPageLeadsThereToo()
    {
        // Issue 17, defect 10: "/" answered 无权访问 whose 返回首页 led back to "/".
        var page = await fixture.SignedInPageAsync(Roles.SystemAdmin);
        await page.GotoAsync("/");
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-navmenu");
        Assert.Equal("/admin/users", new Uri(page.Url).AbsolutePath);

        await page.GotoAsync("/repeats");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("无权访问");
        await page.Locator("#access-denied-home").ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-navmenu");
        Assert.Equal("/admin/users", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task TheCurrentPagesLinkIsMarked_AndOnAPhoneALinkClosesTheDrawer()
    {
        var page = await fixture.SignedInPageAsync(Roles.Leader);
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-navmenu:has(a)");
        var nav = page.Locator(".mud-drawer");
        await Assertions.Expect(nav.Locator("a.mud-nav-link.active")).ToHaveTextAsync(["积案总览"]);

        await nav.GetByText("重复信访", new() { Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/repeats");
        await Assertions.Expect(nav.Locator("a.mud-nav-link.active")).ToHaveTextAsync(["重复信访"]);

        // A phone: the drawer opens over the page from the menu button, and following a link closes it again.
        await BrowserFixture.PhoneWidthAsync(page);
        await page.Locator("button[aria-label='菜单']").ClickAsync();
        await page.Locator(".mud-drawer.mud-drawer--open").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "nav-leader-390-open");
        await nav.GetByText("积案总览", new() { Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await page.Locator(".mud-drawer.mud-drawer--closed").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(nav.Locator("a.mud-nav-link.active")).ToHaveTextAsync(["积案总览"]);
        await page.Context.CloseAsync();
    }
}

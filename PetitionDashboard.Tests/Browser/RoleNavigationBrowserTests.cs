using Microsoft.Playwright;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Browser;

/// <summary>Each role signs in through the real form in Chromium and is shown the navigation of its role (docs/rules.md §10).</summary>
[Collection(AppCollection.Name)]
public sealed class RoleNavigationBrowserTests(BrowserFixture fixture)
{
    private static readonly string[] Everything =
        ["积案总览", "重复信访", "周统计", "我的包案", "领导包案", "集中交办", "延期审批", "信访登记", "包案交办", "考核方案", "审计日志", "用户管理", "节假日日历", "后台任务"];

    public static TheoryData<string, string, string[]> Navigation => new()
    {
        { Roles.Leader, "/", ["积案总览", "重复信访", "周统计", "我的包案", "领导包案", "集中交办"] },
        { Roles.Supervisor, "/", ["积案总览", "重复信访", "周统计", "领导包案", "集中交办", "延期审批", "考核方案", "审计日志"] },
        { Roles.DutyOfficer, "/", ["积案总览", "重复信访", "周统计", "领导包案", "集中交办", "信访登记", "包案交办"] },
        { Roles.Admin, "/admin/users", ["周统计", "延期审批", "审计日志", "用户管理", "节假日日历", "后台任务"] },
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
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-navmenu");
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
        var page = await fixture.SignedInPageAsync(Roles.Admin);
        await page.GotoAsync("/");
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-navmenu");
        Assert.Equal("/admin/users", new Uri(page.Url).AbsolutePath);

        await page.GotoAsync("/repeats");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("无权访问");
        await page.Locator("#access-denied-home").ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-navmenu");
        Assert.Equal("/admin/users", new Uri(page.Url).AbsolutePath);
    }
}

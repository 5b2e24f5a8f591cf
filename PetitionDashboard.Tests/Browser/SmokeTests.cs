using System.Net;
using Microsoft.Playwright;

namespace PetitionDashboard.Tests.Browser;

[Collection(AppCollection.Name)]
public sealed class SmokeTests(BrowserFixture fixture)
{
    [Fact]
    public async Task HomePage_StartsInChinese_AndBecomesInteractive()
    {
        var page = await fixture.SignedInPageAsync(PetitionDashboard.Domain.Roles.Leader);

        var response = await page.GotoAsync("/");
        await BrowserFixture.WaitForCircuitAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "smoke-home");

        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("积案总览 - 信访督办看板", await page.TitleAsync());
        await Assertions.Expect(page.Locator(".mud-appbar")).ToContainTextAsync("信访督办看板");
        await Assertions.Expect(page.GetByTestId("current-user")).ToContainTextAsync("局领导测试");
        await Assertions.Expect(page.Locator(".mud-navmenu")).ToContainTextAsync("积案总览");
        // A leader's home is the backlog: its heading, the KPI cards from the circuit, the date the figures are for.
        await Assertions.Expect(page.Locator("#backlog-title")).ToHaveTextAsync("积案总览");
        await Assertions.Expect(page.Locator("[data-kpi=overdue]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-kpi=overdue]")).ToContainTextAsync("超期");
        await Assertions.Expect(page.GetByText("统计日期")).ToContainTextAsync("（北京时间）");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UnknownAddress_ShowsTheChineseNotFoundPage()
    {
        var page = await fixture.SignedInPageAsync(PetitionDashboard.Domain.Roles.Supervisor);

        var response = await page.GotoAsync("/no-such-page");
        await BrowserFixture.ScreenshotAsync(page, "smoke-not-found");

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Assertions.Expect(page.GetByText("页面不存在").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "返回首页" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}

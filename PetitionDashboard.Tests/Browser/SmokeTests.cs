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

        Assert.True(response!.Status < 500, $"GET / answered {response.Status}");
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("信访", await page.TitleAsync());
        await Assertions.Expect(page.Locator(".mud-appbar")).ToContainTextAsync("信访督办看板");
        await Assertions.Expect(page.Locator(".mud-navmenu")).ToContainTextAsync("积案总览");
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

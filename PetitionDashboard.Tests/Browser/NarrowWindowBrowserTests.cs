using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Features.Assignments;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// Issue 17, defect 11, at a phone (390 px), a laptop (1366 px) and a desktop (1440 px): the case page's 基本信息 is not
/// cut off, a tapped 我的包案 row brings its detail into view, the app bar stays one line, and the backlog grid's
/// horizontal scrollbar is on screen. Screenshots: artifacts/screenshots/narrow-*.png.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NarrowWindowBrowserTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1366, 768)]
    [InlineData(1440, 900)]
    public async Task CasePage_MyAssignments_AndBacklog_FitTheWindow(int width, int height)
    {
        var clock = TestClock.AtShanghai(2026, 3, 21);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var data = await AssignmentDemo.SeedAsync(host.Database, clock, Ct);
        var page = await fixture.SignedInPageAsync(Roles.Leader, host, leaderId: data.Zhang);
        await page.SetViewportSizeAsync(width, height);

        // The app bar is one line (Dense: 48 px) at every width.
        await page.GotoAsync($"/cases/{data.RelapsedCase}");
        await BrowserFixture.WaitForCircuitAsync(page, ".case-fields");
        Assert.True((await page.Locator(".mud-appbar").BoundingBoxAsync())!.Height <= 64, "the app bar wraps");
        // 基本信息 ends inside the window: nothing is cut off on the right.
        var fields = (await page.Locator(".case-fields table").BoundingBoxAsync())!;
        Assert.True(fields.X + fields.Width <= width + 0.5, $"基本信息 ends at {fields.X + fields.Width} px in a {width} px window");
        // So do the 信访人 and 信访事项链 lists (登记日期 and 住址 were cut off at 390 px).
        foreach (var list in new[] { ".case-petitioners", ".case-thread" })
        {
            var box = (await page.Locator($"{list} table").BoundingBoxAsync())!;
            Assert.True(box.X + box.Width <= width + 0.5, $"{list} ends at {box.X + box.Width} px in a {width} px window");
        }
        await BrowserFixture.ScreenshotAsync(page, $"narrow-{width}-case");

        // Tapping a row of 我的包案 brings its detail into view.
        await page.GotoAsync("/assignments/mine");
        await BrowserFixture.WaitForCircuitAsync(page, "#assignment-list tbody tr.mud-table-row");
        await page.Locator("#assignment-list tbody tr.mud-table-row").Filter(new() { HasText = data.RelapsedCase }).Locator("td").First.ClickAsync();
        await Assertions.Expect(page.Locator("#assignment-detail")).ToBeInViewportAsync();
        await BrowserFixture.ScreenshotAsync(page, $"narrow-{width}-my-assignments");

        // The backlog: the grid scrolls inside a box no taller than the window, so once the grid is in view its horizontal
        // scrollbar is on screen too (it was below the 20th row, off-screen at 1366 px).
        await page.GotoAsync("/");
        await BrowserFixture.WaitForCircuitAsync(page, ".backlog-grid tbody tr.mud-table-row");
        var container = (await page.Locator(".backlog-grid .mud-table-container").BoundingBoxAsync())!;
        Assert.True(container.Height <= height, $"the grid's scroll box is {container.Height} px tall in a {height} px window");
        await BrowserFixture.ScreenshotAsync(page, $"narrow-{width}-backlog");
        // Closed before its host stops, so the lost connection is not a console error of this test.
        await page.Context.CloseAsync();
    }
}

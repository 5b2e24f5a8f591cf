using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Browser;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// Issue 17, defect 8: 周统计 keeps its week in the address. <c>?week=</c> opens that week (not the newest), Back after a
/// drill-down returns to it, and the drill-down list links each case number to its case page.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StatisticsWeekUrlBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheWeekIsInTheAddress_AndBackAfterADrillDownReturnsToIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var w = await HandBuiltAsync(historyWeeks: 6, recomputeWeeks: 2);
        await w.Recomputer.RecomputeAsync(null, ct);
        IsoWeek older;
        await using (var db = await w.Db.CreateDbContextAsync(ct))
        {
            var weeks = await db.WeeklyUnitStatistics.Where(s => s.UnitId == null).OrderByDescending(s => s.WeekMonday)
                .Select(s => new { s.WeekYear, s.WeekNumber }).ToListAsync(ct);
            Assert.True(weeks.Count >= 2, "the world stores several weeks");
            older = new IsoWeek(weeks[1].WeekYear, weeks[1].WeekNumber);
        }
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?> { ["Database:ConnectionString"] = w.Db.ConnectionString });
        var page = await browser.SignedInPageAsync(Roles.Supervisor, host);

        await page.GotoAsync($"/statistics?week={older}");
        await BrowserFixture.WaitForCircuitAsync(page, "#unit-ranking");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"单位排名（{older}）");

        // Any figure of that week that is not 0 opens a list with at least one case.
        var figure = page.Locator("a.figure-link:not([href*='?'])").Filter(new() { HasNotTextRegex = new System.Text.RegularExpressions.Regex(@"^\s*0\s*$") }).First;
        var href = (await figure.GetAttributeAsync("href"))!;
        Assert.StartsWith($"/statistics/list/{older}/", href);
        await figure.ClickAsync();
        await page.Locator("#list-total").WaitForAsync();
        Assert.Contains($"/statistics/list/{older}/", page.Url);
        var total = await page.Locator("#list-total").TextContentAsync();
        var link = page.Locator("[data-testid=case-link]").First;
        await link.WaitForAsync();
        var caseNumber = (await link.TextContentAsync())!.Trim();
        Assert.EndsWith($"/cases/{Uri.EscapeDataString(caseNumber)}", await link.GetAttributeAsync("href"));

        // The query form of the same list (links kept from before the path form) shows the same cases.
        var parts = href["/statistics/list/".Length..].Split('/');
        var legacy = await page.Context.NewPageAsync();
        await legacy.GotoAsync($"/statistics/list?week={parts[0]}&measure={parts[1]}" + (parts.Length > 2 ? $"&unit={parts[2]}" : ""));
        await Assertions.Expect(legacy.Locator("#list-total")).ToHaveTextAsync(total!);
        await legacy.CloseAsync();

        await page.GoBackAsync();
        await BrowserFixture.WaitForCircuitAsync(page, "#unit-ranking");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"单位排名（{older}）");
        Assert.Contains($"week={older}", page.Url);
        await page.CloseAsync(); // before the server stops: an open page would log the lost connection
    }
}

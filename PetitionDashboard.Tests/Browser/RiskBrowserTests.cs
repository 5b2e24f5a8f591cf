using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Data;
using PetitionDashboard.Tests.Features.Risk;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Browser;

/// <summary>One app over the 30,000-petition demo city, with the 初转重 model trained as the weekly job trains it.</summary>
public sealed class RiskCityHostFixture : IAsyncLifetime
{
    public TestClock Clock { get; } = DemoTestSupport.Clock();
    public AppHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(Clock));
        var ct = TestContext.Current.CancellationToken;
        await DemoTestSupport.Demo(Host.Database, Clock, batchSize: 5_000).GenerateAsync(30_000, seed: 20261123, progress: null, ct);
        var result = await RiskTests.Trainer(Host.Database, Clock).TrainAsync("测试", ct);
        Assert.True(result.Model.Deployed, result.Model.NotDeployedReason);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>Where leaders see the risk: the 高风险初件 card, the grid's risk column and filter, the case page's reasons.</summary>
[Collection(AppCollection.Name)]
public sealed class RiskBrowserTests(BrowserFixture fixture, RiskCityHostFixture city) : IClassFixture<RiskCityHostFixture>
{
    [Fact]
    public async Task TheCard_LeadsToTheFilteredGrid_SortedByRisk_AndACaseExplainsItsScore()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await fixture.SignedInPageAsync(Roles.Leader, city.Host);
        await page.GotoAsync("/");
        var card = await BrowserFixture.WaitForCircuitAsync(page, "[data-kpi=highrisk]");
        await Assertions.Expect(card).ToContainTextAsync("高风险初件");
        var count = int.Parse((await card.Locator(".kpi-count").InnerTextAsync()).Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count > 0);
        await BrowserFixture.ScreenshotAsync(page, "risk-home-card");

        await card.ClickAsync();
        await page.WaitForURLAsync("**/?risk=high");
        try
        {
            await BrowserFixture.WaitForCircuitAsync(page, ".risk-score");
        }
        catch (TimeoutException)
        {
            await BrowserFixture.ScreenshotAsync(page, "risk-backlog-timeout");
            throw;
        }
        await Assertions.Expect(page.Locator(".mud-table-pagination")).ToContainTextAsync($"共 {count} 条");
        // Sorted by risk, highest first (one click ascending, a second descending).
        var header = page.Locator("th:has-text('转重风险') .sortable-column-header").First;
        await header.ClickAsync();
        await header.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-table-body tr").First.Locator(".risk-score")).ToBeVisibleAsync();
        // The rows of the previous sort stay on screen until the reload lands: read again until sorted (or 30 s), then assert.
        List<int> values = [];
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(200, Xunit.TestContext.Current.CancellationToken))
        {
            var scores = await page.Locator(".risk-score").AllInnerTextsAsync();
            values = scores.Select(s => int.Parse(s.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (values.SequenceEqual(values.OrderByDescending(v => v)) || wait.Elapsed > TimeSpan.FromSeconds(30)) break;
        }
        Assert.Equal(values.OrderByDescending(v => v), values);
        await page.Locator(".risk-score").First.ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(page, "risk-backlog-column");

        await page.Locator(".mud-table-body tr").First.ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page, "#case-risk-score");
        await Assertions.Expect(page.Locator("#case-risk")).ToContainTextAsync("高风险初件");
        await Assertions.Expect(page.Locator("#case-risk-reasons li").First).ToContainTextAsync("个百分点");
        await Assertions.Expect(page.Locator("#case-risk-model")).ToContainTextAsync("AUC");
        await page.Locator("#case-risk").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(page, "risk-case-page");
        await page.Context.CloseAsync();
    }
}

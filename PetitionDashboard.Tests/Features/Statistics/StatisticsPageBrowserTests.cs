using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// The statistics page in Chromium against the app on 127.0.0.1, signed in as a Supervisor (a test authentication
/// scheme stands in for Identity): the figures render, a card's number equals the rows of the list it opens.
/// Screenshots go to the test output folder (bin/…/screenshots), which git ignores.
/// </summary>
[Collection(nameof(StatisticsPageBrowserTests))]
public class StatisticsPageBrowserTests
{
    [Fact]
    public async Task StatisticsPage_OverdueCard_OpensAListWithThatManyRows()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var w = await HandBuiltAsync(historyWeeks: 6, recomputeWeeks: 2);
        await w.Recomputer.RecomputeAsync(null, ct);

        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Database:ConnectionString", w.Db.ConnectionString);
            b.UseSetting("Demo:Enabled", "false");
            b.UseSetting("Calendar:Folder", Support.TestRules.NoAdminCalendars);   // not the app's data/calendars
            // The app's clock starts where the world's is (Tuesday 2026-11-17), not at the day the suite runs.
            b.UseSetting("Clock:Now", w.Clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            b.ConfigureTestServices(s => s.AddAuthentication(SupervisorScheme.Name)
                .AddScheme<AuthenticationSchemeOptions, SupervisorScheme>(SupervisorScheme.Name, _ => { }));
        });
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var baseUrl = factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        using var pw = await Playwright.CreateAsync();
        await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN", ViewportSize = new() { Width = 1600, Height = 1000 } });
        // Console errors fail this test like every other browser test (CleanBrowserConsoleAttribute).
        var test = Browser.BrowserConsole.CurrentTest;
        page.Console += (_, m) => { if (m.Type == "error") Browser.BrowserConsole.Record(test, $"{page.Url}: {m.Text}"); };
        page.PageError += (_, e) => Browser.BrowserConsole.Record(test, $"{page.Url}: {e}");
        // The figures are read once per open, in the prerender, and carried to the circuit: a stored figure changed between
        // the prerender (the HTML) and the circuit (its negotiate request) is not what the circuit shows (the recompute
        // below, which reloads the page's reads, puts it back).
        var changed = false;
        await page.RouteAsync("**/_blazor/negotiate**", async route =>
        {
            if (!changed)
            {
                changed = true;
                await using var db = w.Db.CreateDbContext();
                var newest = await db.WeeklyUnitStatistics.MaxAsync(x => x.WeekMonday, ct);
                await db.WeeklyUnitStatistics.Where(x => x.UnitId == null && x.WeekMonday == newest)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.Overdue, 999), ct);
            }
            await route.ContinueAsync();
        });
        // The unit ranking the circuit makes again from the carried rows is the prerendered one, never gone between.
        const string rankingRows = "#unit-ranking tr.ranking-row";
        await Browser.PrerenderedRows.WatchAsync(page, rankingRows);
        var response = await page.GotoAsync(baseUrl + "/statistics");
        var raw = await response!.TextAsync();
        var html = WebUtility.HtmlDecode(raw);
        // The page's weight (383 KB at 1M, two thirds the ranking): Chinese travels as UTF-8, never as "&#x…;" entities
        // (8 bytes a character), the unit names and kinds included. ASCII punctuation such as the "+" of a random CSP nonce
        // is still encoded ("&#x2B;"), so only entities of characters beyond U+00FF count.
        Assert.DoesNotMatch(@"&#x[0-9A-Fa-f]{3,};", raw);
        Assert.Contains("县区（", raw);
        Assert.Contains("id=\"figure-cards\"", html);
        Assert.Contains("id=\"unit-ranking\"", html);
        await page.Locator("#unit-ranking").WaitForAsync(new() { Timeout = 30000 });
        await page.Locator("#recompute-now").WaitForAsync(new() { Timeout = 30000 });   // Supervisor sees the button
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);
        // The page is prerendered (charts included): wait until the circuit is interactive, then for the charts' lines.
        await Browser.BrowserFixture.WaitForCircuitAsync(page);
        Assert.True(changed);
        var (prerendered, removals, changes, now) = await Browser.PrerenderedRows.ReadAsync(page, rankingRows);
        Assert.NotEmpty(prerendered);
        Assert.Equal(0, removals);
        Assert.Empty(changes);
        Assert.Equal(prerendered, now);
        // Each rate column says once, in its header, what it is and its target; the units' cells carry no tooltip each, but
        // every figure still links to its list (7 counts, and 6 rates × numerator and denominator).
        await Assertions.Expect(page.Locator("#unit-ranking th", new() { HasText = "及时受理率" }).Last).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^及时受理率：.+；目标 "));
        Assert.Equal(0, await page.Locator("#unit-ranking tr.ranking-row [title]").CountAsync());
        Assert.Equal(7 + 6 * 2, await page.Locator("#unit-ranking tr.ranking-row").First.Locator("a.figure-link[href^='/statistics/list/']").CountAsync());
        await Assertions.Expect(page.Locator("#figure-cards a.figure-link[href$='/Overdue']").First).ToHaveTextAsync("6");
        await Assertions.Expect(page.Locator(".mud-chart svg path.mud-chart-line").First).ToBeVisibleAsync(new() { Timeout = 30000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "statistics.png"), FullPage = true });

        // 立即重新计算: progress and result appear without reloading the page.
        await page.Locator("#recompute-now").ClickAsync();
        await page.Locator("#recompute-done").WaitForAsync(new() { Timeout = 60000 });
        await Assertions.Expect(page.Locator("#recompute-done")).ToContainTextAsync("已重新计算");

        // The 超期数 card of W46 (the newest computed week): 6 by hand (see WeeklyFiguresTests).
        var card = page.Locator("#figure-cards a.figure-link[href$='/Overdue']").First;
        await Assertions.Expect(card).ToHaveTextAsync("6");
        await card.ClickAsync();
        await page.Locator("#list-total").WaitForAsync(new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#list-total")).ToHaveTextAsync("6");
        await page.Locator("tbody tr.mud-table-row").Nth(5).WaitForAsync(new() { Timeout = 30000 });
        Assert.Equal(6, await page.Locator("tbody tr.mud-table-row").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "statistics-overdue-list.png"), FullPage = true });
        await page.GoBackAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.Locator("#unit-ranking tr.ranking-row").First.WaitForAsync(new() { Timeout = 30000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "statistics-390.png"), FullPage = true });
        await page.CloseAsync();   // before the server stops: an open page would log the lost connection
    }

    /// <summary>Signs every request in as 督查甲 with the Supervisor role.</summary>
    private sealed class SupervisorScheme(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "TestSupervisor";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "督查甲"), new Claim(ClaimTypes.Role, Roles.Supervisor)], Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }
    }
}

[CollectionDefinition(nameof(StatisticsPageBrowserTests), DisableParallelization = true)]
public class StatisticsPageBrowserCollection;

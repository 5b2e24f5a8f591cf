using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Features;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Browser;

/// <summary>A bureau leader's morning in Chromium: the backlog, a click on 超期, the filtered grid, one overdue case.</summary>
[Collection(AppCollection.Name)]
public sealed class BacklogBrowserTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Leader_ClicksTheOverdueCard_SeesExactlyTheOverdueCases_AndOpensOne()
    {
        // Friday 2026-02-27: the late case's first decision was due on 2026-02-24, after the Spring Festival moved it.
        var clock = TestClock.AtShanghai(2026, 2, 27);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var data = new TestData(new DateOnly(2026, 2, 27));
        data.Petition("BL-LATE-1").ReceivedOn(new(2026, 2, 6)).By("王五", "110101199003071234", "13812345678")
            .Demand("反映小区电梯长期停运，要求物业限期修复");
        data.Petition("BL-LATE-2").ReceivedOn(new(2025, 12, 1)).InHandling(new DateOnly(2025, 12, 3));
        data.Petition("BL-SOON").ReceivedOn(new(2026, 2, 25)).Dispatched(new(2026, 2, 26)).Accepted(new(2026, 2, 26))
            .Step(PetitionState.InHandling, new(2026, 2, 26));
        data.Petition("BL-NEW").ReceivedOn(new(2026, 2, 26));
        await data.SaveAsync(host.Database, Ct);

        var page = await fixture.SignedInPageAsync(Roles.Leader, host);
        await page.GotoAsync("/");
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-table-body tr");
        var overdueCard = page.Locator("[data-kpi=overdue]");
        await Assertions.Expect(overdueCard).ToContainTextAsync("2");
        await BrowserFixture.ScreenshotAsync(page, "backlog-home");

        // One click, as a user makes it: the card is a link, so no re-render can swallow it.
        await overdueCard.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("status=overdue", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("当前筛选：在办件 · 超期");
        var rows = page.Locator(".mud-table-body tr.mud-table-row");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".mud-table-body")).ToContainTextAsync("BL-LATE-1");
        await Assertions.Expect(page.Locator(".mud-table-body")).Not.ToContainTextAsync("BL-SOON");
        await BrowserFixture.ScreenshotAsync(page, "backlog-overdue");

        // The case number is a plain link: following it does not depend on the grid's row-click handler.
        await rows.Filter(new() { HasText = "BL-LATE-1" }).GetByRole(AriaRole.Link, new() { Name = "BL-LATE-1" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/cases/BL-LATE-1", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#case-title")).ToContainTextAsync("BL-LATE-1");
        // Received 02-06 + 15 days = 02-21, inside the 春节 holiday (02-15…02-23): due on the next working day, 02-24;
        // on 02-27 the case is 3 days overdue.
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("超期 3 天");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("春节");
        // A leader sees the ID number masked, and the full one is nowhere in the page.
        Assert.DoesNotContain("110101199003071234", await page.ContentAsync());
        await BrowserFixture.ScreenshotAsync(page, "backlog-case");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FilterBar_ListsAreBuiltWhenOpened_PickingOneFiltersTheUrl_OnAWideScreenAndAPhone()
    {
        var clock = TestClock.AtShanghai(2026, 2, 27);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var data = new TestData(new DateOnly(2026, 2, 27));
        data.Petition("FB-LATE").ReceivedOn(new(2025, 12, 1)).InHandling(new DateOnly(2025, 12, 3));
        data.Petition("FB-SOON").ReceivedOn(new(2026, 2, 25)).Dispatched(new(2026, 2, 26)).Accepted(new(2026, 2, 26))
            .Step(PetitionState.InHandling, new(2026, 2, 26));
        await data.SaveAsync(host.Database, Ct);

        var page = await fixture.SignedInPageAsync(Roles.Leader, host);
        await page.SetViewportSizeAsync(1440, 900);
        await page.GotoAsync("/");
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-table-body tr");
        var status = page.Locator(".mud-input-control:has(#backlog-status)");
        await Assertions.Expect(page.Locator("#backlog-status")).ToHaveValueAsync("在办件");
        await BrowserFixture.ScreenshotAsync(page, "backlog-filters-closed-1440");

        // The list is rendered when it opens: every option is there to pick.
        await status.ClickAsync();
        var options = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(options).ToHaveTextAsync(["在办件", "超期", "临期", "正常", "全部信访件"]);
        await BrowserFixture.ScreenshotAsync(page, "backlog-filters-open-1440");
        await options.Filter(new() { HasText = "超期" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("status=overdue", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("当前筛选：在办件 · 超期");
        await Assertions.Expect(page.Locator("#backlog-status")).ToHaveValueAsync("超期");
        await Assertions.Expect(page.Locator(".mud-table-body tr.mud-table-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".mud-table-body")).ToContainTextAsync("FB-LATE");

        // A phone: the same bar, one list opened, then another filter picked.
        await BrowserFixture.PhoneWidthAsync(page);
        // The rarely used filters are behind 更多筛选.
        await Assertions.Expect(page.Locator("#filter-reception")).ToHaveCountAsync(0);
        await page.Locator("#backlog-more-filters").ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "backlog-filters-closed-390");
        await page.Locator(".mud-input-control:has(#filter-reception)").ClickAsync();
        await Assertions.Expect(options).ToHaveTextAsync(["全部", "领导接访件", "非领导接访件"]);
        await BrowserFixture.ScreenshotAsync(page, "backlog-filters-open-390");
        await options.Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*非领导接访件\\s*$") }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("reception=0", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#filter-reception")).ToHaveValueAsync("非领导接访件");
        // A filter behind 更多筛选 in force keeps its box shown.
        await page.ReloadAsync();
        await BrowserFixture.WaitForCircuitAsync(page, ".mud-table-body tr");
        await Assertions.Expect(page.Locator("#filter-reception")).ToHaveValueAsync("非领导接访件");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Issue 12 goals 1 and 6 on PostgreSQL, where every read is real I/O: the KPI cards the prerender painted stay, unchanged,
    /// through the circuit's start (the circuit takes them from the prerender instead of awaiting a read, which rendered the
    /// loading bar in their place: 4 opens of 4 before); a petition registered between the prerender and the circuit still
    /// reaches the cards in place, and the grid offers it behind the bar.
    /// </summary>
    [Fact]
    public async Task Leader_OnPostgreSql_TheCardsStayFromFirstPaintToTheCircuit_AndALaterWriteReachesThem()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var today = new DateOnly(2026, 2, 27);
        var clock = TestClock.AtShanghai(2026, 2, 27);
        await using var database = await TestDatabase.CreateAsync(PetitionDashboard.Data.DatabaseProvider.PostgreSql);
        await using var host = await AppHost.StartOnAsync(database, services: s => s.AddSingleton<TimeProvider>(clock));
        var data = new TestData(today);
        data.Petition("PG-LATE").ReceivedOn(new(2025, 12, 1)).InHandling(new DateOnly(2025, 12, 3));
        data.Petition("PG-NEW").ReceivedOn(new(2026, 2, 26));
        await data.SaveAsync(database, Ct);

        const string cards = "a[data-kpi]";
        var page = await fixture.SignedInPageAsync(Roles.Leader, host);
        try
        {
            // Sign-in lands on the home page, which starts a circuit of its own: the watch and the route below are for the next open.
            await BrowserFixture.WaitForCircuitAsync(page);
            await PrerenderedRows.WatchAsync(page, cards);

            // An open with nothing written: the cards of the first paint are the cards of the circuit, never removed or changed.
            await page.GotoAsync("/");
            await OpenedAsync(page);
            var (painted, removals, changes, now) = await PrerenderedRows.ReadAsync(page, cards);
            Assert.Equal(7, painted.Length);
            Assert.Equal(0, removals);
            Assert.Empty(changes);
            Assert.Equal(painted, now);
            var open = page.Locator("[data-kpi='open'] .kpi-count");
            Assert.Equal("2", (await open.InnerTextAsync()).Trim());

            // A petition registered after the prerender, before the circuit (its negotiate), and seen by the node's feed.
            var written = false;
            await page.RouteAsync("**/_blazor/negotiate**", async route =>
            {
                if (!written)
                {
                    written = true;
                    await using (var ctx = await database.CreateDbContextAsync(Ct))
                    {
                        var p = TestData.PetitionRow("PG-LATER", today, PetitionState.Registered,
                            unitId: await ctx.Units.OrderBy(u => u.Id).Select(u => u.Id).FirstAsync(Ct));
                        p.CurrentDueDate = today.AddDays(15);
                        ctx.Petitions.Add(p);
                        await ctx.SaveChangesAsync(Ct);
                    }
                    await host.Services.GetRequiredService<IChangeFeed>().RefreshAsync(Ct);
                }
                await route.ContinueAsync();
            });
            await page.GotoAsync("/");
            await OpenedAsync(page);
            Assert.True(written);
            // The card counts it in place; the grid keeps the prerender's rows and the bar offers the change.
            await Assertions.Expect(open).ToHaveTextAsync("3");
            await Assertions.Expect(page.Locator("[data-testid='live-refresh']")).ToHaveTextAsync("有 1 条新变化，点击刷新");
            await Assertions.Expect(page.Locator(".mud-table-body")).Not.ToContainTextAsync("PG-LATER");
            var (first, afterWrite, _, shown) = await PrerenderedRows.ReadAsync(page, cards);
            Assert.Equal(painted, first);   // the prerender read before the write
            Assert.Equal(0, afterWrite);   // updated in place: the loading bar never stood in for the cards
            Assert.Equal(7, shown.Length);
            await BrowserFixture.ScreenshotAsync(page, "backlog-postgres-carried-cards");
            await page.Locator("[data-testid='live-refresh']").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-table-body")).ToContainTextAsync("PG-LATER");
        }
        finally
        {
            // Closed before the host stops, pass or fail, so the lost connection is no console error of this or a later test.
            await page.Context.CloseAsync();
        }
    }

    /// <summary>The home page's circuit has rendered: the pager exists only in the interactive render, which also replaces
    /// the cards if it ever does.</summary>
    private static async Task OpenedAsync(IPage page)
    {
        await BrowserFixture.WaitForCircuitAsync(page, "#backlog-rows-per-page");
        await Assertions.Expect(page.Locator("a[data-kpi]")).ToHaveCountAsync(7);
    }
}

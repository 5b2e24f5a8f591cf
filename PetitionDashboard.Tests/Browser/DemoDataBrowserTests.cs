using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Tests.Data;
using PetitionDashboard.Tests.Features.Import;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Browser;

/// <summary>One app over a 4,000-petition demo city (pinned seed and clock), shared by the tests of the class.</summary>
public sealed class DemoCityHostFixture : IAsyncLifetime
{
    public TestClock Clock { get; } = DemoTestSupport.Clock();
    public AppHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(Clock));
        await DemoTestSupport.Demo(Host.Database, Clock).GenerateAsync(4_000, seed: 20261130, progress: null);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>
/// Issue 17 in Chromium, on demo data: a new 集中交办 batch holds exactly the cases pasted into it (defect 1), and a ledger
/// is refused for what registration refuses — 问题属地 outside the code table, a 联系电话 that is no number (defect 4).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DemoDataBrowserTests(BrowserFixture fixture, DemoCityHostFixture city) : IClassFixture<DemoCityHostFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ANewBatch_OfThreePastedCases_ListsExactlyThoseThree()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        // Three open cases of threads no 包案 or batch has touched: what an officer would paste.
        List<string> cases;
        await using (var db = city.Host.Database.CreateDbContext())
        {
            var open = PetitionLifecycle.OpenStates.ToList();
            cases = await db.Petitions
                .Where(p => open.Contains(p.State) && p.Thread.BacklogBatchId == null && !p.Thread.Assignments.Any() && p.Thread.PetitionCount == 1)
                .OrderBy(p => p.Id).Select(p => p.CaseNumber).Take(3).ToListAsync(Ct);
        }
        Assert.Equal(3, cases.Count);

        var page = await fixture.SignedInPageAsync(Roles.DutyOfficer, city.Host);
        await page.GotoAsync("/assignments/batches");
        await BrowserFixture.WaitForCircuitAsync(page, "#batch-list");
        await page.Locator("#bulk-case-numbers").FillAsync(string.Join("\n", cases));
        await page.Locator("#bulk-open").ClickAsync();
        await page.Locator("#assign-batch-name").FillAsync("2026年11月测试集中交办");
        await page.Locator("#assign-leader").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.ClickAsync();
        await page.Locator("#assign-responsible").FillAsync("赵六");
        await page.Locator("#assign-plan").FillAsync("逐件约谈信访人，限期答复");
        await page.Locator("#assign-submit").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已建立：3 件交");

        int batchId;
        await using (var db = city.Host.Database.CreateDbContext())
            batchId = await db.AssignmentBatches.Where(b => b.Name == "2026年11月测试集中交办").Select(b => b.Id).SingleAsync(Ct);
        await page.GotoAsync($"/assignments/batches/{batchId}");
        await BrowserFixture.WaitForCircuitAsync(page, "#assignment-list tbody tr.mud-table-row");
        var rows = page.Locator("#assignment-list tbody tr.mud-table-row");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        foreach (var c in cases) await Assertions.Expect(page.Locator("#assignment-list")).ToContainTextAsync(c);
        await BrowserFixture.ScreenshotAsync(page, "batch-detail-exactly-three");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Repeats_RankingShowsTheThreadPetitionedMostInTheLast90Days_First()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        // The page's default period is the last 90 days: the leading thread, recounted from the petitions.
        var today = city.Clock.Today();
        (int ThreadId, int Times) top;
        await using (var db = city.Host.Database.CreateDbContext())
        {
            var rows = await db.Petitions.Where(p => p.ReceivedOn >= today.AddDays(-89) && p.ReceivedOn <= today && p.Thread.PetitionCount >= 2)
                .Select(p => new { p.ThreadId, p.ReceivedOn }).ToListAsync(Ct);
            top = rows.GroupBy(p => p.ThreadId)
                .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Max(p => p.ReceivedOn)).ThenBy(g => g.Key)
                .Select(g => (g.Key, g.Count())).First();
        }

        var page = await fixture.SignedInPageAsync(Roles.Leader, city.Host);
        // The ranking's first page is in the prerendered HTML (read once, carried to the circuit).
        var html = await (await page.APIRequest.GetAsync("/repeats")).TextAsync();
        Assert.Contains($">#{top.ThreadId}<", html);
        await page.GotoAsync("/repeats");
        var first = await BrowserFixture.WaitForCircuitAsync(page, ".mud-table-body tr.mud-table-row");
        await Assertions.Expect(first.First.Locator("td").First).ToHaveTextAsync($"#{top.ThreadId}");
        await Assertions.Expect(first.First.Locator("td").Nth(5)).ToHaveTextAsync(top.Times.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await BrowserFixture.ScreenshotAsync(page, "repeats-ranking");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Repeats_PrerenderedRanking_StaysWhenTheCircuitStarts_NoBlink()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        const string rows = "#repeat-ranking tbody tr.mud-table-row";
        var page = await fixture.SignedInPageAsync(Roles.Leader, city.Host);
        await PrerenderedRows.WatchAsync(page, rows);
        await page.GotoAsync("/repeats");
        await BrowserFixture.WaitForCircuitAsync(page);
        // The circuit's first render is in; a page turn proves the circuit drives the ranking (and waits out any late load).
        await Assertions.Expect(page.Locator(".mud-table-pagination-caption").Last).ToContainTextAsync("第 1-20 条");
        var (prerendered, removals, changes, now) = await PrerenderedRows.ReadAsync(page, rows);
        Assert.Equal(20, prerendered.Length);
        Assert.Equal(0, removals);
        Assert.Empty(changes);
        Assert.Equal(prerendered, now);

        await page.Locator("#repeat-ranking button[aria-label='下一页']").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-table-pagination-caption").Last).ToContainTextAsync("第 21-");
        Assert.DoesNotContain((await page.Locator(rows).AllTextContentsAsync()).First().Trim(), prerendered);
        await BrowserFixture.ScreenshotAsync(page, "repeats-ranking-page2-1440");
        await BrowserFixture.PhoneWidthAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "repeats-ranking-page2-390");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ALedgerWithLocality火星AndPhoneAbc_IsRefused_NamingBoth()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var received = city.Clock.Today().AddDays(-3).ToString("yyyy-MM-dd");
        var ledger = new LedgerFile()
            .Row("MARS-001", (LedgerColumns.ReceivedOn, received), (LedgerColumns.Unit, "临川区"), (LedgerColumns.Locality, "临川区"))
            .Row("MARS-002", (LedgerColumns.ReceivedOn, received), (LedgerColumns.Unit, "临川区"), (LedgerColumns.Locality, "火星"),
                (LedgerColumns.Phones, "abc"))
            .Save(Path.Combine(Artifacts.Root, "ledger-mars.xlsx"));

        var page = await fixture.SignedInPageAsync(Roles.DutyOfficer, city.Host);
        await page.GotoAsync("/import");
        await BrowserFixture.WaitForCircuitAsync(page, "#alias-table");
        await page.SetInputFilesAsync("#ledger-file", ledger);
        await page.Locator("#import-failed").WaitForAsync(new() { Timeout = 60000 });
        var errors = page.Locator("#import-errors tbody tr");
        await Assertions.Expect(errors).ToHaveCountAsync(2);
        var locality = errors.Filter(new() { HasText = "问题属地" }).Locator("td");
        await Assertions.Expect(locality.Nth(0)).ToHaveTextAsync("3");
        await Assertions.Expect(locality.Nth(2)).ToHaveTextAsync("火星");
        await Assertions.Expect(locality.Nth(3)).ToContainTextAsync("“火星”不是已登记的县（市、区）");
        var phone = errors.Filter(new() { HasText = "联系电话" }).Locator("td");
        await Assertions.Expect(phone.Nth(0)).ToHaveTextAsync("3");
        await Assertions.Expect(phone.Nth(2)).ToHaveTextAsync("abc");
        await Assertions.Expect(phone.Nth(3)).ToContainTextAsync("应为7至20位数字");
        await BrowserFixture.ScreenshotAsync(page, "import-refused-mars-abc");
        await using (var db = city.Host.Database.CreateDbContext())
            Assert.False(await db.Petitions.AnyAsync(p => p.CaseNumber.StartsWith("MARS-"), Ct));
        await page.Context.CloseAsync();
    }
}

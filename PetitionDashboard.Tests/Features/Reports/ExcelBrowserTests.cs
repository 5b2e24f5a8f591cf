using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Browser;
using PetitionDashboard.Tests.Features.Import;

namespace PetitionDashboard.Tests.Features.Reports;

/// <summary>
/// In Chromium against the app on 127.0.0.1: a Supervisor generates the week's report with progress and downloads it by
/// link; a duty officer imports a ledger with one bad row (refused, the row listed, the error workbook downloadable), then
/// the corrected ledger. Screenshots: artifacts/screenshots/excel-*.png.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ExcelBrowserTests(BrowserFixture fixture)
{
    /// <summary>The app's clock (Clock:Now, running from there): Monday 2026-11-23, 09:00 Shanghai.</summary>
    private const string Now = "2026-11-23T09:00:00+08:00";

    [Fact]
    public async Task Supervisor_GeneratesAndDownloadsTheWeeksReport()
    {
        var ct = TestContext.Current.CancellationToken;
        // Own host on a pinned clock: the report's default week and every date below are those of Monday 2026-11-23.
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?> { ["Clock:Now"] = Now });
        var clock = host.Services.GetRequiredService<TimeProvider>();
        var today = new DateOnly(2026, 11, 23);
        var week = IsoWeek.Of(today).Previous;
        Assert.Equal("2026-W47", week.ToString());
        var data = new TestData(today);
        data.Unit("报表测试区");
        data.Petition("RPT-001").ReceivedOn(week.Monday.AddDays(-40)).By("周报测试", "361102198001011236", "13912345678");
        data.Petition("RPT-002").ReceivedOn(week.Monday.AddDays(1));
        await data.SaveAsync(host.Database, ct);
        await host.Services.GetRequiredService<StatisticsRecomputer>().RecomputeWeekAsync(week, clock.GetUtcNow().UtcDateTime, ct);
        int overdue;
        await using (var db = await host.Database.CreateDbContextAsync(ct))
            overdue = await db.WeeklyUnitStatistics.Where(s => s.WeekMonday == week.Monday && s.UnitId == null).Select(s => s.Overdue).SingleAsync(ct);

        var page = await fixture.SignedInPageAsync(Roles.Supervisor, host);
        await page.GotoAsync("/reports");
        var generate = await BrowserFixture.WaitForCircuitAsync(page, "#generate-report");
        await Assertions.Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "统计周" }))
            .ToHaveValueAsync(new System.Text.RegularExpressions.Regex(week.ToString()));
        await generate.ClickAsync();
        var link = page.Locator("#download-report");
        await link.WaitForAsync(new() { Timeout = 60000 });
        await BrowserFixture.ScreenshotAsync(page, "excel-report-ready");
        Assert.Contains($"/reports/supervision/{week}.xlsx?file=", await link.GetAttributeAsync("href"));

        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal($"督办通报-{week}.xlsx", download.SuggestedFilename);
        var path = Path.Combine(Artifacts.Root, $"excel-report-{week}.xlsx");
        await download.SaveAsAsync(path);
        using (var wb = new XLWorkbook(path))
        {
            Assert.Equal(["汇总", "单位排名", "包案进展", "超期清单", "重复信访"], wb.Worksheets.Select(s => s.Name));
            var list = wb.Worksheet("超期清单");
            Assert.Equal(overdue, list.RowsUsed().Count(r => r.RowNumber() > 3));
            var rpt = list.RowsUsed().Single(r => r.Cell(2).GetString() == "RPT-001");
            Assert.Equal("361102********1236", rpt.Cell(4).GetString());
        }
        await using (var db = await host.Database.CreateDbContextAsync(ct))
            Assert.Contains(await db.AuditEntries.Where(a => a.Action == "Export").ToListAsync(ct),
                a => a.Actor == BrowserFixture.UserNameFor(Roles.Supervisor) && a.Detail!.Contains(week.ToString()));

        // The endpoint is the server-side check: a duty officer's direct request is refused.
        var officer = await fixture.SignedInPageAsync(Roles.DutyOfficer, host);
        var refused = await officer.APIRequest.GetAsync($"/reports/supervision/{week}.xlsx", new() { MaxRedirects = 0 });
        // Signed in without the right: the cookie scheme sends the officer to the Chinese 无权访问 page.
        Assert.Equal(302, refused.Status);
        Assert.Equal($"{host.BaseUrl}account/access-denied?ReturnUrl=%2Freports%2Fsupervision%2F{week}.xlsx", refused.Headers.GetValueOrDefault("location"));
        // Nobody signed in: sent to the sign-in page, which brings them back to the file afterwards.
        var nobody = await fixture.NewPageAsync(host);
        var anonymous = await nobody.APIRequest.GetAsync($"/reports/supervision/{week}.xlsx", new() { MaxRedirects = 0 });
        Assert.Equal(302, anonymous.Status);
        Assert.Equal($"{host.BaseUrl}account/login?ReturnUrl=%2Freports%2Fsupervision%2F{week}.xlsx", anonymous.Headers.GetValueOrDefault("location"));
        await page.Context.CloseAsync();
        await officer.Context.CloseAsync();
        await nobody.Context.CloseAsync();
    }

    [Fact]
    public async Task DutyOfficer_ImportsALedger_WithOneBadRow_ThenTheCorrectedOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?> { ["Clock:Now"] = Now });
        await using (var db = await host.Database.CreateDbContextAsync(ct))
        {
            db.Units.Add(new Unit { Name = "导入测试区", Kind = UnitKind.County });
            await db.SaveChangesAsync(ct);
        }
        var received = "2026-11-20";
        // 问题属地 is checked against the code table (the county units), as registration checks it.
        LedgerFile Ledger(string badDate) => new LedgerFile()
            .Row("IMP-001", (LedgerColumns.ReceivedOn, received), (LedgerColumns.Unit, "导入测试区"), (LedgerColumns.Locality, "导入测试区"))
            .Row("IMP-002", (LedgerColumns.ReceivedOn, badDate), (LedgerColumns.Unit, "导入测试区"), (LedgerColumns.Locality, "导入测试区"),
                (LedgerColumns.Demand, "=1+1 要求公开"))
            .Row("IMP-003", (LedgerColumns.ReceivedOn, received), (LedgerColumns.Unit, "导入测试区"), (LedgerColumns.Locality, "导入测试区"),
                (LedgerColumns.OriginalCaseNumber, "IMP-001"));
        var bad = Ledger("2026-13-01").Save(Path.Combine(Artifacts.Root, "excel-ledger-bad.xlsx"));
        var good = Ledger(received).Save(Path.Combine(Artifacts.Root, "excel-ledger-good.xlsx"));

        var page = await fixture.SignedInPageAsync(Roles.DutyOfficer, host);
        await page.GotoAsync("/import");
        await BrowserFixture.WaitForCircuitAsync(page, "#alias-table");
        await page.SetInputFilesAsync("#ledger-file", bad);
        await page.Locator("#import-failed").WaitForAsync(new() { Timeout = 60000 });
        await Assertions.Expect(page.Locator("#import-errors")).ToContainTextAsync("无法识别的日期“2026-13-01”");
        var cells = page.Locator("#import-errors tbody tr").First.Locator("td");
        await Assertions.Expect(cells.Nth(0)).ToHaveTextAsync("3");
        await Assertions.Expect(cells.Nth(1)).ToHaveTextAsync("登记日期");
        await Assertions.Expect(cells.Nth(2)).ToHaveTextAsync("2026-13-01");
        await BrowserFixture.ScreenshotAsync(page, "excel-import-refused");
        await using (var db = await host.Database.CreateDbContextAsync(ct))
            Assert.False(await db.Petitions.AnyAsync(p => p.CaseNumber.StartsWith("IMP-"), ct));

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-errors").ClickAsync());
        var errors = Path.Combine(Artifacts.Root, "excel-import-errors.xlsx");
        await download.SaveAsAsync(errors);
        using (var wb = new XLWorkbook(errors))
            Assert.Equal((3, "登记日期"), (wb.Worksheet(1).Cell(4, 1).GetValue<int>(), wb.Worksheet(1).Cell(4, 2).GetString()));

        await page.SetInputFilesAsync("#ledger-file", good);
        await page.Locator("#import-done").WaitForAsync(new() { Timeout = 60000 });
        await Assertions.Expect(page.Locator("#import-done")).ToContainTextAsync("新增 3 件（其中重复件 1 件）");
        await BrowserFixture.ScreenshotAsync(page, "excel-import-done");
        await using (var db = await host.Database.CreateDbContextAsync(ct))
        {
            var imported = await db.Petitions.Where(p => p.CaseNumber.StartsWith("IMP-")).OrderBy(p => p.CaseNumber).ToListAsync(ct);
            Assert.Equal(3, imported.Count);
            Assert.Equal("=1+1 要求公开", imported[1].Demand);
            Assert.Equal(imported[0].ThreadId, imported[2].ThreadId);
        }
        await page.Context.CloseAsync();
    }
}

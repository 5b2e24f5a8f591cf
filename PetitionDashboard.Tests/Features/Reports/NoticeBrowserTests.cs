using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Browser;

namespace PetitionDashboard.Tests.Features.Reports;

/// <summary>
/// 督办单 in Chromium (docs/rules.md §13) on Monday 2026-11-23: the reports page previews the 汇总 of 2026-W47; a Supervisor
/// generates the week's 督办单 (a POST with the antiforgery token) and downloads the .zip, whose per-unit workbooks list
/// exactly that unit's rows of the 通报's 超期清单 (generated on the same page); a second generation adds no 催办; both
/// generations and the 通报 stay in the history and download again. Screenshots at 1440 and 390 px: artifacts/screenshots/notices-*.png.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NoticeBrowserTests(BrowserFixture fixture)
{
    private static readonly IsoWeek W47 = new(2026, 47);

    [Fact]
    public async Task Notices_PerUnitWorkbooksMatchTheOverdueList_AndASecondGenerationAddsNoReminder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?> { ["Clock:Now"] = "2026-11-23T09:00:00+08:00" });
        var data = new TestData(new DateOnly(2026, 11, 23));
        var county = data.Unit("督办城关区");
        var dept = data.Unit("督办住建局", UnitKind.CityDepartment);
        data.Unit("督办东湖区");
        data.Petition("DB-001").ReceivedOn(new DateOnly(2026, 10, 9)).By("周督办", "361102198001011236", "13912345678").HandledBy(county);
        data.Petition("DB-002").ReceivedOn(new DateOnly(2026, 10, 20)).HandledBy(county);
        data.Petition("DB-003").ReceivedOn(new DateOnly(2026, 8, 3)).InHandling(new DateOnly(2026, 8, 10)).HandledBy(dept);
        data.Petition("DB-004").ReceivedOn(new DateOnly(2026, 11, 18)).HandledBy(county);
        await data.SaveAsync(host.Database, ct);
        var clock = host.Services.GetRequiredService<TimeProvider>();
        await host.Services.GetRequiredService<StatisticsRecomputer>().RecomputeWeekAsync(W47, clock.GetUtcNow().UtcDateTime, ct);

        var page = await fixture.SignedInPageAsync(Roles.Supervisor, host);
        await page.GotoAsync("/reports");
        var preview = await BrowserFixture.WaitForCircuitAsync(page, "#report-preview");
        await Assertions.Expect(preview).ToContainTextAsync("2026-W47 汇总预览");
        await Assertions.Expect(preview.Locator("tr[data-figure='超期数'] .figure-now")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#generate-notices")).ToContainTextAsync("生成 2026-W47 督办单");
        await BrowserFixture.ScreenshotAsync(page, "notices-reports-page-1440");

        // The 通报 of the week, generated on this page: its 超期清单 is what each unit's 督办单 must list.
        await page.Locator("#generate-report").ClickAsync();
        var reportLink = page.Locator("#download-report");
        await reportLink.WaitForAsync(new() { Timeout = 60000 });
        var report = await page.RunAndWaitForDownloadAsync(() => reportLink.ClickAsync());
        var reportPath = Path.Combine(Artifacts.Root, "notices-report.xlsx");
        await report.SaveAsAsync(reportPath);
        Dictionary<string, List<string>> expected;
        using (var wb = new XLWorkbook(reportPath))
            expected = wb.Worksheet("超期清单").RowsUsed().Where(r => r.RowNumber() > SupervisionReportWriter.HeaderRow)
                .GroupBy(r => r.Cell(8).GetString()).ToDictionary(g => g.Key, g => g.Select(r => r.Cell(2).GetString()).ToList());
        Assert.Equal(["督办住建局", "督办城关区"], expected.Keys.Order(StringComparer.Ordinal));

        await page.Locator("#generate-notices").ClickAsync();
        var ready = await BrowserFixture.WaitForCircuitAsync(page, "#notices-ready");
        await Assertions.Expect(ready).ToContainTextAsync("已生成 2026-W47 督办单 2 份，新增催办 3 件");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-notices").ClickAsync());
        Assert.Equal("督办单-2026-W47.zip", download.SuggestedFilename);
        var first = await ReadZipAsync(download, "notices-first.zip");
        Assert.Equal(expected.Keys.Select(u => $"督办单-2026-W47-{u}.xlsx").Order(StringComparer.Ordinal), first.Keys.Order(StringComparer.Ordinal));
        foreach (var (unit, numbers) in expected)
            Assert.Equal(numbers, SupervisionNoticeTests.Section(first[$"督办单-2026-W47-{unit}.xlsx"], SupervisionNoticeWriter.OverdueSection));
        foreach (var n in new[] { "DB-001", "DB-002", "DB-003" }) Assert.Equal((1, 1), await RemindersAsync(host, n));

        // Again for the same week: a new generation is kept, no petition is reminded twice.
        await page.Locator("#generate-notices").ClickAsync();
        await Assertions.Expect(page.Locator("#notices-ready")).ToContainTextAsync("新增催办 0 件（本周已催办过，不重复计数）");
        foreach (var n in new[] { "DB-001", "DB-002", "DB-003" }) Assert.Equal((1, 1), await RemindersAsync(host, n));
        Assert.Equal((0, 0), await RemindersAsync(host, "DB-004"));

        // The 通报 generated above is in the history too, newest first; every entry downloads again.
        var rows = page.Locator("#report-history tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Locator(".history-kind")).ToHaveTextAsync(["督办单", "督办单", "督办通报"]);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("督查测试");
        await BrowserFixture.ScreenshotAsync(page, "notices-history-1440");
        await BrowserFixture.PhoneWidthAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "notices-history-390");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "督办通报页在 390 px 下不应横向滚动");
        await page.SetViewportSizeAsync(1440, 900);
        var again = await page.RunAndWaitForDownloadAsync(() => rows.Nth(1).Locator(".history-download").ClickAsync());
        var redownloaded = await ReadZipAsync(again, "notices-again.zip");
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), redownloaded.Keys.Order(StringComparer.Ordinal));
        var reportAgain = await page.RunAndWaitForDownloadAsync(() => rows.Nth(2).Locator(".history-download").ClickAsync());
        Assert.Equal($"督办通报-{W47}.xlsx", reportAgain.SuggestedFilename);

        // Generating changes data: a duty officer is refused, and a POST without the antiforgery token is rejected.
        var officer = await fixture.SignedInPageAsync(Roles.DutyOfficer, host);
        var refused = await officer.APIRequest.PostAsync(ReportEndpoints.NoticesPath, new() { Form = FormOf(W47), MaxRedirects = 0 });
        Assert.Equal(302, refused.Status);
        Assert.Contains("/account/access-denied", refused.Headers.GetValueOrDefault("location"));
        var forged = await page.APIRequest.PostAsync(ReportEndpoints.NoticesPath, new() { Form = FormOf(W47), MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);
        await using (var db = await host.Database.CreateDbContextAsync(ct))
            Assert.Equal(2, await db.GeneratedDocuments.CountAsync(d => d.Kind == GeneratedDocumentKind.SupervisionNotices, ct));
        await page.Context.CloseAsync();
        await officer.Context.CloseAsync();

        IFormData FormOf(IsoWeek week)
        {
            var form = page.APIRequest.CreateFormData();
            form.Set("week", week.ToString());
            return form;
        }
    }

    [Fact]
    public async Task Notices_ForTickedUnitsOnly_ListAndRemindOnlyThoseUnits()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?> { ["Clock:Now"] = "2026-11-23T09:00:00+08:00" });
        var data = new TestData(new DateOnly(2026, 11, 23));
        var county = data.Unit("选定城关区");
        var dept = data.Unit("选定住建局", UnitKind.CityDepartment);
        data.Petition("XD-001").ReceivedOn(new DateOnly(2026, 10, 9)).HandledBy(county);
        data.Petition("XD-002").ReceivedOn(new DateOnly(2026, 8, 3)).InHandling(new DateOnly(2026, 8, 10)).HandledBy(dept);
        await data.SaveAsync(host.Database, ct);
        var clock = host.Services.GetRequiredService<TimeProvider>();
        await host.Services.GetRequiredService<StatisticsRecomputer>().RecomputeWeekAsync(W47, clock.GetUtcNow().UtcDateTime, ct);

        var page = await fixture.SignedInPageAsync(Roles.Supervisor, host);
        await page.GotoAsync("/reports");
        await BrowserFixture.WaitForCircuitAsync(page, "#report-preview");
        await page.Locator("#notice-units summary").ClickAsync();
        await page.Locator("#notice-units input[data-unit='选定住建局']").CheckAsync();
        await BrowserFixture.ScreenshotAsync(page, "notices-chosen-units-1440");
        await BrowserFixture.PhoneWidthAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "notices-chosen-units-390");
        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth"), "督办通报页在 390 px 下不应横向滚动");
        await page.SetViewportSizeAsync(1440, 900);

        await page.Locator("#generate-notices").ClickAsync();
        var ready = await BrowserFixture.WaitForCircuitAsync(page, "#notices-ready");
        await Assertions.Expect(ready).ToContainTextAsync("已生成 2026-W47 督办单 1 份，新增催办 1 件");
        var zip = await ReadZipAsync(await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-notices").ClickAsync()), "notices-chosen.zip");
        Assert.Equal(["督办单-2026-W47-选定住建局.xlsx"], zip.Keys);
        Assert.Equal(["XD-002"], SupervisionNoticeTests.Section(zip["督办单-2026-W47-选定住建局.xlsx"], SupervisionNoticeWriter.OverdueSection));
        Assert.Equal((1, 1), await RemindersAsync(host, "XD-002"));
        Assert.Equal((0, 0), await RemindersAsync(host, "XD-001"));
        await page.Context.CloseAsync();
    }

    private static async Task<Dictionary<string, XLWorkbook>> ReadZipAsync(IDownload download, string name)
    {
        var path = Path.Combine(Artifacts.Root, name);
        await download.SaveAsAsync(path);
        await using var zip = File.OpenRead(path);
        return SupervisionNoticeTests.Workbooks(zip);
    }

    private static async Task<(int Reminders, int Events)> RemindersAsync(AppHost host, string caseNumber)
    {
        await using var db = await host.Database.CreateDbContextAsync();
        var p = await db.Petitions.SingleAsync(x => x.CaseNumber == caseNumber);
        return (p.RemindersSent, await db.PetitionEvents.CountAsync(e => e.PetitionId == p.Id && e.Kind == PetitionEventKind.Reminder));
    }
}

using ClosedXML.Excel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Browser;

namespace PetitionDashboard.Tests.Features.Scoring;

/// <summary>
/// Issue 17 defect 6 and issue 14 item 4, in Chromium: a Supervisor puts 达川式 in force on the 考核方案 page; the statistics
/// page's ranking and the report's 单位排名 are then the same list — rank within each kind, score, grade — and both equal
/// the hand computation. Screenshots at 1440 and 390 px: artifacts/screenshots/scoring-*.png.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ScoringBrowserTests(BrowserFixture fixture)
{
    private const string Now = "2026-11-23T09:00:00+08:00";

    [Fact]
    public async Task ThePagesRanking_IsTheReportsRanking_UnderTheSchemeChosenOnThePage()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?> { ["Clock:Now"] = Now });
        var clock = host.Services.GetRequiredService<TimeProvider>();
        var week = new IsoWeek(2026, 47);
        var data = new TestData(new DateOnly(2026, 11, 23));
        var east = data.Unit("东区");
        var west = data.Unit("西区");
        var south = data.Unit("南区");
        var deptA = data.Unit("市局甲", UnitKind.CityDepartment);
        var deptB = data.Unit("市局乙", UnitKind.CityDepartment);
        var town = data.Unit("一镇", UnitKind.Township);
        // Nothing falls due in W47 (every rate "—", full points); each repeat registered in W47 costs its unit 1 point.
        var n = 0;
        void Repeats(Unit unit, int count)
        {
            var first = data.Petition($"SC-{++n:000}").ReceivedOn(new DateOnly(2026, 9, 17)).HandledBy(unit);
            for (var i = 0; i < count; i++) data.Petition($"SC-{++n:000}").ReceivedOn(week.Monday.AddDays(1 + i)).HandledBy(unit).RepeatOf(first);
        }
        Repeats(east, 1);
        Repeats(west, 0);
        Repeats(south, 2);
        Repeats(deptA, 1);
        Repeats(deptB, 1);
        Repeats(town, 0);
        await data.SaveAsync(host.Database, ct);
        await host.Services.GetRequiredService<StatisticsRecomputer>().RecomputeWeekAsync(week, clock.GetUtcNow().UtcDateTime, ct);

        var page = await fixture.SignedInPageAsync(Roles.Supervisor, host);
        await page.GotoAsync("/scoring");
        await BrowserFixture.WaitForCircuitAsync(page, "#scheme-list");
        await Assertions.Expect(page.Locator("#scheme-in-force")).ToContainTextAsync("当前方案：默认");
        await page.Locator("tr[data-scheme='达川式'] .choose-scheme").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "确定" }).ClickAsync();
        await Assertions.Expect(page.Locator("#scheme-in-force")).ToContainTextAsync("当前方案：达川式（第 1 版，满分 30）");
        await Assertions.Expect(page.Locator("#scheme-in-force")).ToContainTextAsync("由 督查测试 于");
        await BrowserFixture.ScreenshotAsync(page, "scoring-schemes-1440");
        await page.Locator("tr[data-scheme='达川式'] .edit-scheme").ClickAsync();
        await Assertions.Expect(page.Locator("#scheme-editor .scheme-item")).ToHaveCountAsync(5);
        // The editor refuses a bad draft with every problem named by its field, and saves nothing.
        await page.GetByLabel("方案名称").FillAsync("");
        await page.Locator("#scheme-editor .item-points input").First.FillAsync("0");
        await page.Locator("#save-scheme").ClickAsync();
        await Assertions.Expect(page.Locator("#scheme-problems")).ToContainTextAsync("方案名称：不能为空");
        await Assertions.Expect(page.Locator("#scheme-problems")).ToContainTextAsync("第 1 项“分值”：必须大于 0 且不超过 1000");
        await Assertions.Expect(page.Locator("tr[data-scheme='达川式']")).ToContainTextAsync("第 1 版");
        await page.Locator("#scoring-title").ScrollIntoViewIfNeededAsync();   // the fixed app bar at the top of the full-page shot
        await BrowserFixture.ScreenshotAsync(page, "scoring-editor-1440");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "scoring-editor-390");
        Assert.True(await PageFitsItsWidthAsync(page), "考核方案页在 390 px 下整页横向滚动");
        await page.SetViewportSizeAsync(1440, 900);

        await page.GotoAsync($"/statistics?week={week}");
        await BrowserFixture.WaitForCircuitAsync(page, "#unit-ranking tr.ranking-row");
        await Assertions.Expect(page.Locator("#ranking-scheme")).ToContainTextAsync("达川式（第 1 版，满分 30）");
        var rows = page.Locator("#unit-ranking tr.ranking-row");
        var onPage = new List<(string Unit, string Kind, int Rank, string Score, string Grade)>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var row = rows.Nth(i);
            onPage.Add((
                (await row.Locator("td.unit").InnerTextAsync()).Trim(), (await row.GetAttributeAsync("data-kind"))!,
                int.Parse(await row.Locator("td.rank").InnerTextAsync()), (await row.Locator("td.score").InnerTextAsync()).Trim(),
                (await row.Locator("td.grade").InnerTextAsync()).Trim()));
        }
        await BrowserFixture.ScreenshotAsync(page, "scoring-statistics-1440");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "scoring-statistics-390");
        Assert.True(await PageFitsItsWidthAsync(page), "周统计页在 390 px 下整页横向滚动");

        // By hand: 30 − 重件 within each kind, ties by name (乙 before 甲 in code-point order); 29/30 = 96.7 % and 28/30 = 93.3 % are A.
        (string, string, int, string, string)[] expected =
        [
            ("西区", "县区", 1, "30", "A"), ("东区", "县区", 2, "29", "A"), ("南区", "县区", 3, "28", "A"),
            ("市局乙", "市直部门", 1, "29", "A"), ("市局甲", "市直部门", 2, "29", "A"),
            ("一镇", "乡镇街道", 1, "30", "A"),
        ];
        Assert.Equal(expected, onPage);

        var response = await page.APIRequest.GetAsync($"/reports/supervision/{week}.xlsx");
        Assert.Equal(200, response.Status);
        var path = Path.Combine(Artifacts.Root, $"scoring-report-{week}.xlsx");
        await File.WriteAllBytesAsync(path, await response.BodyAsync(), ct);
        using var wb = new XLWorkbook(path);
        var sheet = wb.Worksheet("单位排名");
        var headers = sheet.Row(3).CellsUsed().ToDictionary(c => c.GetString(), c => c.Address.ColumnNumber);
        var inFile = sheet.RowsUsed().Where(r => r.RowNumber() > 3)
            .Select(r => (r.Cell(2).GetString(), r.Cell(3).GetString(), r.Cell(1).GetValue<int>(),
                Scheme: ScoringSchemes.FormatPoints(r.Cell(headers["得分"]).GetValue<double>()), r.Cell(headers["等级"]).GetString()))
            .ToList();
        Assert.Equal(onPage, inFile);
        Assert.Contains("达川式（第 1 版，满分 30）", sheet.Cell(2, 1).GetString());
        await page.Context.CloseAsync();
    }

    private static async Task<bool> PageFitsItsWidthAsync(IPage page) =>
        await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1");
}

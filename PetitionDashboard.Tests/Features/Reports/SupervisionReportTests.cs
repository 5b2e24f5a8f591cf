using System.IO.Compression;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Audit;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Infrastructure.Excel;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Reports;

/// <summary>
/// The 督办通报 of 2026-W46 (Mon 11-09 … Sun 11-15), exported and read back: sheets, headers, figures equal to the stored
/// weekly statistics, the 超期清单 equal to the 超期数 population, masking, no formulas, print setup, the audit record.
/// </summary>
public class SupervisionReportTests
{
    private static readonly IsoWeek W46 = new(2026, 46);
    private const string IdNumber = "361102198001011236";
    private const string Phone = "13912345678";
    private const string FormulaName = "=HYPERLINK(\"http://evil.example\",\"点我\")";

    private sealed class World : IAsyncDisposable
    {
        public required TestDatabase Db { get; init; }
        public required TestClock Clock { get; init; }
        public required StatisticsService Statistics { get; init; }
        public required StatisticsRecomputer Recomputer { get; init; }
        public required SupervisionReportSource Source { get; init; }
        public required TestData Data { get; init; }

        public SupervisionReportExporter Exporter(string role = Roles.Supervisor) => new(
            Source, Statistics, new AccessGuard(FixedCurrentUser.For("督查甲", [role])), new AuditLog(Db, new AuditActorAccessor(), Clock),
            Clock, Options.Create(new BureauOptions { Name = "临川市信访局" }));

        public async Task<string> ExportAsync(IsoWeek week)
        {
            var path = Path.Combine(Path.GetTempPath(), $"pd-report-{Guid.NewGuid():N}.xlsx");
            await using var file = File.Create(path);
            await Exporter().ExportAsync(week, file, null, TestContext.Current.CancellationToken);
            return path;
        }

        public ValueTask DisposeAsync() => Db.DisposeAsync();
    }

    private static async Task<World> CreateAsync(bool compute = true, ScoringOptions? scoring = null)
    {
        var db = await TestDatabase.CreateAsync();
        var data = new TestData(new DateOnly(2026, 11, 17));
        var clock = data.Clock();
        var county = data.Unit("城关区");
        var other = data.Unit("东湖区");
        var dept = data.Unit("市住建局", UnitKind.CityDepartment);

        // Overdue at the end of W46: registered long ago (first decision missed), handled past the reply deadline.
        var first = data.Petition("XF-001").ReceivedOn(new DateOnly(2026, 10, 9)).By("张三", IdNumber, Phone).Supervision(SupervisionLevel.Listed);
        data.Petition("XF-002").ReceivedOn(new DateOnly(2026, 10, 20)).By(FormulaName, null, "13800001111").HandledBy(other);
        data.Petition("XF-003").ReceivedOn(new DateOnly(2026, 8, 3)).InHandling(new DateOnly(2026, 8, 10)).HandledBy(dept);
        // Not overdue: recent, replied, closed.
        data.Petition("XF-004").ReceivedOn(new DateOnly(2026, 11, 10));
        data.Petition("XF-005").ReceivedOn(new DateOnly(2026, 9, 1)).InHandling(new DateOnly(2026, 9, 2)).Replied(new DateOnly(2026, 11, 11));
        data.Petition("XF-006").ReceivedOn(new DateOnly(2026, 10, 1)).Finished();
        // A repeat in W46 of XF-001.
        data.Petition("XF-007").ReceivedOn(new DateOnly(2026, 11, 12)).RepeatOf(first);
        data.Assign(first, data.Leader("-王五", "副市长")).AssignedOn(new DateOnly(2026, 10, 12)).Progress(new DateOnly(2026, 11, 13), "+约谈信访人，提出化解方案");
        await data.SaveAsync(db, TestContext.Current.CancellationToken);

        var calculator = new WeeklyStatisticsCalculator(TestRules.Deadlines(), Options.Create(new BacklogOptions()), Options.Create(new PetitionOptions()));
        var statisticsOptions = new StatisticsOptions { LeadershipWeights = new() { ["及时受理率"] = 0.5, ["按期答复率"] = 0.5 } };
        var reportOptions = new ReportOptions { Targets = new() { ["及时受理率"] = 0.95, ["按期答复率"] = 0.90 } };
        var statistics = new StatisticsService(db, calculator, Options.Create(statisticsOptions), Options.Create(reportOptions),
            TestScoring.Store(statisticsOptions, reportOptions, scoring), clock, TestUsers.Guard(Roles.Supervisor));
        var recomputer = new StatisticsRecomputer(db, calculator, Options.Create(new StatisticsOptions()), clock);
        if (compute)
        {
            await recomputer.RecomputeWeekAsync(W46.Previous, clock.GetUtcNow().UtcDateTime, TestContext.Current.CancellationToken);
            await recomputer.RecomputeWeekAsync(W46, clock.GetUtcNow().UtcDateTime, TestContext.Current.CancellationToken);
        }
        return new World
        {
            Db = db, Clock = clock, Statistics = statistics, Recomputer = recomputer, Data = data,
            Source = new SupervisionReportSource(db, statistics, calculator, TestRules.Deadlines(), PetitionDashboard.Tests.Support.TestPersonalData.Protector),
        };
    }

    [Fact]
    public async Task Report_HasTheFiveSheets_WithTitleRows_AndHeaders()
    {
        await using var w = await CreateAsync();
        var path = await w.ExportAsync(W46);
        using var wb = new XLWorkbook(path);

        Assert.Equal(["汇总", "单位排名", "包案进展", "超期清单", "重复信访"], wb.Worksheets.Select(s => s.Name));
        foreach (var ws in wb.Worksheets)
        {
            Assert.StartsWith("临川市信访局信访工作督办通报", ws.Cell(1, 1).GetString());
            Assert.Contains("统计周：2026-W46（2026年11月9日至2026年11月15日）", ws.Cell(2, 1).GetString());
            Assert.Contains("督查甲", ws.Cell(2, 1).GetString());
        }
        string[] Headers(string sheet) => [.. wb.Worksheet(sheet).Row(3).CellsUsed().Select(c => c.GetString())];
        Assert.Equal(["指标", "本周", "上周", "变化", "目标", "口径说明"], Headers("汇总"));
        // Every §8 figure per unit (初件 and 集体访人次 included, so a reader can check the units against 汇总), then the items
        // of the scheme in force (默认 with this test's weights 0.5 / 0.5: 50 points each), the score and the grade.
        Assert.Equal(["排名", "单位", "类型", "新增件次", "初件", "重件", "重复信访率", "集体访批次", "集体访人次", "及时受理率", "按期答复率", "参评率", "满意率", "在办数", "超期数", "包案数", "包案化解数", "包案化解率", "积案数", "积案化解率",
            "及时受理率达到95%得50分", "按期答复率达到90%得50分", "得分", "等级"], Headers("单位排名"));
        Assert.Equal(["包案领导", "职务", "责任单位", "责任人", "信访编号", "问题属地", "内容分类", "包案日期", "化解期限", "状态", "最新进展", "进展日期", "超期天数"], Headers("包案进展"));
        Assert.Equal(["序号", "信访编号", "信访人", "身份证号", "联系电话", "问题属地", "内容分类", "责任单位", "包案领导", "办理期限", "超期天数", "督办等级", "催办次数"], Headers("超期清单"));
        Assert.Equal(["序号", "首件信访编号", "信访人", "身份证号", "信访次数", "最近信访日期", "包案领导", "当前状态"], Headers("重复信访"));
    }

    [Fact]
    public async Task Figures_EqualTheStoredWeeklyStatistics_ForAllUnitsAndEachUnit()
    {
        await using var w = await CreateAsync();
        var stored = await w.Statistics.WeekAsync(W46, TestContext.Current.CancellationToken);
        var previous = (await w.Statistics.WeekAsync(W46.Previous, TestContext.Current.CancellationToken))!.All;
        var path = await w.ExportAsync(W46);
        using var wb = new XLWorkbook(path);

        var summary = wb.Worksheet("汇总");
        foreach (var (f, i) in StatisticFigures.All.Select((f, i) => (f, i)))
        {
            var row = 4 + i;
            Assert.Equal(f.Name, summary.Cell(row, 1).GetString());
            AssertFigure(stored!.All.Value(f.Figure), summary.Cell(row, 2), f.Name);
            AssertFigure(previous.Value(f.Figure), summary.Cell(row, 3), f.Name);
        }

        var ranking = wb.Worksheet("单位排名");
        var headers = ranking.Row(3).CellsUsed().ToDictionary(c => c.GetString(), c => c.Address.ColumnNumber);
        var unitRows = ranking.RowsUsed().Where(r => r.RowNumber() > 3).ToList();
        Assert.Equal(stored!.Units.Count, unitRows.Count);
        foreach (var unit in stored.Units)
        {
            var row = unitRows.Single(r => r.Cell(2).GetString() == unit.UnitName);
            Assert.Equal(unit.Kind!.Value.ToChinese(), row.Cell(3).GetString());
            foreach (var (name, col) in headers)
            {
                if (StatisticFigures.ByName(name) is { } figure) AssertFigure(unit.Stats.Value(figure.Figure), row.Cell(col), $"{unit.UnitName} {name}");
            }
        }
        // A reader can check the units against 汇总 (issue 14, item 5): every 汇总 figure is a column of 单位排名, and the unit
        // rows' petition counts add up to 汇总's (each petition counts for exactly one unit, §8).
        Assert.All(StatisticFigures.All, f => Assert.Contains(f.Name, headers.Keys));
        foreach (var name in new[] { "新增件次", "初件", "重件", "集体访批次", "集体访人次", "在办数", "超期数" })
        {
            var total = summary.Cell(4 + StatisticFigures.All.ToList().FindIndex(f => f.Name == name), 2).GetValue<double>();
            Assert.Equal(total, unitRows.Sum(r => r.Cell(headers[name]).GetValue<double>()));
        }
        Assert.True(unitRows.Sum(r => r.Cell(headers["新增件次"]).GetValue<double>()) > 0, "the week has petitions to add up");
        // Counties rank as one block, city departments as another.
        Assert.Equal(["县区", "县区", "市直部门"], unitRows.Select(r => r.Cell(3).GetString()));
        Assert.Equal([1, 2, 1], unitRows.Select(r => r.Cell(1).GetValue<int>()));
    }

    [Fact]
    public async Task APublishedWeeksRanking_KeepsTheSchemeItWasPublishedWith_AfterAnotherIsPutInForce()
    {
        var scoring = new ScoringOptions { Scheme = "达川式" };
        await using var w = await CreateAsync(scoring: scoring);
        await w.Statistics.PublishAsync(W46, TestContext.Current.CancellationToken);
        using (var before = new XLWorkbook(await w.ExportAsync(W46)))
        {
            var ranking = before.Worksheet("单位排名");
            Assert.Contains("按考核方案“达川式（第 1 版，满分 30）”", ranking.Cell(2, 1).GetString());
            scoring.Scheme = "默认";
            // The published week's sheet is the same after the change: title, and every unit's score and grade.
            using var after = new XLWorkbook(await w.ExportAsync(W46));
            var again = after.Worksheet("单位排名");
            Assert.Equal(ranking.Cell(2, 1).GetString(), again.Cell(2, 1).GetString());
            var lastColumn = ranking.Row(3).LastCellUsed().Address.ColumnNumber;
            foreach (var row in ranking.RowsUsed().Where(r => r.RowNumber() > 3))
                for (var c = 1; c <= lastColumn; c++)
                    Assert.Equal(row.Cell(c).GetString(), again.Cell(row.RowNumber(), c).GetString());
        }
        // An unpublished week is ranked by the scheme now in force.
        using var unpublished = new XLWorkbook(await w.ExportAsync(W46.Previous));
        Assert.Contains("按考核方案“默认（第 1 版，满分 100）”", unpublished.Worksheet("单位排名").Cell(2, 1).GetString());
    }

    private static void AssertFigure(double? expected, IXLCell cell, string what)
    {
        if (expected is not { } e)
        {
            Assert.True(cell.GetString() == "—", $"{what}：应为“—”，实为“{cell.GetString()}”");
            return;
        }
        Assert.True(Math.Abs(cell.GetValue<double>() - e) < 1e-9, $"{what}：应为 {e}，实为 {cell.GetString()}");
    }

    [Fact]
    public async Task OverdueList_IsExactlyThePetitionsCountedIn超期数_WithTheDeadlineThen_AndDaysToTheNextMonday()
    {
        await using var w = await CreateAsync();
        var stored = (await w.Statistics.WeekAsync(W46, TestContext.Current.CancellationToken))!.All;
        var list = await w.Statistics.ListAsync(new DrillDownQuery(W46, StatisticMeasure.Overdue), 0, 1000, ct: TestContext.Current.CancellationToken);
        var path = await w.ExportAsync(W46);
        using var wb = new XLWorkbook(path);
        var ws = wb.Worksheet("超期清单");
        var rows = ws.RowsUsed().Where(r => r.RowNumber() > 3).ToList();

        Assert.Equal(3, stored.Overdue);
        Assert.Equal(stored.Overdue, rows.Count);
        Assert.Equal(list.Rows.Select(r => r.CaseNumber).Order(), rows.Select(r => r.Cell(2).GetString()).Order());
        Assert.Equal([1, 2, 3], rows.Select(r => r.Cell(1).GetValue<int>()));
        Assert.Contains($"本周超期数 {stored.Overdue} 件", ws.Cell(2, 1).GetString());

        // XF-001: received 10-09, first decision due 10-24 (Sat) → moved to the next working day 10-26; 21 days to Mon 11-16.
        var deadlines = TestRules.Deadlines();
        var due = deadlines.FirstDecision(new DateOnly(2026, 10, 9)).Due;
        var row = rows.Single(r => r.Cell(2).GetString() == "XF-001");
        Assert.Equal(due.ToDateTime(TimeOnly.MinValue), row.Cell(10).GetDateTime());
        Assert.Equal(new DateOnly(2026, 11, 16).DayNumber - due.DayNumber, row.Cell(11).GetValue<int>());
        Assert.Equal(("挂牌督办", "-王五"), (row.Cell(12).GetString(), row.Cell(9).GetString()));
        // XF-003 waited on its reply (accepted 08-10 → 60 days).
        var handled = rows.Single(r => r.Cell(2).GetString() == "XF-003");
        Assert.Equal(deadlines.Reply(new DateOnly(2026, 8, 10), 0, false).Due.ToDateTime(TimeOnly.MinValue), handled.Cell(10).GetDateTime());
        Assert.Equal("yyyy-mm-dd", handled.Cell(10).Style.NumberFormat.Format);

        // 重复信访: the thread of XF-001 got its repeat XF-007 in W46.
        var repeats = wb.Worksheet("重复信访").RowsUsed().Where(r => r.RowNumber() > 3).ToList();
        var thread = Assert.Single(repeats);
        Assert.Equal(("XF-001", 2, "-王五"), (thread.Cell(2).GetString(), thread.Cell(5).GetValue<int>(), thread.Cell(7).GetString()));
    }

    [Fact]
    public async Task PersonalData_IsMasked_AndDataIsNeverAFormula()
    {
        await using var w = await CreateAsync();
        var path = await w.ExportAsync(W46);

        using (var wb = new XLWorkbook(path))
        {
            var texts = wb.Worksheets.SelectMany(ws => ws.CellsUsed()).Select(c => c.GetString()).ToList();
            Assert.DoesNotContain(texts, t => t.Contains(IdNumber) || t.Contains(Phone) || t.Contains("13800001111"));
            var overdue = wb.Worksheet("超期清单").RowsUsed().Where(r => r.RowNumber() > 3).ToList();
            var zhang = overdue.Single(r => r.Cell(2).GetString() == "XF-001");
            Assert.Equal(("361102********1236", "139****5678"), (zhang.Cell(4).GetString(), zhang.Cell(5).GetString()));

            var evil = overdue.Single(r => r.Cell(2).GetString() == "XF-002").Cell(3);
            Assert.Equal(FormulaName, evil.GetString());
            Assert.False(evil.HasFormula);
            Assert.Equal(XLDataType.Text, evil.DataType);
            var leader = wb.Worksheet("包案进展").Cell(4, 1);
            Assert.Equal(("-王五", false), (leader.GetString(), leader.HasFormula));
            Assert.Equal("+约谈信访人，提出化解方案", wb.Worksheet("包案进展").Cell(4, 11).GetString());
        }
        // No sheet of the package holds a single formula element.
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(entry.Open());
            var xml = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotMatch(@"<(\w+:)?f[\s>/]", xml);
        }
    }

    [Fact]
    public async Task EverySheet_IsFrozenFilteredAndPrintsA4Landscape_WithTheTitleAndHeaderRowsRepeated()
    {
        await using var w = await CreateAsync();
        var path = await w.ExportAsync(W46);
        using var wb = new XLWorkbook(path);
        foreach (var ws in wb.Worksheets)
        {
            Assert.Equal(3, ws.SheetView.SplitRow);
            Assert.Equal(XLPageOrientation.Landscape, ws.PageSetup.PageOrientation);
            Assert.Equal(XLPaperSize.A4Paper, ws.PageSetup.PaperSize);
            Assert.Equal((1, 3), (ws.PageSetup.FirstRowToRepeatAtTop, ws.PageSetup.LastRowToRepeatAtTop));
            var filter = ws.AutoFilter.Range.RangeAddress;
            Assert.Equal(3, filter.FirstAddress.RowNumber);
            Assert.Equal(Math.Max(3, ws.LastRowUsed()!.RowNumber()), filter.LastAddress.RowNumber);
            Assert.Equal(ws.Row(3).LastCellUsed()!.Address.ColumnNumber, filter.LastAddress.ColumnNumber);
            // Widths from the content: a column of Chinese headers is at least two units per character.
            foreach (var header in ws.Row(3).CellsUsed())
                Assert.True(ws.Column(header.Address.ColumnNumber).Width >= ExcelText.DisplayWidth(header.GetString()),
                    $"{ws.Name}·{header.GetString()} 列宽 {ws.Column(header.Address.ColumnNumber).Width}");
        }
        // The print titles in the form spreadsheet programs honour when printing (absolute rows), checked in the file itself.
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry("xl/workbook.xml")!.Open());
        var workbookXml = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        foreach (var sheet in new[] { "汇总", "单位排名", "包案进展", "超期清单", "重复信访" })
            Assert.Contains($">'{sheet}'!$1:$3<", workbookXml);
    }

    [Fact]
    public async Task EveryExport_IsRecorded_WhoWhichWeekWhen()
    {
        await using var w = await CreateAsync();
        File.Delete(await w.ExportAsync(W46));
        await using var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var entry = Assert.Single(await db.AuditEntries.Where(a => a.Action == "Export").ToListAsync(TestContext.Current.CancellationToken));
        Assert.Contains("督办通报 2026-W46", entry.Detail);
        Assert.Equal(w.Clock.GetUtcNow().UtcDateTime, entry.AtUtc);
    }

    [Fact]
    public async Task Export_IsRefused_ForAWeekWithoutStatistics_AndForRolesThatMayNotExport()
    {
        await using var w = await CreateAsync(compute: false);
        var ct = TestContext.Current.CancellationToken;
        var missing = await Assert.ThrowsAsync<ActionRefusedException>(() => w.Exporter().ExportAsync(W46, Stream.Null, null, ct));
        Assert.Contains("2026-W46 尚未统计", missing.Message);
        foreach (var role in new[] { Roles.Leader, Roles.DutyOfficer, Roles.SystemAdmin })
            await Refused.NotAllowedAsync(() => w.Exporter(role).ExportAsync(W46, Stream.Null, null, ct));
        await using var db = await w.Db.CreateDbContextAsync(ct);
        Assert.Empty(await db.AuditEntries.ToListAsync(ct));
    }
}

using System.IO.Compression;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Infrastructure.Files;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Reports;

/// <summary>
/// 督办单 of 2026-W47 (Mon 11-16 … Sun 11-22), generated on Monday 11-23 (docs/rules.md §13): one workbook per unit with
/// exactly its rows of the week's 超期清单, its 挂牌督办 cases and its 包案 past deadline; one 催办 per listed open petition
/// and week, however often the week is generated; every generation kept and downloadable again; Supervisors only.
/// </summary>
public class SupervisionNoticeTests : IAsyncLifetime
{
    private static readonly IsoWeek W47 = new(2026, 47);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _db = null!;
    private TestClock _clock = null!;
    private SupervisionReportSource _source = null!;
    private StatisticsService _statistics = null!;
    private readonly string _temp = Path.Combine(Path.GetTempPath(), $"pd-notices-{Guid.NewGuid():N}");

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(new AuditInterceptor(new AuditActorAccessor(), TimeProvider.System, TestPersonalData.Protector));
        var data = new TestData(new DateOnly(2026, 11, 23));
        _clock = data.Clock();
        var county = data.Unit("城关区");
        var other = data.Unit("东湖区");
        var dept = data.Unit("市住建局", UnitKind.CityDepartment);
        data.Unit("西湖区"); // nothing overdue: no 督办单
        // Overdue at the end of W47 (first decision missed, or reply deadline passed).
        var first = data.Petition("NT-001").ReceivedOn(new DateOnly(2026, 10, 9)).By("张三", "361102198001011236", "13912345678").HandledBy(county);
        data.Petition("NT-002").ReceivedOn(new DateOnly(2026, 10, 20)).HandledBy(county);
        data.Petition("NT-003").ReceivedOn(new DateOnly(2026, 8, 3)).InHandling(new DateOnly(2026, 8, 10)).HandledBy(other);
        // Not overdue: recent, or finished.
        data.Petition("NT-004").ReceivedOn(new DateOnly(2026, 11, 18)).HandledBy(county);
        data.Petition("NT-005").ReceivedOn(new DateOnly(2026, 9, 1)).Finished().HandledBy(other);
        // 挂牌督办 by hand though not overdue at the end of the week: listed in its own section.
        data.Petition("NT-006").ReceivedOn(new DateOnly(2026, 11, 20)).HandledBy(dept).Supervision(SupervisionLevel.Listed, raisedByHand: true);
        // A 包案 past its deadline (assigned 07-01, 90 days).
        data.Assign(first, data.Leader("王五", "副市长")).AssignedOn(new DateOnly(2026, 7, 1));
        await data.SaveAsync(_db, Ct);

        var calculator = new WeeklyStatisticsCalculator(TestRules.Deadlines(), Options.Create(new BacklogOptions()), Options.Create(new PetitionOptions()));
        var (statisticsOptions, reportOptions) = (new StatisticsOptions(), new ReportOptions());
        _statistics = new StatisticsService(_db, calculator, Options.Create(statisticsOptions), Options.Create(reportOptions),
            TestScoring.Store(statisticsOptions, reportOptions), _clock, TestUsers.Guard(Roles.Supervisor));
        _source = new SupervisionReportSource(_db, _statistics, calculator, TestRules.Deadlines(), TestPersonalData.Protector);
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        if (Directory.Exists(_temp)) Directory.Delete(_temp, recursive: true);
    }

    private SupervisionNoticeService Service(string role = Roles.Supervisor)
    {
        var temps = new PrivateTempFiles(Options.Create(new TempFileOptions { Folder = _temp }), NullLogger<PrivateTempFiles>.Instance);
        var guard = new AccessGuard(FixedCurrentUser.For("督查甲", [role]));
        return new SupervisionNoticeService(_db, _source, new PreparedDownloads(_db, _clock, temps, PetitionDashboard.Tests.Support.TestPersonalData.Protector, NullLogger<PreparedDownloads>.Instance), guard,
            new AuditLog(_db, new AuditActorAccessor(), _clock), _clock, TestRules.Deadlines(),
            Options.Create(new BureauOptions { Name = "临川市信访局" }), Options.Create(new NoticeOptions()));
    }

    private async Task<Dictionary<string, XLWorkbook>> ZipAsync(int documentId)
    {
        using var zip = new MemoryStream();
        await Service().WriteZipAsync(documentId, zip, Ct);
        zip.Position = 0;
        return Workbooks(zip);
    }

    /// <summary>The workbooks of a 督办单 .zip by entry name.</summary>
    internal static Dictionary<string, XLWorkbook> Workbooks(Stream zip)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        var result = new Dictionary<string, XLWorkbook>();
        foreach (var entry in archive.Entries)
        {
            var copy = new MemoryStream();
            using (var s = entry.Open()) s.CopyTo(copy);
            copy.Position = 0;
            result[entry.Name] = new XLWorkbook(copy);
        }
        return result;
    }

    /// <summary>The 信访编号 column of a section's rows.</summary>
    internal static List<string> Section(XLWorkbook wb, string section, int column = 2)
    {
        var ws = wb.Worksheet(SupervisionNoticeWriter.SheetName);
        var title = ws.RowsUsed().First(r => r.Cell(1).GetString().StartsWith(section, StringComparison.Ordinal)).RowNumber();
        var numbers = new List<string>();
        for (var row = title + 2; ws.Cell(row, 1).DataType == XLDataType.Number; row++) numbers.Add(ws.Cell(row, column).GetString());
        return numbers;
    }

    private async Task<(int Reminders, int Events)> RemindersOf(string caseNumber)
    {
        await using var db = _db.CreateDbContext();
        var p = await db.Petitions.SingleAsync(x => x.CaseNumber == caseNumber, Ct);
        return (p.RemindersSent, await db.PetitionEvents.CountAsync(e => e.PetitionId == p.Id && e.Kind == PetitionEventKind.Reminder, Ct));
    }

    [Fact]
    public async Task EachUnitsWorkbook_ListsExactlyItsRowsOfTheWeeksOverdueList_ItsListedCases_AndItsOverdueAssignments()
    {
        var report = new List<ReportOverdueRow>();
        await foreach (var r in _source.OverdueAsync(W47, Ct)) report.Add(r);
        Assert.Equal(["NT-001", "NT-002", "NT-003"], report.Select(r => r.CaseNumber).Order());

        var done = await Service().GenerateAsync(W47, ct: Ct);
        Assert.Equal(3, done.Units);

        var books = await ZipAsync(done.DocumentId);
        Assert.Equal(["督办单-2026-W47-东湖区.xlsx", "督办单-2026-W47-城关区.xlsx", "督办单-2026-W47-市住建局.xlsx"], books.Keys.Order(StringComparer.Ordinal));
        foreach (var unit in new[] { "城关区", "东湖区", "市住建局" })
        {
            var wb = books[$"督办单-2026-W47-{unit}.xlsx"];
            Assert.Equal(report.Where(r => r.Unit == unit).Select(r => r.CaseNumber), Section(wb, SupervisionNoticeWriter.OverdueSection));
            var ws = wb.Worksheet(SupervisionNoticeWriter.SheetName);
            Assert.Equal("临川市信访局督办单", ws.Cell(1, 1).GetString());
            Assert.Contains($"致：{unit}　统计周：2026-W47", ws.Cell(2, 1).GetString());
            // Three working days from the day after Monday 11-23.
            Assert.Contains("请于 2026年11月26日 前", ws.Cell(3, 1).GetString());
            Assert.Equal((XLPaperSize.A4Paper, XLPageOrientation.Landscape), (ws.PageSetup.PaperSize, ws.PageSetup.PageOrientation));
        }
        Assert.Equal(["NT-006"], Section(books["督办单-2026-W47-市住建局.xlsx"], SupervisionNoticeWriter.ListedSection));
        Assert.Equal(["NT-001"], Section(books["督办单-2026-W47-城关区.xlsx"], SupervisionNoticeWriter.AssignmentSection));
        Assert.Empty(Section(books["督办单-2026-W47-东湖区.xlsx"], SupervisionNoticeWriter.AssignmentSection));
        // Personal numbers are masked as in the 通报.
        var row = books["督办单-2026-W47-城关区.xlsx"].Worksheet(1).RowsUsed().First(r => r.Cell(2).GetString() == "NT-001");
        Assert.Equal(("361102********1236", "139****5678"), (row.Cell(4).GetString(), row.Cell(5).GetString()));
    }

    [Fact]
    public async Task RegeneratingTheWeek_AddsNoSecondReminder_ButKeepsBothGenerations()
    {
        var first = await Service().GenerateAsync(W47, ct: Ct);
        Assert.Equal(4, first.RemindersAdded); // NT-001, NT-002, NT-003 (overdue) and NT-006 (挂牌督办); open and listed
        foreach (var n in new[] { "NT-001", "NT-002", "NT-003", "NT-006" }) Assert.Equal((1, 1), await RemindersOf(n));
        Assert.Equal((0, 0), await RemindersOf("NT-004"));

        _clock.Now = _clock.Now.AddHours(3);
        var second = await Service().GenerateAsync(W47, ct: Ct);
        Assert.Equal((0, 4), (second.RemindersAdded, second.AlreadyReminded));
        foreach (var n in new[] { "NT-001", "NT-002", "NT-003", "NT-006" }) Assert.Equal((1, 1), await RemindersOf(n));

        await using var db = _db.CreateDbContext();
        var kept = await db.GeneratedDocuments.OrderBy(d => d.Id).Select(d => new { d.Kind, d.WeekMonday, d.GeneratedBy, d.UnitCount, d.RemindersAdded }).ToListAsync(Ct);
        Assert.Equal(2, kept.Count);
        Assert.All(kept, k => Assert.Equal((GeneratedDocumentKind.SupervisionNotices, W47.Monday, "督查甲", 3), (k.Kind, k.WeekMonday, k.GeneratedBy, k.UnitCount)));
        Assert.Equal([4, 0], kept.Select(k => k.RemindersAdded ?? -1));
        // Both generations' files are kept past the prepared-download lifetime and still download.
        _clock.Now = _clock.Now.Add(PreparedDownloads.Lifetime * 3);
        var temps = new PrivateTempFiles(Options.Create(new TempFileOptions { Folder = _temp }), NullLogger<PrivateTempFiles>.Instance);
        await new PreparedDownloads(_db, _clock, temps, PetitionDashboard.Tests.Support.TestPersonalData.Protector, NullLogger<PreparedDownloads>.Instance).SweepAsync(Ct);
        Assert.Equal(3, (await ZipAsync(first.DocumentId)).Count);
        Assert.Equal(3, (await ZipAsync(second.DocumentId)).Count);
        Assert.Contains(await db.AuditEntries.Where(a => a.Action == "Export").Select(a => a.Detail).ToListAsync(Ct), d => d!.StartsWith("督办单 2026-W47（3 个单位，新增催办 4 件）"));
    }

    [Fact]
    public async Task OnlySupervisorsGenerate_AndAWeekWithNothingOverdueIsRefusedWithAReason()
    {
        foreach (var role in new[] { Roles.Leader, Roles.DutyOfficer, Roles.SystemAdmin, Roles.SecurityAdmin, Roles.AuditAdmin })
            Assert.Equal(RefusalKind.NotAllowed, (await Assert.ThrowsAsync<ActionRefusedException>(() => Service(role).GenerateAsync(W47, ct: Ct))).Kind);
        var empty = await Assert.ThrowsAsync<ActionRefusedException>(() => Service().GenerateAsync(new IsoWeek(2026, 20), ct: Ct));
        Assert.Contains("2026-W20 没有超期信访件", empty.Message);
        await using var db = _db.CreateDbContext();
        Assert.False(await db.NoticeReminders.AnyAsync(Ct));
        Assert.False(await db.GeneratedDocuments.AnyAsync(Ct));
    }

    [Fact]
    public async Task ChosenUnits_GetTheirOwnNoticesOnly_OthersNoReminder_AndTheRestOfTheWeekStillGetsItsOnce()
    {
        var service = Service();
        var ids = await service.UnitIdsAsync(["城关区", "西湖区"], Ct);
        var partial = await service.GenerateAsync(W47, ids, Ct);
        // 西湖区 has nothing to list: only 城关区 gets a 督办单, and only its open listed petitions a 催办.
        Assert.Equal((1, 2), (partial.Units, partial.RemindersAdded));
        Assert.Equal(["督办单-2026-W47-城关区.xlsx"], (await ZipAsync(partial.DocumentId)).Keys);
        foreach (var n in new[] { "NT-001", "NT-002" }) Assert.Equal((1, 1), await RemindersOf(n));
        foreach (var n in new[] { "NT-003", "NT-006" }) Assert.Equal((0, 0), await RemindersOf(n));

        // A later generation for all units: 城关区's petitions were reminded this week already, the others now.
        var all = await service.GenerateAsync(W47, ct: Ct);
        Assert.Equal((3, 2, 2), (all.Units, all.RemindersAdded, all.AlreadyReminded));
        foreach (var n in new[] { "NT-001", "NT-002", "NT-003", "NT-006" }) Assert.Equal((1, 1), await RemindersOf(n));

        var west = await service.UnitIdsAsync(["西湖区"], Ct);
        var nothing = await Assert.ThrowsAsync<ActionRefusedException>(() => service.GenerateAsync(W47, west, Ct));
        Assert.Contains("所选单位（西湖区）2026-W47 没有超期信访件", nothing.Message);
        var unknown = await Assert.ThrowsAsync<ActionRefusedException>(() => service.UnitIdsAsync(["南山区"], Ct));
        Assert.Contains("没有名为“南山区”的单位", unknown.Message);
    }
}

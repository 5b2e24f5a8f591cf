using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Reports;

/// <summary>
/// One report week worked out by hand (issue 17): every 汇总 figure of 2026-W46 (Mon 11-09 … Sun 11-15) and W45 (11-02 …
/// 11-08), the 变化 column, the below-target highlighting, a Sunday deadline 1 day overdue, 包案进展's columns, 催办次数 and
/// the township block of 单位排名 (every figure, the items, the score, the grade and the rank within the townships).
/// The expected values are written down from the dates below, not taken from the calculator or the stored statistics.
/// The calendar is made here: weekends only, except that Sunday 2026-11-15 is a make-up working day; 2027 is not loaded.
/// </summary>
public class HandWorkedReportWeekTests
{
    private static readonly IsoWeek W46 = new(2026, 46);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /*  The petitions (first-decision limit 15 days, reply 60 days, 包案 90 days; a last day on a rest day moves on):
        HW-01 城关区 received Sat 10-31, never decided → first decision due 10-31+15 = Sun 11-15 (a make-up working day):
              open and overdue at the end of W46, 1 day overdue on Mon 11-16; 催办 twice. 包案 王五 from 11-03, due
              11-03+90 = 2027-02-01 (2027 has no calendar: 待节假日安排).
        HW-02 城关区 received Mon 10-26, accepted Wed 10-28 → first decision due Tue 11-10 (in W46), met; reply due
              10-28+60 = Sun 12-27 → Mon 12-28.
        HW-03 市住建局 received 09-01, accepted 09-02 → reply due 09-02+60 = Sun 11-01 → Mon 11-02 (in W45), replied Thu
              11-12 (late, in W46), evaluated 满意. Its thread is in 集中交办 batch 1 (积案). 包案 李四 from 10-20, resolved 11-11.
        HW-04 城关区 received Tue 11-10, a visit by 6 people (集体访).
        HW-05 城关区 received Thu 11-12, a repeat of HW-02.
        HW-06 城关区 received Wed 11-04, accepted 11-05, replied and closed 11-06, not evaluated.
        HW-07 城关镇 (乡镇) received Mon 10-26, accepted Fri 10-30 → first decision due Tue 11-10 (in W46), met; reply due
              10-30+60 = Tue 12-29; open (办理中) at the end of W45 and W46.
        HW-08 河西镇 (乡镇) received Tue 10-27, filed (存档备查) Fri 11-13 → first decision due Wed 11-11 (in W46), missed;
              open (登记) at the end of W45, not overdue then (due 11-11 > 11-08); finished at the end of W46.
        柳林镇 (乡镇) has no petition.
        Scheme 默认 with weights 0.5 / 0.5: 及时受理率 ≥ 95 % earns 50, 按期答复率 ≥ 90 % earns 50; an item with no rate ("—") is
        left out and the rest scaled to 100; grades A ≥ 90 %, B ≥ 80 %, C ≥ 70 %, else D.  */
    private static async Task<(TestDatabase Db, string Path)> ExportAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var calendar = new WorkingCalendar([new HolidayYear(2026, "手算用日历", [], [new DateOnly(2026, 11, 15)])]);
        var deadlines = new DeadlineCalculator(calendar, new DeadlineOptions());
        var data = new TestData(new DateOnly(2026, 11, 17), deadlines);
        var county = data.Unit("城关区");
        var dept = data.Unit("市住建局", UnitKind.CityDepartment);
        var town = data.Unit("城关镇", UnitKind.Township);
        var river = data.Unit("河西镇", UnitKind.Township);
        data.Unit("柳林镇", UnitKind.Township);
        var a = data.Petition("HW-01").ReceivedOn(new(2026, 10, 31)).HandledBy(county).About("城乡建设", "城关区").By("张三");
        var b = data.Petition("HW-02").ReceivedOn(new(2026, 10, 26)).InHandling(new DateOnly(2026, 10, 28)).HandledBy(county);
        var c = data.Petition("HW-03").ReceivedOn(new(2026, 9, 1)).InHandling(new DateOnly(2026, 9, 2)).Replied(new(2026, 11, 12))
            .HandledBy(dept).About("劳动社保", "东湖区").InBacklogBatch(1);
        data.Petition("HW-04").ReceivedOn(new(2026, 11, 10)).Form(PetitionForm.Visit).People(6).HandledBy(county);
        data.Petition("HW-05").ReceivedOn(new(2026, 11, 12)).RepeatOf(b).HandledBy(county);
        data.Petition("HW-06").ReceivedOn(new(2026, 11, 4)).Finished().HandledBy(county);
        data.Petition("HW-07").ReceivedOn(new(2026, 10, 26)).InHandling(new DateOnly(2026, 10, 30)).HandledBy(town);
        data.Petition("HW-08").ReceivedOn(new(2026, 10, 27)).Step(PetitionState.Filed, new DateOnly(2026, 11, 13)).HandledBy(river);
        data.Assign(a, data.Leader("王五", "副市长")).AssignedOn(new(2026, 11, 3)).LeadUnit(county).Responsible("钱七")
            .Progress(new DateOnly(2026, 11, 13), "约谈信访人");
        data.Assign(c, data.Leader("李四", "副市长")).AssignedOn(new(2026, 10, 20)).LeadUnit(dept).Responsible("赵六")
            .Resolved(new DateOnly(2026, 11, 11));
        await data.SaveAsync(db, Ct);
        await using (var ctx = db.CreateDbContext())
        {
            await ctx.Petitions.Where(p => p.CaseNumber == "HW-01").ExecuteUpdateAsync(s => s.SetProperty(p => p.RemindersSent, 2), Ct);
            await ctx.Petitions.Where(p => p.CaseNumber == "HW-03").ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Evaluation, Evaluation.Satisfied).SetProperty(p => p.EvaluatedOn, new DateOnly(2026, 11, 13)), Ct);
        }

        var clock = data.Clock();
        var calculator = new WeeklyStatisticsCalculator(deadlines, Options.Create(new BacklogOptions()), Options.Create(new PetitionOptions()));
        var statisticsOptions = new StatisticsOptions { LeadershipWeights = new() { ["及时受理率"] = 0.5, ["按期答复率"] = 0.5 } };
        var reportOptions = new ReportOptions { Targets = new() { ["及时受理率"] = 0.95, ["按期答复率"] = 0.90 } };
        var statistics = new StatisticsService(db, calculator, Options.Create(statisticsOptions), Options.Create(reportOptions),
            TestScoring.Store(statisticsOptions, reportOptions), clock, TestUsers.Guard(Roles.Supervisor));
        var recomputer = new StatisticsRecomputer(db, calculator, Options.Create(new StatisticsOptions()), clock);
        await recomputer.RecomputeWeekAsync(W46.Previous, clock.GetUtcNow().UtcDateTime, Ct);
        await recomputer.RecomputeWeekAsync(W46, clock.GetUtcNow().UtcDateTime, Ct);
        var exporter = new SupervisionReportExporter(new SupervisionReportSource(db, statistics, calculator, deadlines, TestPersonalData.Protector), statistics,
            new AccessGuard(FixedCurrentUser.For("督查甲", [Roles.Supervisor])), new AuditLog(db, new AuditActorAccessor(), clock), clock,
            Options.Create(new BureauOptions { Name = "临川市信访局" }));
        var path = Path.Combine(Path.GetTempPath(), $"pd-handworked-{Guid.NewGuid():N}.xlsx");
        await using (var file = File.Create(path)) await exporter.ExportAsync(W46, file, null, Ct);
        return (db, path);
    }

    [Fact]
    public async Task W46_ByHand_EveryFigure_TheChange_TheHighlighting_TheAssignments_AndTheOverdueList()
    {
        var (db, path) = await ExportAsync();
        try
        {
            using var wb = new XLWorkbook(path);

            // 汇总: name, this week, last week, change ("—" where a side has no value; a rate changes in percentage points).
            var summary = wb.Worksheet("汇总");
            var expected = new (string Name, string Now, string Before, string Change)[]
            {
                ("新增件次", "2", "1", "1"),               // HW-04, HW-05 | HW-06
                ("初件", "1", "1", "0"),                    // HW-04 | HW-06
                ("重件", "1", "0", "1"),                   // HW-05
                ("重复信访率", "0.5", "0", "50"),
                ("集体访批次", "1", "0", "1"),             // HW-04: a visit by 6 ≥ 5
                ("集体访人次", "6", "0", "6"),
                ("及时受理率", "0.5", "—", "—"),          // due in W46: HW-02 met (10-28 ≤ 11-10), HW-07 met (10-30 ≤ 11-10),
                                                            // HW-01 missed, HW-08 missed (11-13 > 11-11): 2 / 4; none in W45
                ("按期答复率", "—", "0", "—"),           // due in W45: HW-03 (11-02), replied 11-12; none in W46
                ("参评率", "1", "0", "100"), // replied in W46: HW-03 evaluated | in W45: HW-06 not
                ("满意率", "1", "—", "—"),
                ("在办数", "5", "5", "0"),                 // HW-01, 02, 04, 05, 07 | HW-01, 02, 03, 07, 08
                ("超期数", "1", "1", "0"),                  // HW-01 (due Sun 11-15) | HW-03 (reply due 11-02)
                ("包案数", "2", "2", "0"),
                ("包案化解数", "1", "0", "1"),             // 李四's resolved 11-11
                ("包案化解率", "0.5", "0", "50"),
                ("积案数", "1", "1", "0"),                  // the thread of HW-03 (batch 1)
                ("积案化解率", "1", "0", "100"), // HW-03 no longer open at W46's end
            };
            for (var i = 0; i < expected.Length; i++)
            {
                var row = 4 + i;
                var e = expected[i];
                Assert.Equal((e.Name, e.Now, e.Before, e.Change),
                    (summary.Cell(row, 1).GetString(), summary.Cell(row, 2).GetString(), summary.Cell(row, 3).GetString(),
                        summary.Cell(row, 4).GetString()));
            }
            // Rates show as "50.0%"; the change is signed: "+1", "+50.0个百分点".
            Assert.Equal(("#,##0", "0.0%"), (summary.Cell(4, 2).Style.NumberFormat.Format, summary.Cell(7, 2).Style.NumberFormat.Format));
            Assert.Equal("+#,##0;-#,##0;0", summary.Cell(4, 4).Style.NumberFormat.Format);
            Assert.Equal("+0.0\"个百分点\";-0.0\"个百分点\";0.0\"个百分点\"", summary.Cell(7, 4).Style.NumberFormat.Format);
            // Below the §8 figures, the three §11 领导接访 counts (none this week nor the week before).
            foreach (var (f, k) in ReceptionFigures.All.Select((f, k) => (f, k)))
                Assert.Equal((f.Name, "0", "0", "0"), (summary.Cell(expected.Length + 4 + k, 1).GetString(), summary.Cell(expected.Length + 4 + k, 2).GetString(),
                    summary.Cell(expected.Length + 4 + k, 3).GetString(), summary.Cell(expected.Length + 4 + k, 4).GetString()));
            Assert.Equal(expected.Length + 3 + ReceptionFigures.All.Count, summary.LastRowUsed()!.RowNumber());
            // 50 % against a 95 % target is below it (and below the 5-point amber band): red; no value, no colour.
            var timely = summary.Cell(10, 2);
            Assert.Equal((XLColor.FromHtml("#F8CBAD"), true), (timely.Style.Fill.BackgroundColor, timely.Style.Font.Bold));
            Assert.Equal(0.95, summary.Cell(10, 5).GetDouble());
            // 按期答复率 has no value this week; 参评率 has no target: neither red nor amber.
            XLColor[] marked = [XLColor.FromHtml("#F8CBAD"), XLColor.FromHtml("#FFE699")];
            Assert.DoesNotContain(summary.Cell(11, 2).Style.Fill.BackgroundColor, marked);
            Assert.DoesNotContain(summary.Cell(12, 2).Style.Fill.BackgroundColor, marked);

            // 包案进展: by leader, every column.
            var assignments = wb.Worksheet("包案进展");
            static string Text(IXLCell cell) =>
                cell.DataType == XLDataType.DateTime ? cell.GetDateTime().ToString("yyyy-MM-dd") : cell.GetString();
            string[] Row(IXLWorksheet ws, int row, int columns) => [.. Enumerable.Range(1, columns).Select(col => Text(ws.Cell(row, col)))];
            Assert.Equal(["李四", "副市长", "市住建局", "赵六", "HW-03", "东湖区", "劳动社保", "2026-10-20", "2027-01-18", "已化解", "", "", ""],
                Row(assignments, 4, 13));
            Assert.Equal(["王五", "副市长", "城关区", "钱七", "HW-01", "城关区", "城乡建设", "2026-11-03", "2027-02-01", "在办",
                "约谈信访人", "2026-11-13", ""], Row(assignments, 5, 13));
            // Still a date, shown with its mark: 2027's holidays are not loaded; a resolved 包案's deadline is not marked.
            Assert.Equal("yyyy-mm-dd\"（待节假日安排）\"", assignments.Cell(5, 9).Style.NumberFormat.Format);
            Assert.Equal("yyyy-mm-dd", assignments.Cell(4, 9).Style.NumberFormat.Format);
            Assert.Equal(5, assignments.LastRowUsed()!.RowNumber());

            // 单位排名: county, city department and township blocks, each ranked on its own; the township block by hand:
            // 城关镇 (HW-07) 及时受理率 1/1 met → 50 of the 50 judged → 100, A; 河西镇 (HW-08) 0/1 → 0, D; 柳林镇 nothing → "—", last.
            var ranking = wb.Worksheet("单位排名");
            Assert.Equal(["县区", "市直部门", "乡镇街道", "乡镇街道", "乡镇街道"], Enumerable.Range(4, 5).Select(r => ranking.Cell(r, 3).GetString()));
            //               排名  单位      类型       新增 初件 重件 重复率 批次 人次 及时  按期 参评 满意 在办 超期 包案 化解 化解率 积案 积案化解率 item1 item2 得分  等级
            Assert.Equal(["1", "城关镇", "乡镇街道", "0", "0", "0", "—", "0", "0", "1", "—", "—", "—", "1", "0", "0", "0", "—", "0", "—", "100", "—", "100", "A"],
                Row(ranking, 6, 24));
            Assert.Equal(["2", "河西镇", "乡镇街道", "0", "0", "0", "—", "0", "0", "0", "—", "—", "—", "0", "0", "0", "0", "—", "0", "—", "0", "—", "0", "D"],
                Row(ranking, 7, 24));
            Assert.Equal(["3", "柳林镇", "乡镇街道", "0", "0", "0", "—", "0", "0", "—", "—", "—", "—", "0", "0", "0", "0", "—", "0", "—", "—", "—", "—", "—"],
                Row(ranking, 8, 24));
            Assert.Equal(8, ranking.LastRowUsed()!.RowNumber());
            // 河西镇's 0 % is below the 95 % target: red, and its rank/name/type cells are marked; 城关镇's 100 % is not.
            Assert.Equal(XLColor.FromHtml("#F8CBAD"), ranking.Cell(7, 10).Style.Fill.BackgroundColor);
            Assert.DoesNotContain(ranking.Cell(6, 10).Style.Fill.BackgroundColor, marked);
            var missedRow = XLColor.FromHtml("#FCE4D6");
            Assert.Equal(missedRow, ranking.Cell(7, 2).Style.Fill.BackgroundColor);
            Assert.NotEqual(missedRow, ranking.Cell(6, 2).Style.Fill.BackgroundColor);
            Assert.NotEqual(missedRow, ranking.Cell(8, 2).Style.Fill.BackgroundColor);    // no rate at all: nothing missed

            // 超期清单: exactly the 超期数; a deadline on Sunday is 1 day overdue on Monday; reminders sent.
            var overdue = wb.Worksheet("超期清单");
            Assert.Equal(["1", "HW-01", "张三", "", "", "城关区", "城乡建设", "城关区", "王五", "2026-11-15", "1", "", "2"], Row(overdue, 4, 13));
            Assert.Equal(4, overdue.LastRowUsed()!.RowNumber());
        }
        finally
        {
            await db.DisposeAsync();
            File.Delete(path);
        }
    }
}

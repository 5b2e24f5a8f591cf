using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Backlog;

/// <summary>Filters, sorts, pages and KPI counts of the backlog, against a real SQLite database.</summary>
public class BacklogServiceTests : IAsyncLifetime
{
    // Monday 23 November 2026, 09:00 in Shanghai; WarnDays = 5.
    private static readonly DateOnly Today = new(2026, 11, 23);
    private TestDatabase _db = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task<BacklogService> ServiceAsync(TestData data)
    {
        await data.SaveAsync(_db, Ct);
        return new BacklogService(_db, data.Deadlines, data.Clock(), TestUsers.Leader);
    }

    private static async Task<string[]> CaseNumbers(BacklogService s, BacklogFilter f, BacklogSort? sort = null, int pageSize = 100)
    {
        var page = await s.QueryAsync(f, sort ?? BacklogSort.MostOverdueFirst, 0, pageSize, Ct);
        Assert.Equal(page.Total, page.Rows.Count);
        return page.Rows.Select(r => r.CaseNumber).ToArray();
    }

    private static string[] Sorted(params string[] cases) => cases.Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task DeadlineStatus_SplitsOpenPetitionsAtTodayAndTodayPlusWarnDays()
    {
        var data = new TestData(Today);
        data.Petition("OVER-1").InHandling(70).OverdueBy(1);
        data.Petition("SOON-0").InHandling(50).DueInDays(0);
        data.Petition("SOON-5").InHandling(50).DueInDays(5);
        data.Petition("NORM-6").InHandling(50).DueInDays(6);
        data.Petition("CLOSED").ReceivedDaysAgo(200).Finished();
        var s = await ServiceAsync(data);

        Assert.Equal(["OVER-1"], await CaseNumbers(s, new() { Deadline = DeadlineStatus.Overdue }));
        Assert.Equal(["SOON-0", "SOON-5"], await CaseNumbers(s, new() { Deadline = DeadlineStatus.DueSoon }));
        Assert.Equal(["NORM-6"], await CaseNumbers(s, new() { Deadline = DeadlineStatus.Normal }));
        // Deadline status exists only for open petitions, even when the scope is "all".
        Assert.Equal(["OVER-1"], await CaseNumbers(s, new() { Scope = BacklogScope.All, Deadline = DeadlineStatus.Overdue }));

        var rows = (await s.QueryAsync(BacklogFilter.Default, BacklogSort.MostOverdueFirst, 0, 20, Ct)).Rows;
        Assert.Equal(["超期 1 天", "今日到期", "剩 5 天", "剩 6 天"], rows.Select(r => r.DeadlineText));
        Assert.Equal([DeadlineStatus.Overdue, DeadlineStatus.DueSoon, DeadlineStatus.DueSoon, DeadlineStatus.Normal], rows.Select(r => r.DeadlineStatus!.Value));
    }

    [Fact]
    public async Task HighRisk_FiltersSortsAndCountsFromTheScoreTable_WithUnscoredRowsLast()
    {
        var data = new TestData(Today);
        data.Petition("RISK-HI").InHandling(20).DueInDays(30);
        data.Petition("RISK-LO").InHandling(20).DueInDays(20);
        data.Petition("RISK-MID").InHandling(20).DueInDays(25);
        data.Petition("NO-SCORE").InHandling(20).DueInDays(10);
        // Scored high while open, finished since: neither the open grid nor the card counts it.
        data.Petition("RISK-HI-DONE").ReceivedOn(Today.AddDays(-40)).Finished();
        var s = await ServiceAsync(data);
        await using (var db = _db.CreateDbContext())
        {
            var model = new RiskModel { TrainedBy = "测试", Deployed = true, HighThreshold = 0.3, TrainedAtUtc = new DateTime(2026, 11, 22, 19, 0, 0, DateTimeKind.Utc) };
            db.RiskModels.Add(model);
            await db.SaveChangesAsync(Ct);
            var ids = db.Petitions.ToDictionary(p => p.CaseNumber, p => p.Id);
            db.RiskScores.AddRange(
                new RiskScore { PetitionId = ids["RISK-HI"], Score = 0.42, High = true, ModelId = model.Id },
                new RiskScore { PetitionId = ids["RISK-MID"], Score = 0.2, ModelId = model.Id },
                new RiskScore { PetitionId = ids["RISK-LO"], Score = 0.05, ModelId = model.Id },
                new RiskScore { PetitionId = ids["RISK-HI-DONE"], Score = 0.5, High = true, ModelId = model.Id });
            await db.SaveChangesAsync(Ct);
        }

        var high = new BacklogFilter { HighRisk = true };
        Assert.Equal(["RISK-HI"], await CaseNumbers(s, high));
        Assert.Equal(["RISK-HI", "RISK-HI-DONE"], await CaseNumbers(s, high with { Scope = BacklogScope.All }));
        Assert.Equal(high, BacklogFilter.FromQuery(new Dictionary<string, string?> { ["risk"] = "high" }));
        Assert.Equal("/?risk=high", high.ToUrl());
        Assert.Equal(["RISK-HI", "RISK-MID", "RISK-LO", "NO-SCORE"],
            await CaseNumbers(s, BacklogFilter.Default, BacklogSort.FromColumn(nameof(BacklogRow.RiskScore), true)));
        Assert.Equal(["RISK-LO", "RISK-MID", "RISK-HI", "NO-SCORE"],
            await CaseNumbers(s, BacklogFilter.Default, BacklogSort.FromColumn(nameof(BacklogRow.RiskScore), false)));
        var rows = (await s.QueryAsync(BacklogFilter.Default, BacklogSort.MostOverdueFirst, 0, 20, Ct)).Rows.ToDictionary(r => r.CaseNumber);
        Assert.Equal(0.42, rows["RISK-HI"].RiskScore);
        Assert.True(rows["RISK-HI"].RiskHigh);
        Assert.Null(rows["NO-SCORE"].RiskScore);

        var card = (await s.KpisAsync(Ct))["highrisk"];
        Assert.Equal(1, card.Count);
        Assert.Equal(high, card.Filter);
        Assert.Contains("前 10%", card.Note);
    }

    [Fact]
    public async Task ADeadlineInAYearWithoutAHolidayArrangement_IsMarkedProvisional()
    {
        // The calendar is made here with one year only, so the test holds whichever years ship with the app.
        var calendar = new WorkingCalendar([new HolidayYear(2031, "测试", [], [])]);
        var data = new TestData(new DateOnly(2031, 12, 20), new DeadlineCalculator(calendar, new DeadlineOptions()));
        data.Petition("IN-2031").InHandling(new DateOnly(2031, 12, 1)).DueOn(new DateOnly(2031, 12, 31));
        data.Petition("IN-2032").InHandling(new DateOnly(2031, 12, 2)).DueOn(new DateOnly(2032, 1, 5));
        data.Petition("CLOSED").ReceivedOn(new DateOnly(2031, 12, 3)).Finished();
        var s = await ServiceAsync(data);

        var rows = (await s.QueryAsync(BacklogFilter.Default with { Scope = BacklogScope.All }, BacklogSort.MostOverdueFirst, 0, 20, Ct)).Rows;
        Assert.Equal([("IN-2031", false), ("IN-2032", true), ("CLOSED", false)],
            rows.OrderBy(r => r.CaseNumber == "CLOSED").ThenBy(r => r.CaseNumber).Select(r => (r.CaseNumber, r.DueIsProvisional)));
    }

    [Fact]
    public async Task AgeBuckets_CountOpenPetitionsByCalendarDaysSinceReceipt_AtEveryBoundary()
    {
        var data = new TestData(Today);
        foreach (var age in new[] { 0, 15, 16, 60, 61, 90, 91, 180, 181, 400 })
            data.Petition($"AGE-{age:D3}").ReceivedDaysAgo(age);
        data.Petition("OLD-CLOSED").ReceivedDaysAgo(300).Finished();
        var s = await ServiceAsync(data);

        Assert.Equal(Sorted("AGE-000", "AGE-015"), Sorted(await CaseNumbers(s, new() { Age = AgeBucket.UpTo15 })));
        Assert.Equal(Sorted("AGE-016", "AGE-060"), Sorted(await CaseNumbers(s, new() { Age = AgeBucket.Days16To60 })));
        Assert.Equal(Sorted("AGE-061", "AGE-090"), Sorted(await CaseNumbers(s, new() { Age = AgeBucket.Days61To90 })));
        Assert.Equal(Sorted("AGE-091", "AGE-180"), Sorted(await CaseNumbers(s, new() { Age = AgeBucket.Days91To180 })));
        Assert.Equal(Sorted("AGE-181", "AGE-400"), Sorted(await CaseNumbers(s, new() { Age = AgeBucket.Over180 })));

        var kpis = await s.KpisAsync(Ct);
        Assert.Equal([2, 2, 2, 2, 2], kpis.Buckets.Select(b => b.Count));
        Assert.Equal(kpis["open"].Count, kpis.Buckets.Sum(b => b.Count));
        var row = (await s.QueryAsync(new() { Text = "AGE-181" }, BacklogSort.MostOverdueFirst, 0, 20, Ct)).Rows.Single();
        Assert.Equal(181, row.Age);
    }

    /// <summary>A small, varied backlog: every filter below picks out a known set of case numbers.</summary>
    private static TestData Varied(out Unit county, out Unit bureau)
    {
        var data = new TestData(Today);
        county = data.Unit("城关区");
        bureau = data.Unit("市住建局", UnitKind.CityDepartment);
        var leader = data.Leader("李秀英", "副市长");

        var a = data.Petition("XF-A01").HandledBy(county).About("城乡建设", "城关区").Form(PetitionForm.Visit)
            .By("张伟").Demand("小区电梯长期停运").ReceivedOn(new(2026, 9, 1)).InHandling(new DateOnly(2026, 9, 3));
        data.Petition("XF-A02").RepeatOf(a).HandledBy(county).About("城乡建设", "城关区").Form(PetitionForm.Letter)
            .By("张伟").Demand("再次反映电梯停运50%时间").ReceivedOn(new(2026, 11, 2));
        data.Petition("XF-B01").HandledBy(bureau).About("住房保障与房地产", "东湖区").Form(PetitionForm.Online)
            .By("王芳").By("李娜").Demand("商品房逾期交付").ReceivedOn(new(2026, 10, 10)).Supervision(SupervisionLevel.Listed);
        var c = data.Petition("XF-C01").HandledBy(bureau).About("劳动和社会保障", "西山县").Form(PetitionForm.Phone)
            .By("赵强").Demand("拖欠工资").ReceivedOn(new(2026, 11, 20));
        var d = data.Petition("XF-D01").HandledBy(county).About("城乡建设", "城关区").Form(PetitionForm.Visit)
            .By("刘洋").Demand("噪音扰民").ReceivedOn(new(2026, 3, 1)).Finished();
        data.Petition("XF-D02").RepeatOf(d).HandledBy(county).About("城乡建设", "城关区").Form(PetitionForm.Visit)
            .By("刘洋").Demand("噪音扰民仍未解决").ReceivedOn(new(2026, 11, 5)).InHandling(new DateOnly(2026, 11, 6));
        data.Assign(a, leader);                                            // active: XF-A01 and XF-A02 are under it
        data.Assign(c, leader).Status(AssignmentStatus.Relapsed);          // relapsed counts as in force
        data.Assign(d, data.Leader("陈志强", "市信访局局长")).Resolved(new(2026, 6, 1)); // resolved: not in force
        return data;
    }

    [Fact]
    public async Task EachFilter_ReturnsExactlyTheMatchingPetitions()
    {
        var s = await ServiceAsync(Varied(out var county, out var bureau));

        async Task Expect(BacklogFilter f, params string[] expected) => Assert.Equal(Sorted(expected), Sorted(await CaseNumbers(s, f)));

        await Expect(new(), "XF-A01", "XF-A02", "XF-B01", "XF-C01", "XF-D02");
        await Expect(new() { Scope = BacklogScope.All }, "XF-A01", "XF-A02", "XF-B01", "XF-C01", "XF-D01", "XF-D02");
        await Expect(new() { UnitId = county.Id }, "XF-A01", "XF-A02", "XF-D02");
        await Expect(new() { UnitId = bureau.Id }, "XF-B01", "XF-C01");
        await Expect(new() { Category = "城乡建设" }, "XF-A01", "XF-A02", "XF-D02");
        await Expect(new() { Form = PetitionForm.Visit }, "XF-A01", "XF-D02");
        await Expect(new() { Form = PetitionForm.Visit, Scope = BacklogScope.All }, "XF-A01", "XF-D01", "XF-D02");
        await Expect(new() { Supervision = SupervisionLevel.Listed }, "XF-B01");
        await Expect(new() { HasAssignment = true }, "XF-A01", "XF-A02", "XF-C01");
        await Expect(new() { HasAssignment = false }, "XF-B01", "XF-D02");
        await Expect(new() { IsRepeat = true }, "XF-A02", "XF-D02");
        await Expect(new() { IsRepeat = false }, "XF-A01", "XF-B01", "XF-C01");
        // Received-date range is inclusive at both ends.
        await Expect(new() { ReceivedFrom = new(2026, 10, 10), ReceivedTo = new(2026, 11, 5) }, "XF-A02", "XF-B01", "XF-D02");
        await Expect(new() { ReceivedFrom = new(2026, 11, 20) }, "XF-C01");
        await Expect(new() { ReceivedTo = new(2026, 9, 1), Scope = BacklogScope.All }, "XF-A01", "XF-D01");
        // Free text: case number (prefix or inside), any petitioner of a joint petition, the demand.
        await Expect(new() { Text = "XF-A" }, "XF-A01", "XF-A02");
        await Expect(new() { Text = "B01" }, "XF-B01");
        await Expect(new() { Text = "李娜" }, "XF-B01");
        await Expect(new() { Text = "电梯" }, "XF-A01", "XF-A02");
        // LIKE wildcards in the search text are literal characters, not patterns.
        await Expect(new() { Text = "50%" }, "XF-A02");
        await Expect(new() { Text = "_" });
        // Filters combine with AND.
        await Expect(new() { UnitId = county.Id, IsRepeat = true, HasAssignment = true }, "XF-A02");
    }

    [Fact]
    public async Task Filters_ReadFromTheUrl_SelectTheSameRows()
    {
        var s = await ServiceAsync(Varied(out var county, out _));
        var url = new BacklogFilter { UnitId = county.Id, IsRepeat = true, Text = "电梯" }.ToUrl();
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), url).Query)
            .ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString());
        Assert.Equal(["XF-A02"], await CaseNumbers(s, BacklogFilter.FromQuery(query)));
    }

    [Fact]
    public async Task Sorts_RunInSql_ByEachSortableColumn()
    {
        var data = new TestData(Today);
        var z = data.Unit("中山街道", UnitKind.Township);
        var a = data.Unit("安平县");
        var m = data.Unit("民政局", UnitKind.CityDepartment);
        data.Petition("XF-003").HandledBy(m).By("王五").ReceivedDaysAgo(30).OverdueBy(10).Supervision(SupervisionLevel.Listed);
        data.Petition("XF-001").HandledBy(z).By("张三").ReceivedDaysAgo(10).DueInDays(3).Supervision(SupervisionLevel.Urge);
        data.Petition("XF-002").HandledBy(a).By("李四").ReceivedDaysAgo(20).DueInDays(20);
        data.Petition("XF-000").HandledBy(a).By("赵六").ReceivedDaysAgo(100).Finished();
        var s = await ServiceAsync(data);

        BacklogSort Col(string c, bool desc = false) => BacklogSort.FromColumn(c, desc);
        Assert.Equal(["XF-003", "XF-001", "XF-002"], await CaseNumbers(s, new(), BacklogSort.MostOverdueFirst));
        Assert.Equal(["XF-002", "XF-001", "XF-003"], await CaseNumbers(s, new(), Col(nameof(BacklogRow.CurrentDueDate), true)));
        Assert.Equal(["XF-001", "XF-002", "XF-003"], await CaseNumbers(s, new(), Col(nameof(BacklogRow.CaseNumber))));
        Assert.Equal(["XF-003", "XF-002", "XF-001"], await CaseNumbers(s, new(), Col(nameof(BacklogRow.CaseNumber), true)));
        Assert.Equal(["XF-003", "XF-002", "XF-001"], await CaseNumbers(s, new(), Col(nameof(BacklogRow.ReceivedOn))));
        // Age ascending = newest first.
        Assert.Equal(["XF-001", "XF-002", "XF-003"], await CaseNumbers(s, new(), Col(nameof(BacklogRow.Age))));
        Assert.Equal(["XF-003", "XF-002", "XF-001"], await CaseNumbers(s, new(), Col(nameof(BacklogRow.Age), true)));
        // SQLite compares text by code point (中 U+4E2D < 安 U+5B89 < 民 U+6C11), not by pinyin as a Chinese
        // SQL Server collation would; the order is still deterministic and done in SQL.
        Assert.Equal(["XF-001", "XF-002", "XF-003"], await CaseNumbers(s, new(), Col(nameof(BacklogRow.UnitName))));
        Assert.Equal(["XF-003", "XF-001", "XF-002"], await CaseNumbers(s, new(), Col(nameof(BacklogRow.Supervision), true)));
        // All petitions: those without a current deadline (not open) come last.
        Assert.Equal(["XF-003", "XF-001", "XF-002", "XF-000"], await CaseNumbers(s, new() { Scope = BacklogScope.All }));
        Assert.Equal(["XF-002", "XF-001", "XF-003", "XF-000"],
            await CaseNumbers(s, new() { Scope = BacklogScope.All }, Col(nameof(BacklogRow.CurrentDueDate), true)));
    }

    [Fact]
    public async Task Paging_ReturnsEachRowOnExactlyOnePage_WithTheTotalFromCount()
    {
        var data = new TestData(Today);
        // Many equal due dates: only the tie-breaker keeps pages disjoint.
        for (var i = 1; i <= 45; i++) data.Petition($"XF-{i:D3}").ReceivedDaysAgo(i % 7).DueInDays(i % 3);
        var s = await ServiceAsync(data);

        var pages = new List<BacklogResult>();
        for (var p = 0; p < 3; p++) pages.Add(await s.QueryAsync(new(), BacklogSort.MostOverdueFirst, p, 20, Ct));

        Assert.All(pages, p => Assert.Equal(45, p.Total));
        Assert.Equal([20, 20, 5], pages.Select(p => p.Rows.Count));
        var all = pages.SelectMany(p => p.Rows).ToList();
        Assert.Equal(45, all.Select(r => r.CaseNumber).Distinct().Count());
        Assert.True(all.Zip(all.Skip(1)).All(x => x.First.CurrentDueDate <= x.Second.CurrentDueDate));
        Assert.Empty((await s.QueryAsync(new(), BacklogSort.MostOverdueFirst, 3, 20, Ct)).Rows);
        Assert.Equal(45, (await s.QueryAsync(new(), BacklogSort.MostOverdueFirst, 0, 100, Ct)).Rows.Count);
    }

    [Fact]
    public async Task Kpis_CountWhatTheirLinkedGridShows()
    {
        var data = Varied(out _, out _);
        data.Petition("XF-E01").ReceivedDaysAgo(80).InHandling(78).OverdueBy(3).Supervision(SupervisionLevel.Supervise);
        data.Petition("XF-E02").ReceivedDaysAgo(10).DueInDays(2);
        var s = await ServiceAsync(data);

        var kpis = await s.KpisAsync(Ct);
        foreach (var figure in kpis.Cards.Where(c => c.Key != "assigned").Concat(kpis.Buckets))
        {
            var grid = await s.QueryAsync(figure.Filter, BacklogSort.MostOverdueFirst, 0, 20, Ct);
            Assert.True(figure.Count == grid.Total, $"{figure.Label}: card {figure.Count}, grid {grid.Total}");
        }
        Assert.Equal(7, kpis["open"].Count);
        Assert.Equal(1, kpis["listed"].Count);
        Assert.Equal("/?supervision=listed", kpis["listed"].Url);
        Assert.Equal("/?status=overdue", kpis["overdue"].Url);
        Assert.Equal("/?age=16-60", kpis["age:Days16To60"].Url);
    }

    [Fact]
    public async Task Kpis_Assignments_CountAssignmentsInForce_AndStateThePetitionsTheLinkShows()
    {
        var s = await ServiceAsync(Varied(out _, out _));

        var card = (await s.KpisAsync(Ct))["assigned"];

        Assert.Equal(2, card.Count);                        // the active and the relapsed 包案; not the resolved one
        Assert.Equal("/?assigned=1", card.Url);
        Assert.Equal("涉及在办信访件 3 件", card.Note);     // XF-A01 + XF-A02 (one thread) and XF-C01
        Assert.Equal(3, (await s.QueryAsync(card.Filter, BacklogSort.MostOverdueFirst, 0, 20, Ct)).Total);
    }

    [Fact]
    public async Task Kpis_RepeatsThisMonth_CountRepeatsReceivedInTheShanghaiMonth_WhateverTheirState()
    {
        var data = new TestData(Today);
        var first = data.Petition("XF-100").ReceivedOn(new(2026, 8, 1)).InHandling(new DateOnly(2026, 8, 2));
        data.Petition("XF-101").RepeatOf(first).ReceivedOn(new(2026, 10, 31));                    // last month
        data.Petition("XF-102").RepeatOf(first).ReceivedOn(new(2026, 11, 1));                     // first day of month
        data.Petition("XF-103").RepeatOf(first).ReceivedOn(new(2026, 11, 2)).Finished();          // finished still counts
        data.Petition("XF-104").ReceivedOn(new(2026, 11, 3));                                     // first petition
        await data.SaveAsync(_db, Ct);
        // 30 November 23:30 in Shanghai is still November there (but already 15:30 UTC on the 30th; the point is the +8 h).
        var clock = new TestClock(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.FromHours(8)));
        var s = new BacklogService(_db, data.Deadlines, clock, TestUsers.Leader);

        var card = (await s.KpisAsync(Ct))["repeats"];

        Assert.Equal(2, card.Count);
        Assert.Equal("/?scope=all&repeat=1&from=2026-11-01&to=2026-11-30", card.Url);
        Assert.Equal(Sorted("XF-102", "XF-103"), Sorted(await CaseNumbers(s, card.Filter)));

        // One hour later it is December in Shanghai (still 30 November in UTC): no repeats this month yet.
        clock.Now = clock.Now.AddHours(1);
        Assert.Equal(0, (await s.KpisAsync(Ct))["repeats"].Count);
    }

    /// <summary>
    /// Every card and bucket against a count of the loaded rows in C# with the domain rules (not through the grid's
    /// predicate): on SQLite the figures are scalar subqueries of one statement, on PostgreSQL one conditional pass.
    /// </summary>
    [Fact]
    public async Task Kpis_EqualACountOfTheRowsByTheDomainRules()
    {
        var data = Varied(out _, out _);
        var ages = new[] { -2, 0, 15, 16, 60, 61, 90, 91, 180, 181, 400 };
        foreach (var (age, i) in ages.Select((a, i) => (a, i)))
        {
            var p = data.Petition($"AGE-{i:D2}").ReceivedOn(Today.AddDays(-age)).InHandling(Today.AddDays(-age));
            if (i % 3 == 0) p.OverdueBy(i + 1);
            else if (i % 3 == 1) p.DueInDays(i % 4);
            if (i % 4 == 0) p.Supervision(SupervisionLevel.Listed);
        }
        data.Petition("DONE-OLD").ReceivedOn(Today.AddDays(-300)).Finished();
        data.Petition("DONE-LISTED").ReceivedOn(Today.AddDays(-20)).Supervision(SupervisionLevel.Listed).Finished();
        var s = await ServiceAsync(data);
        await using (var db = _db.CreateDbContext())
        {
            var model = new RiskModel { TrainedBy = "测试", Deployed = true, HighThreshold = 0.3, TrainedAtUtc = new DateTime(2026, 11, 22, 19, 0, 0, DateTimeKind.Utc) };
            db.RiskModels.Add(model);
            await db.SaveChangesAsync(Ct);
            var scored = db.Petitions.OrderBy(p => p.Id).ToList();
            db.RiskScores.AddRange(scored.Select((p, i) => new RiskScore { PetitionId = p.Id, Score = i / 100.0, High = i % 2 == 0, ModelId = model.Id }));
            await db.SaveChangesAsync(Ct);
        }

        var kpis = await s.KpisAsync(Ct);

        await using var ctx = _db.CreateDbContext();
        var rows = await ctx.Petitions.AsNoTracking()
            .Select(p => new { p.State, p.CurrentDueDate, p.ReceivedOn, p.Supervision, p.IsRepeat, p.ThreadId, High = p.Risk != null && p.Risk.High })
            .ToListAsync(Ct);
        var inForce = (await ctx.LeaderAssignments.AsNoTracking().Select(a => new { a.ThreadId, a.Status }).ToListAsync(Ct))
            .Where(a => AssignmentLifecycle.IsInForce(a.Status)).ToList();
        var open = rows.Where(r => PetitionLifecycle.IsOpen(r.State)).ToList();
        var warn = s.WarnDays;
        int Age(DateOnly received) => Today.DayNumber - received.DayNumber;
        var expected = new Dictionary<string, int>
        {
            ["open"] = open.Count,
            ["overdue"] = open.Count(r => r.CurrentDueDate is { } d && DeadlineStatusRule.OfOpen(d, Today, warn) == DeadlineStatus.Overdue),
            ["duesoon"] = open.Count(r => r.CurrentDueDate is { } d && DeadlineStatusRule.OfOpen(d, Today, warn) == DeadlineStatus.DueSoon),
            ["listed"] = open.Count(r => r.Supervision == SupervisionLevel.Listed),
            ["assigned"] = inForce.Count,
            ["repeats"] = rows.Count(r => r.IsRepeat && r.ReceivedOn.Year == Today.Year && r.ReceivedOn.Month == Today.Month),
            ["highrisk"] = open.Count(r => r.High),
            ["age:UpTo15"] = open.Count(r => Age(r.ReceivedOn) <= 15),
            ["age:Days16To60"] = open.Count(r => Age(r.ReceivedOn) is >= 16 and <= 60),
            ["age:Days61To90"] = open.Count(r => Age(r.ReceivedOn) is >= 61 and <= 90),
            ["age:Days91To180"] = open.Count(r => Age(r.ReceivedOn) is >= 91 and <= 180),
            ["age:Over180"] = open.Count(r => Age(r.ReceivedOn) > 180),
        };
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => $"{e.Key}={e.Value}"),
            kpis.Cards.Concat(kpis.Buckets).OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Count}"));
        var assignedPetitions = open.Count(r => inForce.Any(a => a.ThreadId == r.ThreadId));
        Assert.Equal($"涉及在办信访件 {assignedPetitions} 件", kpis["assigned"].Note);
        // The data reach every figure, so a count that always gave 0 (or the open total) could not pass.
        Assert.All(expected, e => Assert.True(e.Value > 0, $"{e.Key}: no row to count"));
        Assert.True(expected["overdue"] < expected["open"] && expected["age:Over180"] < expected["open"]);
    }

    [Fact]
    public async Task Kpis_OnAnEmptyDatabase_AreAllZero()
    {
        var s = await ServiceAsync(new TestData(Today));
        var kpis = await s.KpisAsync(Ct);
        Assert.All(kpis.Cards.Concat(kpis.Buckets), f => Assert.Equal(0, f.Count));
        Assert.Equal(7, kpis.Cards.Count);
        Assert.Equal(5, kpis.Buckets.Count);
    }

    [Fact]
    public async Task Rows_ShowNamesOnly_AndTheLeaderOfTheAssignmentInForce()
    {
        var data = Varied(out _, out _);
        var s = await ServiceAsync(data);
        var rows = (await s.QueryAsync(new() { Scope = BacklogScope.All }, BacklogSort.FromColumn("CaseNumber", false), 0, 20, Ct)).Rows;

        Assert.Equal("王芳、李娜", rows.Single(r => r.CaseNumber == "XF-B01").PetitionerNames);
        Assert.Equal("李秀英", rows.Single(r => r.CaseNumber == "XF-A02").LeaderName);     // repeat: its thread's leader
        Assert.Null(rows.Single(r => r.CaseNumber == "XF-D02").LeaderName);               // only a resolved 包案
        Assert.Equal("市住建局", rows.Single(r => r.CaseNumber == "XF-C01").UnitName);
        Assert.Null(rows.Single(r => r.CaseNumber == "XF-D01").DeadlineStatus);           // finished: no status chip
    }

    [Fact]
    public async Task MeasureFirstPage_TimesTheSameQueriesThePageRuns()
    {
        // The random sample need not hold an overdue case; 25 more than a page of them guarantees a full first page.
        var data = TestData.Sample(Today, 300);
        for (var i = 1; i <= 25; i++) data.Petition($"OVER-{i:D2}").ReceivedDaysAgo(60).InHandling(58).OverdueBy(i);
        var s = await ServiceAsync(data);
        var t = await s.MeasureFirstPageAsync(new() { Deadline = DeadlineStatus.Overdue }, BacklogSort.MostOverdueFirst, 20, Ct);
        var query = await s.QueryAsync(new() { Deadline = DeadlineStatus.Overdue }, BacklogSort.MostOverdueFirst, 0, 20, Ct);
        Assert.True(query.Total >= 25, $"overdue cases: {query.Total}");
        Assert.Equal(query.Total, t.Total);
        Assert.Equal(20, t.PageRows);
        Assert.All(query.Rows, r => Assert.Equal(DeadlineStatus.Overdue, r.DeadlineStatus));
    }
}

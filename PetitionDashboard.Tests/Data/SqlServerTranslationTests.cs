using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Audit;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Features.Statistics;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Data;

/// <summary>
/// The provider-sensitive queries (date arithmetic, grouping, text search, sorting of names, IN-lists) translate for SQL
/// Server, which cannot run here; SQLite and PostgreSQL run them for real in the service tests. A query EF cannot
/// translate for SQL Server fails here instead of at a bureau.
/// </summary>
public sealed class SqlServerTranslationTests
{
    private static readonly TestClock Clock = TestClock.AtShanghai(2026, 11, 17);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Backlog_FiltersSearchesSortsAndCountsInSql()
    {
        var db = new SqlServerTranslation();
        var service = new BacklogService(db, TestRules.Deadlines(), Clock, TestUsers.Guard(Roles.Leader));
        var filter = new BacklogFilter
        {
            Text = "张三", Age = AgeBucket.Days16To60, Deadline = DeadlineStatus.DueSoon, UnitId = 1, Category = "劳动社保",
            HasAssignment = false, IsRepeat = true, ReceivedFrom = new(2026, 1, 1), ReceivedTo = new(2026, 11, 1),
        };

        var sql = string.Join("\n", await db.RunAsync(async () =>
        {
            foreach (var field in Enum.GetValues<BacklogSortField>())
                await service.QueryAsync(filter, new BacklogSort(field, Descending: true), 0, 20, Ct);
        }));

        // Text search: the typed text (BacklogArgs.Text), escaped.
        Assert.Matches(@"\[p\]\.\[Demand\] LIKE @Text_contains\d* ESCAPE", sql);
        Assert.Contains("ORDER BY [p].[PetitionerNames] DESC", sql);
        Assert.Contains("OFFSET", sql);

        // The full-text index (where the server has one) narrows the same search first; the exact LIKE stays.
        var fullText = new SqlServerTranslation();
        var ftSql = string.Join("\n", await fullText.RunAsync(async () =>
        {
            await using var ctx = fullText.CreateDbContext();
            await ctx.Petitions.Where(p => BacklogTextSearch.SqlServerContains(ctx, "张三").Contains(p.Id)).CountAsync(Ct);
        }));
        Assert.Contains("CONTAINS(([CaseNumber], [PetitionerNames], [Demand]), @p0)", ftSql);

        var kpiDb = new SqlServerTranslation();
        var kpis = string.Join("\n", await kpiDb.RunAsync(() =>
            new BacklogService(kpiDb, TestRules.Deadlines(), Clock, TestUsers.Guard(Roles.Leader)).KpisAsync(Ct)));
        Assert.Contains("COUNT(CASE", kpis);
    }

    [Fact]
    public async Task WeeklyFigures_EveryMeasureGroupsByUnitInSql()
    {
        var db = new SqlServerTranslation();
        var calculator = new WeeklyStatisticsCalculator(TestRules.Deadlines(), Options.Create(new BacklogOptions()), Options.Create(new PetitionOptions()));

        var sql = string.Join("\n", await db.RunAsync(async () =>
        {
            await using var ctx = db.CreateDbContext();
            await calculator.ComputeAsync(ctx, StatisticsWorld.W46, Clock.GetUtcNow().UtcDateTime, Ct);
        }));

        // By the unit at the end of the week: the petition's unit unless a change after that Sunday (LEFT JOIN) says what it
        // was then — a plain expression, no subquery, which SQL Server refuses in a GROUP BY.
        var groupBys = Regex.Matches(sql, "GROUP BY [^\n]+").Select(m => m.Value).ToList();
        Assert.True(groupBys.Count == 7,
            $"the scan, the 积案, the two 包案 counts and the three 领导接访 counts, each grouped by unit: {string.Join(" | ", groupBys)}");
        Assert.All(groupBys, g => Assert.DoesNotContain("SELECT", g));
        Assert.Matches(@"COALESCE\(\[\w+\]\.\[FromUnitId\], \[\w+\]\.\[UnitId\]\)", sql);
        Assert.Contains("LEFT JOIN", sql);
        Assert.Contains("DATEADD(day", sql);                 // AcceptedOn + ExtensionDays
    }

    [Fact]
    public async Task DrillDown_EveryMeasureListsInSql()
    {
        foreach (var measure in Enum.GetValues<StatisticMeasure>().Where(m => m != StatisticMeasure.GroupVisitPeople))
        {
            var db = new SqlServerTranslation();
            var calculator = new WeeklyStatisticsCalculator(TestRules.Deadlines(), Options.Create(new BacklogOptions()), Options.Create(new PetitionOptions()));
            var service = new StatisticsService(db, calculator, Options.Create(new StatisticsOptions()), Options.Create(new ReportOptions()),
                TestScoring.Store(), Clock, TestUsers.Guard(Roles.Supervisor));

            var sql = string.Join("\n", await db.RunAsync(() => service.ListAsync(new DrillDownQuery(StatisticsWorld.W46, measure, 1), 0, 50, ct: Ct)));

            Assert.True(sql.Contains("FROM [Petitions]") || sql.Contains("FROM [LeaderAssignments]"), $"{measure}: {sql}");
        }
    }

    [Fact]
    public async Task Repeats_RankingsAndClustersGroupInSql()
    {
        var db = new SqlServerTranslation();
        var service = new RepeatReportService(db, Options.Create(new RepeatOptions()), TestUsers.Guard(Roles.Supervisor), PetitionDashboard.Tests.Support.TestPersonalData.Protector);
        var filter = new RepeatFilter(new(2026, 1, 1), new(2026, 11, 30), UnitId: 1, Category: "劳动社保");

        var ranked = string.Join("\n", await db.RunAsync(() => service.RankThreadsAsync(filter, 0, 20, Ct)));
        // Counted per thread in SQL (issue 12: per candidate thread, no longer a GROUP BY over the period's petitions), and paged there.
        Assert.Matches(@"SELECT COUNT\(\*\)\s+FROM \[Petitions\] AS \[p\d*\]", ranked);
        Assert.Matches(@"\[p\d*\]\.\[ThreadId\] = \[t\]\.\[Id\]", ranked);
        Assert.Matches(@"OFFSET @\w+ ROWS FETCH NEXT @\w+ ROWS ONLY", ranked);

        var firsts = new SqlServerTranslation();
        await firsts.RunAsync(() => new RepeatReportService(
            firsts, Options.Create(new RepeatOptions()), TestUsers.Guard(Roles.Supervisor), PetitionDashboard.Tests.Support.TestPersonalData.Protector).FirstToRepeatAsync(filter, 0, 20, Ct));
        var clusters = new SqlServerTranslation();
        var clustered = string.Join("\n", await clusters.RunAsync(() => new RepeatReportService(
            clusters, Options.Create(new RepeatOptions()), TestUsers.Guard(Roles.Supervisor), PetitionDashboard.Tests.Support.TestPersonalData.Protector).ClustersAsync(filter, Ct)));
        Assert.Contains("GROUP BY [p].[Locality], [p].[Category]", clustered);
    }

    [Fact]
    public async Task Audit_SearchesByPersonAndDayInSql()
    {
        var db = new SqlServerTranslation();
        var service = new AuditQueryService(db, TestUsers.Guard(Roles.AuditAdmin), new PetitionDashboard.Data.Audit.AuditLog(db, new PetitionDashboard.Data.Audit.AuditActorAccessor(), TimeProvider.System), TimeProvider.System);

        var sql = string.Join("\n", await db.RunAsync(() =>
            service.SearchAsync(new AuditFilter("admin", "LC-2026", AuditActions.Update, new(2026, 11, 1), new(2026, 11, 17)), 0, 50, Ct)));

        Assert.Contains("UPPER([a].[Actor]) LIKE", sql);
        Assert.Contains("ORDER BY [a].[AtUtc] DESC", sql);
    }
}

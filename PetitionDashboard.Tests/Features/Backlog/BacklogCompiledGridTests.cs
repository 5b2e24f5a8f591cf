using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Backlog;

/// <summary>
/// The grid's compiled queries (one per filter shape, the values as parameters) against its LINQ path: every filter,
/// scope, sort and direction the grid offers, and combinations, give exactly the same total, rows and order.
/// </summary>
public class BacklogCompiledGridTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private TestDatabase _db = null!;
    private BacklogService _compiled = null!;
    private BacklogService _linq = null!;
    private BacklogService _probing = null!;
    private int[] _unitIds = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var data = TestData.Sample(Today, 400);
        // A few petitions past the sample's mix, so every deadline status and a 领导接访件 are present for sure.
        data.Petition("CG-OVER").ReceivedDaysAgo(40).InHandling(38).OverdueBy(3).Supervision(SupervisionLevel.Listed);
        data.Petition("CG-SOON").ReceivedDaysAgo(10).InHandling(9).DueInDays(2);
        data.Petition("CG-NORM").ReceivedDaysAgo(5).InHandling(4).DueInDays(30);
        await data.SaveAsync(_db, Ct);
        await using (var db = _db.CreateDbContext())
        {
            var petitions = await db.Petitions.OrderBy(p => p.Id).ToListAsync(Ct);
            foreach (var p in petitions.Where((_, i) => i % 7 == 0)) p.LeaderReceptionOn = p.ReceivedOn;
            var model = new RiskModel { TrainedBy = "测试", Deployed = true, HighThreshold = 0.3, TrainedAtUtc = new DateTime(2026, 11, 22, 19, 0, 0, DateTimeKind.Utc) };
            db.RiskModels.Add(model);
            await db.SaveChangesAsync(Ct);
            db.RiskScores.AddRange(petitions.Where((_, i) => i % 3 == 0)
                .Select((p, i) => new RiskScore { PetitionId = p.Id, Score = (i * 37 % 100) / 100.0, High = i % 4 == 0, ModelId = model.Id }));
            await db.SaveChangesAsync(Ct);
            _unitIds = await db.Units.OrderBy(u => u.Id).Select(u => u.Id).ToArrayAsync(Ct);
        }
        _compiled = new BacklogService(_db, data.Deadlines, data.Clock(), TestUsers.Leader);
        _linq = new BacklogService(_db, data.Deadlines, data.Clock(), TestUsers.Leader) { CompiledGrid = false };
        // Free text's page as at 1M with many matches (“王芳”): compiled over the ids read first, probing them while
        // walking the sort's index — forced on this small table.
        _probing = new BacklogService(_db, data.Deadlines, data.Clock(), TestUsers.Leader) { ProbePageFrom = 0 };
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Every single filter with each of its values (or several), under both scopes, plus combinations.</summary>
    private IEnumerable<BacklogFilter> Filters()
    {
        var singles = new List<BacklogFilter> { new() };
        singles.AddRange(Enum.GetValues<DeadlineStatus>().Select(s => new BacklogFilter { Deadline = s }));
        singles.AddRange(Enum.GetValues<AgeBucket>().Select(b => new BacklogFilter { Age = b }));
        singles.AddRange(_unitIds.Take(4).Select(u => new BacklogFilter { UnitId = u }));
        singles.AddRange(new[] { "城乡建设", "劳动和社会保障", " 教育 ", "没有这个分类" }.Select(c => new BacklogFilter { Category = c }));
        singles.AddRange(Enum.GetValues<PetitionForm>().Select(f => new BacklogFilter { Form = f }));
        singles.AddRange(Enum.GetValues<SupervisionLevel>().Select(l => new BacklogFilter { Supervision = l }));
        singles.AddRange([new() { HasAssignment = true }, new() { HasAssignment = false }, new() { IsRepeat = true }, new() { IsRepeat = false },
            new() { HighRisk = true }, new() { LeaderReception = true }, new() { LeaderReception = false }]);
        singles.AddRange([new() { ReceivedFrom = Today.AddDays(-60) }, new() { ReceivedTo = Today.AddDays(-30) },
            new() { ReceivedFrom = Today.AddDays(-400), ReceivedTo = Today.AddDays(-100) }, new() { ReceivedFrom = Today.AddDays(-20), ReceivedTo = Today }]);
        foreach (var f in singles)
        {
            yield return f;
            yield return f with { Scope = BacklogScope.All };
        }
        yield return new() { UnitId = _unitIds[0], Supervision = SupervisionLevel.Listed };
        yield return new() { UnitId = _unitIds[1], Deadline = DeadlineStatus.Overdue, IsRepeat = false };
        yield return new() { Scope = BacklogScope.All, Category = "城乡建设", ReceivedFrom = Today.AddDays(-365), ReceivedTo = Today.AddDays(-10) };
        yield return new() { Age = AgeBucket.Days16To60, Form = PetitionForm.Visit, HasAssignment = false };
        yield return new() { Deadline = DeadlineStatus.Normal, HasAssignment = true, HighRisk = true };
        yield return new() { Scope = BacklogScope.All, IsRepeat = true, LeaderReception = false, ReceivedFrom = Today.AddDays(-200) };
        yield return new() { Age = AgeBucket.Over180, Supervision = SupervisionLevel.Listed, UnitId = _unitIds[2], Category = "教育" };
    }

    private static readonly BacklogSort[] Sorts =
    [
        .. Enum.GetValues<BacklogSortField>().SelectMany(f => new[] { new BacklogSort(f), new BacklogSort(f, true) }),
    ];

    private async Task SamePages(BacklogFilter filter, BacklogSort sort, List<int> totals, bool probing = false)
    {
        for (var page = 0; page < 2; page++)
        {
            var expected = await _linq.QueryAsync(filter, sort, page, 20, Ct);
            foreach (var (name, service) in probing ? [("compiled", _compiled), ("probing", _probing)] : new[] { ("compiled", _compiled) })
            {
                var actual = await service.QueryAsync(filter, sort, page, 20, Ct);
                Assert.True(expected.Total == actual.Total, $"{name} {filter} {sort} page {page}: total {actual.Total}, LINQ {expected.Total}");
                Assert.True(expected.Rows.SequenceEqual(actual.Rows),
                    $"{name} {filter} {sort} page {page}: rows {string.Join(",", actual.Rows.Select(r => r.CaseNumber))}, LINQ {string.Join(",", expected.Rows.Select(r => r.CaseNumber))}");
            }
            if (page == 0) totals.Add(expected.Total);
        }
    }

    [Fact]
    public async Task EveryFilterAndScope_GivesTheRowsOrderAndTotalOfTheLinqPath()
    {
        var totals = new List<int>();
        foreach (var filter in Filters()) await SamePages(filter, BacklogSort.MostOverdueFirst, totals);
        // The data reach the filters: most shapes find rows, and not all the same number (a predicate that matched
        // everything, or nothing, on both paths would show here).
        Assert.True(totals.Count(t => t > 0) > totals.Count * 3 / 4, string.Join(",", totals));
        Assert.True(totals.Distinct().Count() > totals.Count / 3, string.Join(",", totals));
    }

    [Fact]
    public async Task EverySortAndDirection_UnderSeveralFilters_GivesTheRowsOrderAndTotalOfTheLinqPath()
    {
        var totals = new List<int>();
        BacklogFilter[] filters =
        [
            new(), new() { Scope = BacklogScope.All }, new() { Deadline = DeadlineStatus.Overdue }, new() { HasAssignment = true },
            new() { Scope = BacklogScope.All, IsRepeat = true, UnitId = _unitIds[0] },
        ];
        foreach (var filter in filters)
            foreach (var sort in Sorts)
                await SamePages(filter, sort, totals);
        Assert.All(totals, t => Assert.True(t > 0));
    }

    /// <summary>
    /// Free text with few candidates (SQLite: their ids read from the index first, then the compiled COUNT and page over
    /// them; PostgreSQL: LINQ on both sides): names, demand fragments, case numbers and prefixes, 1–3+ characters, a text
    /// found nowhere, alone and with other filters, under every sort and direction, give the LINQ path's total and rows —
    /// with the compiled page fetching the candidates and probing them (the plan of many matches).
    /// </summary>
    [Fact]
    public async Task FreeTextWithFewCandidates_GivesTheRowsOrderAndTotalOfTheLinqPath()
    {
        List<string> texts = ["CG-OVER", "CG-", "不存在的诉求", "\"", "%"];
        await using (var db = _db.CreateDbContext())
        {
            var rows = await db.Petitions.AsNoTracking().OrderBy(p => p.Id).Take(60)
                .Select(p => new { p.CaseNumber, p.PetitionerNames, p.Demand }).ToListAsync(Ct);
            foreach (var r in rows.Where((_, i) => i % 6 == 0))
                texts.AddRange([r.PetitionerNames, r.PetitionerNames[..Math.Min(2, r.PetitionerNames.Length)], r.Demand.Substring(2, 4),
                    r.CaseNumber, r.CaseNumber[^4..], r.CaseNumber[..^2]]);
            // The compiled path is really taken on SQLite: most of these texts have few enough candidates.
            if (TestDatabase.CurrentProvider == DatabaseProvider.Sqlite)
            {
                await db.Database.OpenConnectionAsync(Ct);
                var few = 0;
                foreach (var text in texts.Distinct())
                    if (await BacklogTextSearch.CandidateIdsAsync(db, text, 128, Ct) is not null) few++;
                Assert.True(few > texts.Distinct().Count() / 2, $"{few} of {texts.Distinct().Count()} texts have few candidates");
            }
        }
        var totals = new List<int>();
        foreach (var text in texts.Distinct())
        {
            BacklogFilter[] filters =
            [
                new() { Scope = BacklogScope.All, Text = text }, new() { Text = text },
                new() { Scope = BacklogScope.All, Text = text, UnitId = _unitIds[0] }, new() { Text = text, Deadline = DeadlineStatus.Normal },
                new() { Scope = BacklogScope.All, Text = text, HasAssignment = false, IsRepeat = false },
            ];
            foreach (var filter in filters) await SamePages(filter, BacklogSort.MostOverdueFirst, totals, probing: true);
            foreach (var sort in Sorts) await SamePages(new() { Scope = BacklogScope.All, Text = text }, sort, totals, probing: true);
        }
        Assert.True(totals.Count(t => t > 0) > totals.Count / 2, string.Join(",", totals));
        Assert.Contains(0, totals);
    }

    [Fact]
    public async Task OneCompiledQueryPerShape_ServesEveryValueOfThatShape()
    {
        await using var db = _db.CreateDbContext();
        var sort = BacklogSort.MostOverdueFirst;
        var county = BacklogGridQuery.For(db, new() { UnitId = _unitIds[0], Category = "教育" }, sort);
        Assert.Same(county, BacklogGridQuery.For(db, new() { UnitId = _unitIds[1], Category = "城乡建设" }, sort));
        Assert.NotSame(county, BacklogGridQuery.For(db, new() { UnitId = _unitIds[0] }, sort));
        Assert.NotSame(county, BacklogGridQuery.For(db, new() { UnitId = _unitIds[0], Category = "教育", Scope = BacklogScope.All }, sort));
        Assert.NotSame(county, BacklogGridQuery.For(db, new() { UnitId = _unitIds[0], Category = "教育" }, sort with { Descending = true }));
        // The yes/no filters are tests of their own (a partial index's constant, EXISTS or NOT IN), not values.
        Assert.NotSame(BacklogGridQuery.For(db, new() { IsRepeat = true }, sort), BacklogGridQuery.For(db, new() { IsRepeat = false }, sort));
        Assert.NotSame(BacklogGridQuery.For(db, new() { Deadline = DeadlineStatus.Overdue }, sort),
            BacklogGridQuery.For(db, new() { Deadline = DeadlineStatus.Normal }, sort));
        // Free text reads the full-text index first: its compiled form takes the candidates, exact or not.
        Assert.False(BacklogGridQuery.Covers(new() { Text = "张" }));
        Assert.True(BacklogGridQuery.Covers(new() { Text = "  " }));
        var text = BacklogGridQuery.For(db, new() { Text = "张" }, sort);
        Assert.Same(text, BacklogGridQuery.For(db, new() { Text = "王芳" }, sort));
        Assert.NotSame(text, BacklogGridQuery.For(db, new() { Text = "张" }, sort, textExact: true));
        Assert.NotSame(text, BacklogGridQuery.For(db, new() { Text = "张" }, sort, probe: true));
        // Only free text probes its candidates: a filter without text has one compiled form whatever is asked.
        Assert.Same(county, BacklogGridQuery.For(db, new() { UnitId = _unitIds[0], Category = "教育" }, sort, probe: true));
        Assert.NotSame(text, BacklogGridQuery.For(db, new(), sort));
    }
}

public sealed class BacklogCompiledGridPostgresTests : BacklogCompiledGridTests, IRunsOnPostgres;

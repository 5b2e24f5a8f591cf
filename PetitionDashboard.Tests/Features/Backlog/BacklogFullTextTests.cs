using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Tests.Features.Import;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Backlog;

/// <summary>
/// The free-text search goes through each provider's full-text index (SQLite FTS5 trigram, PostgreSQL pg_trgm) and must
/// find exactly what a scan finds — every row whose case number, names or demand contain the text — for texts of every
/// length, and stay so after rows are added and edited (the index is kept by triggers / by the database).
/// </summary>
public class BacklogFullTextTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private TestDatabase _db = null!;
    private BacklogService _service = null!;
    private BacklogService _probing = null!;
    private BacklogService _linq = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var data = TestData.Sample(Today, 300);
        data.Petition("XF-QUOTE").Demand("他说\"马上处理\"，要求 50% 赔偿_其余").By("欧阳娜娜");
        data.Petition("XF-EDGE").Demand("电梯").By("李娜");   // a column that is exactly the 2-character text
        // A case-number prefix also found outside the case numbers that start with it: in a demand, and inside another
        // case number — the count by the CaseNumber range must still add them.
        data.Petition("XF-REF").Demand("同 XF202611 批次的信访件一并反映").By("赵敏");
        data.Petition("AXF202611-MID").Demand("编号中间含前缀").By("周芷若");
        await data.SaveAsync(_db, Ct);
        _service = new BacklogService(_db, data.Deadlines, data.Clock(), TestUsers.Leader);
        // The plans BacklogService picks for many matches at 1M, forced on this small table.
        _probing = new BacklogService(_db, data.Deadlines, data.Clock(), TestUsers.Leader) { ProbeOpenCountFrom = 0, ProbePageFrom = 0 };
        // The default service compiles texts with few candidates (SQLite); the LINQ path with them as a subquery too.
        _linq = new BacklogService(_db, data.Deadlines, data.Clock(), TestUsers.Leader) { CompiledGrid = false };
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private static readonly string[] FixedTexts =
        ["张", "娜", "李娜", "电梯", "欧阳", "拖欠工资", "XF2026", "0001", "\"马上", "50%", "_", "%", "\"", "不存在的诉求", "Z", "xf", "XF202611", "XF2026110", "F202611", "XF-", "XF-REF", "AXF"];

    /// <summary>Texts of 1 to 7 characters taken from the data, plus wildcards, quotes and texts found nowhere.</summary>
    private async Task<List<string>> TextsAsync()
    {
        await using var db = _db.CreateDbContext();
        var rows = await db.Petitions.AsNoTracking().OrderBy(p => p.Id).Take(40)
            .Select(p => new { p.CaseNumber, p.PetitionerNames, p.Demand }).ToListAsync(Ct);
        var texts = new List<string>(FixedTexts);
        foreach (var r in rows.Where((_, i) => i % 4 == 0))
        {
            texts.Add(r.PetitionerNames[..Math.Min(2, r.PetitionerNames.Length)]);
            texts.Add(r.PetitionerNames[^1..]);
            texts.Add(r.Demand.Substring(3, 3));
            texts.Add(r.Demand.Substring(5, 7));
            texts.Add(r.CaseNumber[^5..]);
            // Case-number prefixes (counted from the CaseNumber index's range on SQLite) and middles.
            texts.Add(r.CaseNumber[..8]);
            texts.Add(r.CaseNumber[..11]);
            texts.Add(r.CaseNumber);
            texts.Add(r.CaseNumber[1..9]);
        }
        return [.. texts.Distinct()];
    }

    private async Task AssertSearchEqualsScanAsync() => await AssertSearchEqualsScanAsync(_db, _service, await TextsAsync());

    private static async Task AssertSearchEqualsScanAsync(TestDatabase database, BacklogService service, IEnumerable<string> texts)
    {
        await using var db = database.CreateDbContext();
        var all = await db.Petitions.AsNoTracking().Select(p => new { p.Id, p.CaseNumber, p.PetitionerNames, p.Demand }).ToListAsync(Ct);
        foreach (var text in texts)
        {
            var scan = all.Where(p => p.CaseNumber.Contains(text, StringComparison.Ordinal) || p.PetitionerNames.Contains(text, StringComparison.Ordinal)
                                      || p.Demand.Contains(text, StringComparison.Ordinal)).Select(p => p.CaseNumber).Order(StringComparer.Ordinal).ToList();
            var page = await service.QueryAsync(new BacklogFilter { Scope = BacklogScope.All, Text = text }, new BacklogSort(BacklogSortField.CaseNumber), 0, 100, Ct);
            Assert.True(scan.Count == page.Total, $"“{text}”: the scan finds {scan.Count}, the search {page.Total}");
            Assert.Equal(scan.Take(100), page.Rows.Select(r => r.CaseNumber));

            // The index itself never misses a row (the exact test only removes), and it is really used.
            var candidates = await BacklogTextSearch.CandidatesAsync(db, text, Ct);
            if (UsesIndex(text))
            {
                Assert.NotNull(candidates);
                var ids = (await candidates.ToListAsync(Ct)).ToHashSet();
                var missed = all.Where(p => scan.Contains(p.CaseNumber) && !ids.Contains(p.Id)).Select(p => p.CaseNumber).ToList();
                Assert.True(missed.Count == 0, $"“{text}”: the index missed {string.Join(", ", missed)}");
                // 1–2 characters on SQLite: the rows under the trigrams that start with the text are exactly the rows
                // holding it (each column ends in two newlines), so the index alone already gives the answer.
                if (TestDatabase.CurrentProvider == PetitionDashboard.Data.DatabaseProvider.Sqlite && text.EnumerateRunes().Count() <= 2)
                {
                    var found = all.Where(p => scan.Contains(p.CaseNumber)).Select(p => p.Id).ToHashSet();
                    Assert.True(found.SetEquals(ids), $"“{text}”: the index gives {ids.Count} rows, the scan {found.Count}");
                }
            }
        }
    }

    /// <summary>SQLite answers every length from its trigram index; PostgreSQL's pg_trgm needs 3 characters.</summary>
    private static bool UsesIndex(string text) =>
        TestDatabase.CurrentProvider == PetitionDashboard.Data.DatabaseProvider.Sqlite || text.EnumerateRunes().Count() >= 3;

    [Fact]
    public async Task Search_FindsExactlyWhatAScanFinds_ForTextsOfEveryLength()
    {
        await AssertSearchEqualsScanAsync();
        await AssertSearchEqualsScanAsync(_db, _linq, await TextsAsync());
    }

    /// <summary>
    /// The plans for many matches (a count over the open petitions that probes the candidates while walking the open
    /// index; a page that walks the sort's index and probes them; exact 1–2 character candidates without the exact test)
    /// forced on this small table: every total and every row of every sort, on 全部 and 在办, equal the default plans',
    /// and 全部's and 在办's equal a scan.
    /// </summary>
    [Fact]
    public async Task Search_ProbingPlans_FindWhatTheFetchingPlansAndAScanFind()
    {
        await AssertSearchEqualsScanAsync(_db, _probing, await TextsAsync());

        await using var db = _db.CreateDbContext();
        var open = PetitionDashboard.Domain.PetitionLifecycle.OpenStates.ToList();
        var all = await db.Petitions.AsNoTracking().Select(p => new { p.CaseNumber, p.PetitionerNames, p.Demand, p.State }).ToListAsync(Ct);
        foreach (var text in await TextsAsync())
        {
            var openScan = all.Where(p => open.Contains(p.State) && (p.CaseNumber.Contains(text, StringComparison.Ordinal)
                                          || p.PetitionerNames.Contains(text, StringComparison.Ordinal) || p.Demand.Contains(text, StringComparison.Ordinal)))
                .Select(p => p.CaseNumber).Order(StringComparer.Ordinal).ToList();
            var openPage = await _probing.QueryAsync(new BacklogFilter { Text = text }, new BacklogSort(BacklogSortField.CaseNumber), 0, 100, Ct);
            Assert.True(openScan.Count == openPage.Total, $"在办 “{text}”: the scan finds {openScan.Count}, the search {openPage.Total}");
            Assert.Equal(openScan.Take(100), openPage.Rows.Select(r => r.CaseNumber));

            // Every sort for the fixed texts (1, 2, 3+ characters, wildcards, case numbers): 28 plans each.
            if (!FixedTexts.Contains(text)) continue;
            foreach (var scope in new[] { BacklogScope.All, BacklogScope.Open })
                foreach (var field in Enum.GetValues<BacklogSortField>())
                    foreach (var descending in new[] { false, true })
                    {
                        var filter = new BacklogFilter { Scope = scope, Text = text };
                        var sort = new BacklogSort(field, descending);
                        var fetched = await _service.QueryAsync(filter, sort, 0, 20, Ct);
                        var probed = await _probing.QueryAsync(filter, sort, 0, 20, Ct);
                        Assert.True(fetched.Total == probed.Total, $"{scope} “{text}” {sort}: {fetched.Total} ≠ {probed.Total}");
                        Assert.Equal(fetched.Rows.Select(r => r.CaseNumber), probed.Rows.Select(r => r.CaseNumber));
                    }
        }
    }

    [Fact]
    public async Task Search_FollowsEditsAndNewRows()
    {
        await using (var db = _db.CreateDbContext())
        {
            var first = await db.Petitions.OrderBy(p => p.Id).FirstAsync(Ct);
            first.Demand = "反映电梯长期停运无人维修";
            first.PetitionerNames = "司马相如";
            var edge = await db.Petitions.SingleAsync(p => p.CaseNumber == "XF-EDGE", Ct);
            edge.Demand = "已改";
            db.Petitions.Add(TestData.PetitionRow("XF-NEW-1", Today, threadId: first.ThreadId, unitId: first.UnitId,
                demand: "新登记的诉求：拖欠工资", petitionerNames: "上官婉儿"));
            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal(["XF-NEW-1"], await CaseNumbersAsync("上官婉儿"));
        Assert.Equal(["XF-NEW-1"], await CaseNumbersAsync("婉儿"));
        Assert.Single(await CaseNumbersAsync("司马相如"));
        Assert.Single(await CaseNumbersAsync("司马"));
        Assert.DoesNotContain("XF-EDGE", await CaseNumbersAsync("电梯"));
        await AssertSearchEqualsScanAsync();
        await AssertSearchEqualsScanAsync(_db, _probing, await TextsAsync());
    }

    [Fact]
    public async Task Search_FindsImportedRows()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile()
            .Row("IMP-0001", (LedgerColumns.Petitioners, "上官婉儿"), (LedgerColumns.Demand, "反映小区电梯长期停运"))
            .Row("IMP-0002", (LedgerColumns.Petitioners, "司马光"), (LedgerColumns.Demand, "要求退还多收的物业费"));
        Assert.True((await w.ImportAsync(ledger)).Succeeded);
        var service = new BacklogService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Leader);
        var probing = new BacklogService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Leader) { ProbeOpenCountFrom = 0, ProbePageFrom = 0 };

        async Task<List<string>> Found(string text) =>
            [.. (await service.QueryAsync(new BacklogFilter { Scope = BacklogScope.All, Text = text }, new BacklogSort(BacklogSortField.CaseNumber), 0, 100, Ct))
                .Rows.Select(r => r.CaseNumber)];
        Assert.Equal(["IMP-0001"], await Found("婉"));
        Assert.Equal(["IMP-0001"], await Found("婉儿"));
        Assert.Equal(["IMP-0001"], await Found("上官婉儿"));
        Assert.Equal(["IMP-0002"], await Found("司马"));
        Assert.Equal(["IMP-0002"], await Found("物业费"));
        Assert.Equal(["IMP-0001", "IMP-0002"], await Found("IMP-"));
        string[] texts = ["婉", "婉儿", "上官婉儿", "司马", "光", "电梯", "物业费", "IMP", "0002", "张", "不存在"];
        await AssertSearchEqualsScanAsync(w.Db, service, texts);
        await AssertSearchEqualsScanAsync(w.Db, probing, texts);
    }

    private async Task<List<string>> CaseNumbersAsync(string text) =>
        [.. (await _service.QueryAsync(new BacklogFilter { Scope = BacklogScope.All, Text = text }, new BacklogSort(BacklogSortField.CaseNumber), 0, 100, Ct))
            .Rows.Select(r => r.CaseNumber)];
}

public sealed class BacklogFullTextPostgresTests : BacklogFullTextTests, IRunsOnPostgres;

using System.Diagnostics;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

using PetitionDashboard.Features.Account;
using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Backlog;

/// <summary>
/// The leaders' home page (积案总览): KPI cards, aging buckets and the backlog grid. Everything is counted, filtered,
/// sorted and paged in SQL; one short-lived DbContext per call.
/// </summary>
public sealed class BacklogService(
    IDbContextFactory<AppDbContext> factory, DeadlineCalculator deadlines, TimeProvider clock, AccessGuard guard,
    BacklogKpiCache? kpiCache = null)
{
    public static readonly int[] PageSizes = [20, 50, 100];

    /// <summary>临期 window (Deadline:WarnDays).</summary>
    public int WarnDays => deadlines.Options.WarnDays;

    /// <summary>Today in Asia/Shanghai, the date every age and deadline status on the page is counted to.</summary>
    public DateOnly Today => clock.Today();

    /// <summary>One page of the grid: the total under the filter (SQL COUNT) and the rows of the page.</summary>
    public Task<BacklogResult> QueryAsync(BacklogFilter filter, BacklogSort sort, int page, int pageSize, CancellationToken ct = default) =>
        QueryAsync(filter, sort, page, pageSize, shown: null, ct);

    /// <param name="shown">The KPI cards the caller shows beside the grid: under a card's or bucket's filter the total is
    /// that figure as shown, read at the same counter (the prerender's home page: no second counter read).</param>
    public async Task<BacklogResult> QueryAsync(BacklogFilter filter, BacklogSort sort, int page, int pageSize, BacklogKpis? shown, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        if (filter.RangeError is { } rangeError) throw new ActionRefusedException(rangeError);
        var today = Today;
        pageSize = Math.Clamp(pageSize, 1, PageSizes[^1]);
        page = Math.Max(page, 0);
        if (sort.Field == BacklogSortField.Risk)
        {
            // Counted as under any other order (the paths below, no page read); the page read from the scores' side —
            // except for a text with few matches: sorting them all is cheaper than walking the scores past them (at 1M,
            // “王萍媛”, 27 rows: 277 ms walked), and counting them twice costs little.
            var counted = (await GridAsync(filter, new BacklogSort(BacklogSortField.CaseNumber), 0, 0, shown, today, ct)).Total;
            if (!string.IsNullOrWhiteSpace(filter.Text) && counted < ProbePageFrom)
                return await GridAsync(filter, sort, page * pageSize, pageSize, shown, today, ct);
            var riskRows = await RiskOrderedPageAsync(filter, sort.Descending, page * pageSize, pageSize, counted, today, ct);
            return new BacklogResult(riskRows.Select(r => Complete(r, today)).ToList(), counted);
        }
        return await GridAsync(filter, sort, page * pageSize, pageSize, shown, today, ct);
    }

    /// <summary>The total under the filter and the rows <paramref name="skip"/> … + <paramref name="take"/> in the sort's
    /// order; <paramref name="take"/> 0: the total alone.</summary>
    private async Task<BacklogResult> GridAsync(BacklogFilter filter, BacklogSort sort, int skip, int take, BacklogKpis? shown, DateOnly today, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // One open for the count and the page (and the text search's reads): EF would open and close per statement.
        await db.Database.OpenConnectionAsync(ct);
        int total;
        var rows = new List<BacklogRow>(take);
        if (CompiledGrid && BacklogGridQuery.Covers(filter))
        {
            // The same COUNT and page as the LINQ path below, without EF's LINQ pipeline per call (BacklogGridQuery).
            var compiled = BacklogGridQuery.For(db, filter, sort);
            var args = BacklogArgs.Of(filter, today, WarnDays) with { Skip = skip, Take = take };
            var kept = await CountFromKpisAsync(filter, today, shown, ct);
            if (take > 0)
                await foreach (var row in compiled.Page(db, args).WithCancellation(ct)) rows.Add(row);
            // A page that is not full and not past the end holds the last rows: it gives the total, one statement instead of
            // COUNT + page (领导接访件 at 1M: 4 rows, the COUNT was a third of the call).
            total = kept ?? (rows.Count < take && (rows.Count > 0 || skip == 0) ? skip + rows.Count : await compiled.Count(db, args, ct));
        }
        else if (CompiledGrid && await FewTextCandidatesAsync(db, filter, ct) is { } few)
        {
            // Free text with candidates few enough to send (a name, a case number): their ids read first, then the same
            // COUNT and page compiled over them (at 1M, “王萍媛”: EF's LINQ pipeline was ≈ 1.2 of the call's ≈ 2.9 ms CPU,
            // stop 26; “王芳”, 1,364 candidates, paid it and a probe that stopped at 129 rows, stop 27).
            var exact = BacklogTextSearch.CandidatesAreExact(db, filter.Text!.Trim());
            var args = BacklogArgs.Of(filter, today, WarnDays) with { Candidates = few, Skip = skip, Take = take };
            if (few.Length == 0)
                total = 0;   // no row holds the text (the index only ever gives more)
            else if (take > 0 && few.Length <= skip + 2 * take && !(exact && filter with { Text = null } == TextOnlyScope))
            {
                // Every match up to one page past this one: the page of all of them is the total and this page, one
                // statement instead of COUNT + page (the sort reads them all anyway; “王萍媛”: 27 candidates).
                var all = BacklogGridQuery.For(db, filter, sort, exact, probe: ProbesPage(db, sort, few.Length));
                var matches = new List<BacklogRow>(few.Length);
                await foreach (var row in all.Page(db, args with { Skip = 0, Take = few.Length }).WithCancellation(ct)) matches.Add(row);
                total = matches.Count;
                rows.AddRange(matches.Skip(skip).Take(take));
            }
            else
            {
                // Exact, distinct and nothing else filtered: the candidates are the rows.
                total = exact && filter with { Text = null } == TextOnlyScope ? few.Length
                    : await BacklogGridQuery.For(db, filter, sort, exact).Count(db, args, ct);
                var compiled = BacklogGridQuery.For(db, filter, sort, exact, probe: ProbesPage(db, sort, total));
                if (take > 0 && total > skip)
                    await foreach (var row in compiled.Page(db, args).WithCancellation(ct)) rows.Add(row);
            }
        }
        else
        {
            var sources = await SourcesAsync(db, filter, ct);
            total = await CountAsync(db, filter, today, sources, ct);
            if (take > 0)
            {
                var query = db.Petitions.AsNoTracking().Apply(filter, today, WarnDays, PageSources(db, sources, sort, total));
                rows = await Project(Sort(query, sort, filter.Scope), db.LeaderAssignments.AsQueryable().Expression).Skip(skip).Take(take).ToListAsync(ct);
            }
        }
        return new BacklogResult(rows.Select(r => Complete(r, today)).ToList(), total);
    }

    /// <summary>
    /// The 转重风险 order (<see cref="Sort"/>'s: scored rows by score, case number as tie-breaker, then the unscored by case
    /// number) without joining every row to its score and sorting them all (全部信访件 at 1M: 1.25 s, issue 12 goal 2): the
    /// scores are walked in the score index's order, each tested against the filter (a correlated EXISTS, so the index
    /// leads whatever the filter), and only when the page reaches past them are the unscored read, by case number.
    /// Free text (many matches: <see cref="QueryAsync(BacklogFilter, BacklogSort, int, int, BacklogKpis?, CancellationToken)"/>)
    /// never puts its full-text candidates inside that EXISTS (SQLite then drove from them and sorted: “物业” in 在办,
    /// SQL alone, 83 ms at 1M). Over the open petitions, whose 初件 are the scored rows, the walk meets the matches about
    /// as often as they occur, and each walked row is tested by the exact predicate alone (“物业” 0.3 ms, “张” 7 ms);
    /// over all petitions the matches may be closed, hence unscored, and that walk would read every scored row
    /// (“LC2024”: 161 ms) — there each score is first probed against the candidates, a row read only for a candidate
    /// (“LC2024” 30 ms, “物业” 21 ms).
    /// </summary>
    private async Task<List<BacklogRow>> RiskOrderedPageAsync(BacklogFilter filter, bool descending, int skip, int take, int total, DateOnly today, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var sources = await SourcesAsync(db, filter, ct);
        var assignments = db.LeaderAssignments.AsQueryable().Expression;
        // The scored rows under the filter, and the same walked the way the filter's matches are met (above).
        IQueryable<RiskScore> scored, walked;
        if (sources.TextCandidates is { } candidates)
        {
            var exact = db.Petitions.AsNoTracking().Apply(filter, today, WarnDays, sources with { TextCandidates = null, TextCandidatesExact = false });
            var exactScored = db.RiskScores.AsNoTracking().Where(r => exact.Any(p => p.Id == r.PetitionId));
            // "+ 0": the set probed as each score is reached (SQLite: a Bloom filter), not driving the walk.
            scored = exactScored.Where(r => candidates.Contains(r.PetitionId + 0));
            walked = BacklogQuery.RestrictsToOpen(filter) ? exactScored : scored;
        }
        else
        {
            var filtered = db.Petitions.AsNoTracking().Apply(filter, today, WarnDays, sources);
            scored = walked = db.RiskScores.AsNoTracking().Where(r => filtered.Any(p => p.Id == r.PetitionId));
        }
        var byScore = descending ? walked.OrderByDescending(r => r.Score) : walked.OrderBy(r => r.Score);
        var ids = await byScore.ThenBy(r => r.Petition.CaseNumber).Skip(skip).Take(take).Select(r => r.PetitionId).ToListAsync(ct);
        // The page's rows by id (the walk applied the filter: with free text, testing them again read every candidate).
        var found = ids.Count == 0 ? [] : await Project(db.Petitions.AsNoTracking().Where(p => ids.Contains(p.Id)), assignments).ToListAsync(ct);
        var rows = found.OrderBy(r => ids.IndexOf(r.Id)).ToList();
        if (rows.Count == take) return rows;
        // Past the scored rows: how many there are is this page's end when it holds some or starts the order, else a count.
        var scoredCount = rows.Count > 0 || skip == 0 ? skip + rows.Count : await scored.CountAsync(ct);
        // Many matches: the case-number index walked and the candidates probed, as the grid's own page does.
        var unscored = db.Petitions.AsNoTracking().Apply(filter, today, WarnDays, PageSources(db, sources, new BacklogSort(BacklogSortField.CaseNumber), total))
            .Where(p => p.Risk == null).OrderBy(p => p.CaseNumber);
        rows.AddRange(await Project(unscored, assignments).Skip(skip + rows.Count - scoredCount).Take(take - rows.Count).ToListAsync(ct));
        return rows;
    }

    /// <summary>
    /// The grid's filters without free text run as compiled queries per filter shape (<see cref="BacklogGridQuery"/>);
    /// false: through LINQ, for the tests that compare both paths row for row.
    /// </summary>
    internal bool CompiledGrid { get; init; } = true;

    /// <summary>
    /// The KPI cards and aging buckets, shared by every viewer of this node until the data change
    /// (<see cref="BacklogKpiCache"/>); without a cache (unit tests, tools) computed on every call.
    /// </summary>
    public Task<BacklogKpis> KpisAsync(CancellationToken ct = default) => KpisAsync(null, ct);

    /// <param name="version">The change counter as the caller already read it (a change feed notice), or null to read it.</param>
    public Task<BacklogKpis> KpisAsync(long? version, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        return kpiCache is null ? ComputeKpisAsync(ct) : kpiCache.GetAsync(Today, ComputeKpisAsync, ct, version);
    }

    /// <summary>
    /// The KPI cards and aging buckets, each with the filter that shows exactly its rows. Four queries: one conditional
    /// aggregate over the open petitions (在办, 超期, 临期, 挂牌督办 and the five buckets), the 包案 count, the open
    /// petitions under a 包案, and this month's repeats.
    /// </summary>
    private async Task<BacklogKpis> ComputeKpisAsync(CancellationToken ct)
    {
        var today = Today;
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var open = BacklogFilter.Default;
        var openFigures = OpenFigures;
        var buckets = OpenBuckets;
        var assigned = open with { HasAssignment = true };
        var repeats = new BacklogFilter
        {
            Scope = BacklogScope.All, IsRepeat = true, ReceivedFrom = monthStart, ReceivedTo = monthStart.AddMonths(1).AddDays(-1),
        };

        await using var db = await factory.CreateDbContextAsync(ct);
        var all = openFigures.Concat(buckets).ToList();
        var highRisk = open with { HighRisk = true };
        // The 包案 card counts assignments in force (the leaders' workload), not petitions: a thread can have several
        // open petitions, or none left open. Its link shows the open petitions on those threads, and the card says
        // that second number too, so what the grid shows is always stated on the card.
        var others = new IQueryable[]
        {
            db.LeaderAssignments.Where(AssignmentLifecycle.InForce),
            db.Petitions.Apply(assigned, today, WarnDays, await SourcesAsync(db, assigned, ct)),
            db.Petitions.Apply(repeats, today, WarnDays),
            db.Petitions.Apply(highRisk, today, WarnDays, await SourcesAsync(db, highRisk, ct)),
        };
        int[] counts;
        if (db is SqliteDbContext)
        {
            // SQLite sorts the open rows for a GROUP BY even on a constant key (1M: 180 of the miss's 250 ms CPU); each
            // figure as its own COUNT seeks its range of the open indexes instead (≈ 9 ms for all nine), one statement.
            counts = await CountEachAsync(db, [.. all.Select(f => (IQueryable)db.Petitions.Apply(f.Filter, today, WarnDays)), .. others], ct);
        }
        else
        {
            counts = [.. await CountOpenAsync(db, all.Select(f => f.Filter).ToList(), today, ct)];
            foreach (var q in others) counts = [.. counts, await CountAsync(q, ct)];
        }
        var (assignments, assignedPetitions, repeatCount, highRiskCount) = (counts[all.Count], counts[all.Count + 1], counts[all.Count + 2], counts[all.Count + 3]);
        var riskModel = await db.RiskModels.AsNoTracking().OrderByDescending(m => m.Id)
            .Select(m => new { m.Deployed, m.TrainedAtUtc }).FirstOrDefaultAsync(ct);

        var figures = all.Select((f, i) => new BacklogFigure(f.Key, f.Label, counts[i], f.Filter)).ToList();
        var cards = figures.Take(openFigures.Count).ToList();
        cards.Add(new BacklogFigure("assigned", "在办包案", assignments, assigned, $"涉及在办信访件 {assignedPetitions} 件"));
        cards.Add(new BacklogFigure("repeats", "本月重复件", repeatCount, repeats, $"{monthStart:yyyy年M月}登记的重件"));
        cards.Add(new BacklogFigure("highrisk", "高风险初件", highRiskCount, highRisk, riskModel switch
        {
            null => "尚未训练初转重风险模型",
            { Deployed: false } => "最近一次训练未超过基线，未部署",
            _ => $"90 日内转重风险前 10%（模型 {BusinessTime.ToBusinessDate(riskModel.TrainedAtUtc):M月d日}）",
        }));
        return new BacklogKpis(today, cards, figures.Skip(openFigures.Count).ToList());
    }

    /// <summary>The cards over the open petitions, each the row count of its filter (the same for every day).</summary>
    private static readonly List<(string Key, string Label, BacklogFilter Filter)> OpenFigures =
    [
        ("open", "在办", BacklogFilter.Default),
        ("overdue", "超期", BacklogFilter.Default with { Deadline = DeadlineStatus.Overdue }),
        ("duesoon", "临期", BacklogFilter.Default with { Deadline = DeadlineStatus.DueSoon }),
        ("listed", "挂牌督办", BacklogFilter.Default with { Supervision = SupervisionLevel.Listed }),
    ];

    private static readonly List<(string Key, string Label, BacklogFilter Filter)> OpenBuckets =
        [.. Enum.GetValues<AgeBucket>().Select(b => ($"age:{b}", b.Label(), BacklogFilter.Default with { Age = b }))];

    /// <summary>
    /// The grid's total under a filter a KPI card or age bucket over the open petitions links to: that figure, from the
    /// node's KPI cache. The figure is the COUNT of the same predicate (<see cref="BacklogQuery.Apply"/>) and the cache
    /// hands it out only at the change counter it was computed at, read now (<see cref="ChangeCountedCache{TKey, TValue}"/>),
    /// for today's date — so it is the recount, for one single-row read instead of a COUNT over the open rows (1M, 在办:
    /// ≈ 3 ms). The page asks for the KPIs on every open and change anyway: a miss here is the computation it shares.
    /// Cards the caller already shows for today serve without the counter's read. Null: no cache (tests, tools) and no
    /// cards shown, or not such a filter.
    /// </summary>
    private async Task<int?> CountFromKpisAsync(BacklogFilter filter, DateOnly today, BacklogKpis? shown, CancellationToken ct)
    {
        var key = OpenFigures.Concat(OpenBuckets).FirstOrDefault(f => f.Filter == filter).Key;
        if (key is null) return null;
        if (shown?.Today == today) return shown[key].Count;
        if (kpiCache is null) return null;
        var kpis = await kpiCache.GetAsync(today, ComputeKpisAsync, ct);
        return kpis.Today == today ? kpis[key].Count : null;
    }

    /// <summary>Units and categories for the filter drop-downs.</summary>
    public async Task<BacklogFilterOptions> FilterOptionsAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await factory.CreateDbContextAsync(ct);
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name)
            .Select(u => new UnitOption(u.Id, u.Name, u.Kind)).ToListAsync(ct);
        var categories = await db.Categories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.SortOrder).ThenBy(c => c.Name)
            .Select(c => c.Name).ToListAsync(ct);
        if (categories.Count == 0) categories = [.. DomainText.Categories];
        return new BacklogFilterOptions(units, categories);
    }

    /// <summary>
    /// For benchmarks and the command line: times the KPIs, the COUNT and the first page of the grid under a filter and
    /// sort, exactly as the page runs them.
    /// </summary>
    public async Task<BacklogTiming> MeasureFirstPageAsync(BacklogFilter filter, BacklogSort sort, int pageSize = 20, CancellationToken ct = default)
    {
        var start = Stopwatch.GetTimestamp();
        await KpisAsync(ct);
        var kpis = Stopwatch.GetElapsedTime(start);

        start = Stopwatch.GetTimestamp();
        int total;
        await using (var db = await factory.CreateDbContextAsync(ct))
            total = await CountAsync(db, filter, Today, await SourcesAsync(db, filter, ct), ct);
        var count = Stopwatch.GetElapsedTime(start);

        start = Stopwatch.GetTimestamp();
        var page = await QueryAsync(filter, sort, 0, pageSize, ct);
        var firstPage = Stopwatch.GetElapsedTime(start);
        return new BacklogTiming(kpis, count, firstPage, total, page.Rows.Count);
    }

    /// <summary>
    /// From how many candidates (an upper bound from the index's term list) a count over the open petitions walks the
    /// open index and probes the candidate set instead of fetching every candidate by key: the walk costs the same for
    /// any text (≈ 80,000 index entries at 1M), fetching grows with the candidates (1M, “物业” in 在办: 55 → 30 ms CPU).
    /// Settable for tests, which have a few hundred rows.
    /// </summary>
    internal long ProbeOpenCountFrom { get; init; } = 10_000;

    /// <summary>
    /// From how many matching rows the first page walks the sort's index and probes the candidate set: it stops after
    /// about 20 × rows-in-scope ÷ matches index entries (“张” at 1M: ≈ 450) instead of reading and sorting every match;
    /// the 转重风险 order walks the scores' index from there (below it, on every provider, its matches are sorted). Settable
    /// for tests.
    /// </summary>
    internal long ProbePageFrom { get; init; } = 1_000;

    /// <summary>
    /// The grid's total. Free text: a case-number-like text is counted from the CaseNumber index's range; exact
    /// candidates (1–2 characters on SQLite) with no other filter are counted from the index without reading a row;
    /// over the open petitions, many candidates are probed while walking the open index.
    /// </summary>
    private async Task<int> CountAsync(AppDbContext db, BacklogFilter filter, DateOnly today, BacklogQuery.BacklogQuerySources sources, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(filter.Text) && sources.TextCandidates is { } candidates)
        {
            var text = filter.Text.Trim();
            if (BacklogTextSearch.CaseNumberPrefixFor(db, text, candidates) is { } prefix)
                sources = sources with { CaseNumberPrefix = prefix };
            else if (sources.TextCandidatesExact && filter with { Text = null } == TextOnlyScope)
                return await candidates.Distinct().CountAsync(ct);
            else if (BacklogQuery.RestrictsToOpen(filter) && await BacklogTextSearch.CandidateUpperBoundAsync(db, text, ct) >= ProbeOpenCountFrom)
                sources = sources with { ProbeTextCandidates = true };
        }
        return await db.Petitions.AsNoTracking().Apply(filter, today, WarnDays, sources).CountAsync(ct);
    }

    private static readonly BacklogFilter TextOnlyScope = new() { Scope = BacklogScope.All };

    /// <summary>
    /// Up to how many full-text candidates (distinct ids) the grid reads their ids first and runs compiled (the ids one
    /// JSON parameter: <see cref="DataServices.SqliteProviderOptions"/>): a name's few hundred or thousand are read and
    /// sent for less than EF's LINQ pipeline costs (at 1M, “王芳”'s 1,364: ≈ 1.1–1.5× its SQL twin's CPU, 1.6–3× before); tens of thousands (“张”, “物业”)
    /// are better left in SQL as a subquery (the LINQ path), where a COUNT needs no id sent back. Settable for tests.
    /// </summary>
    internal int FewTextCandidates { get; init; } = 2_000;

    /// <summary>
    /// The distinct ids of the full-text candidates when they are few, else null (SQLite only: PostgreSQL's candidates
    /// are a LIKE the query should not run twice). Not where a test forces the open count's probing plan (its threshold
    /// below the candidates): that plan is the LINQ path's; the page's is on both (<see cref="ProbesPage"/>).
    /// </summary>
    private async Task<int[]?> FewTextCandidatesAsync(AppDbContext db, BacklogFilter filter, CancellationToken ct)
    {
        if (db is not SqliteDbContext || string.IsNullOrWhiteSpace(filter.Text)) return null;
        var limit = (long)FewTextCandidates;
        if (BacklogQuery.RestrictsToOpen(filter)) limit = Math.Min(limit, ProbeOpenCountFrom - 1);
        return limit < 0 ? null : await BacklogTextSearch.CandidateIdsAsync(db, filter.Text.Trim(), (int)limit, ct);
    }

    /// <summary>
    /// The page walks the sort's index and probes the candidates when the matches are many; the risk sort has no index
    /// to walk (a LEFT JOIN's column), so it keeps fetching the candidates. SQLite only: the plans were measured there;
    /// PostgreSQL and SQL Server choose between a hash join and a nested loop by themselves.
    /// </summary>
    private BacklogQuery.BacklogQuerySources PageSources(AppDbContext db, BacklogQuery.BacklogQuerySources sources, BacklogSort sort, int total) =>
        sources.TextCandidates is not null && ProbesPage(db, sort, total) ? sources with { ProbeTextCandidates = true } : sources;

    /// <summary>Whether a free-text page of <paramref name="total"/> matches probes the candidates (<see cref="PageSources"/>), on either path.</summary>
    private bool ProbesPage(AppDbContext db, BacklogSort sort, int total) =>
        db is SqliteDbContext && total >= ProbePageFrom && sort.Field != BacklogSortField.Risk;

    private static async Task<BacklogQuery.BacklogQuerySources> SourcesAsync(AppDbContext db, BacklogFilter filter, CancellationToken ct)
    {
        var text = string.IsNullOrWhiteSpace(filter.Text) ? null : filter.Text.Trim();
        var candidates = text is null ? null : await BacklogTextSearch.CandidatesAsync(db, text, ct);
        return new(candidates, BacklogQuery.InForceThreadIds(db), BacklogQuery.HighRiskPetitionIds(db),
            TextCandidatesExact: candidates is not null && BacklogTextSearch.CandidatesAreExact(db, text!));
    }

    /// <summary>The COUNT of each query as scalar subqueries of one statement: one round trip, each count its own plan.</summary>
    private static async Task<int[]> CountEachAsync(AppDbContext db, IReadOnlyList<IQueryable> queries, CancellationToken ct)
    {
        var x = Expression.Parameter(typeof(int), "x");
        var counts = queries.Select(q => (Expression)Expression.Call(typeof(Queryable), nameof(Queryable.Count), [q.ElementType], q.Expression));
        var selector = Expression.Lambda<Func<int, int[]>>(Expression.NewArrayInit(typeof(int), counts), x);
        return await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\"").Select(selector).SingleAsync(ct);
    }

    private static Task<int> CountAsync(IQueryable query, CancellationToken ct) => query switch
    {
        IQueryable<Petition> p => p.CountAsync(ct),
        IQueryable<LeaderAssignment> a => a.CountAsync(ct),
        _ => throw new ArgumentException(query.ElementType.Name, nameof(query)),
    };

    /// <summary>COUNT(CASE WHEN filter THEN 1 END) for each filter, in one pass over the open petitions.</summary>
    private async Task<int[]> CountOpenAsync(AppDbContext db, IReadOnlyList<BacklogFilter> filters, DateOnly today, CancellationToken ct)
    {
        var g = Expression.Parameter(typeof(IGrouping<int, Petition>), "g");
        var counts = filters.Select(f => (Expression)Expression.Call(
            typeof(Enumerable), nameof(Enumerable.Count), [typeof(Petition)], g, BacklogQuery.Predicate(f, today, WarnDays)));
        var selector = Expression.Lambda<Func<IGrouping<int, Petition>, int[]>>(Expression.NewArrayInit(typeof(int), counts), g);
        // One constant group: a single row, or none when nothing is open.
        var rows = await db.Petitions.AsNoTracking().Where(BacklogQuery.IsOpen).GroupBy(p => 1).Select(selector).ToListAsync(ct);
        return rows.Count > 0 ? rows[0] : new int[filters.Count];
    }

    internal static IQueryable<Petition> Sort(IQueryable<Petition> q, BacklogSort sort, BacklogScope scope)
    {
        var d = sort.Descending;
        IOrderedQueryable<Petition> ordered = sort.Field switch
        {
            BacklogSortField.CaseNumber => d ? q.OrderByDescending(p => p.CaseNumber) : q.OrderBy(p => p.CaseNumber),
            BacklogSortField.ReceivedOn => d ? q.OrderByDescending(p => p.ReceivedOn) : q.OrderBy(p => p.ReceivedOn),
            BacklogSortField.Unit => d ? q.OrderByDescending(p => p.Unit.Name) : q.OrderBy(p => p.Unit.Name),
            BacklogSortField.Petitioner => d ? q.OrderByDescending(p => p.PetitionerNames) : q.OrderBy(p => p.PetitionerNames),
            BacklogSortField.Supervision => d ? q.OrderByDescending(p => p.Supervision) : q.OrderBy(p => p.Supervision),
            // Unscored rows last in either direction, like the deadline sort.
            BacklogSortField.Risk => d
                ? q.OrderBy(p => p.Risk == null).ThenByDescending(p => p.Risk!.Score)
                : q.OrderBy(p => p.Risk == null).ThenBy(p => p.Risk!.Score),
            // Petitions that are not open have no current deadline: they go last in either direction.
            _ when scope == BacklogScope.All => d
                ? q.OrderBy(p => p.CurrentDueDate == null).ThenByDescending(p => p.CurrentDueDate)
                : q.OrderBy(p => p.CurrentDueDate == null).ThenBy(p => p.CurrentDueDate),
            _ => d ? q.OrderByDescending(p => p.CurrentDueDate) : q.OrderBy(p => p.CurrentDueDate),
        };
        // A unique tie-breaker keeps paging stable: no row on two pages, none skipped.
        return sort.Field == BacklogSortField.CaseNumber ? ordered : ordered.ThenBy(p => p.CaseNumber);
    }

    /// <summary>
    /// The grid's row over a source of the 包案 (<paramref name="assignments"/>: <c>db.LeaderAssignments</c> of the query's
    /// context, as either path writes it). The leader is looked up by the petition's own ThreadId: through
    /// <c>p.Thread.Assignments</c> EF joined Threads for every row of the page only to read its key back.
    /// </summary>
    internal static IQueryable<BacklogRow> Project(IQueryable<Petition> q, Expression assignments)
    {
        var p = Expression.Parameter(typeof(Petition), "p");
        return q.Select(Expression.Lambda<Func<Petition, BacklogRow>>(BacklogQuery.Bind(Row, p, assignments), p));
    }

    private static readonly Expression<Func<Petition, IQueryable<LeaderAssignment>, BacklogRow>> Row = (p, assignments) => new BacklogRow
    {
        Id = p.Id,
        CaseNumber = p.CaseNumber,
        PetitionerNames = p.PetitionerNames,
        Locality = p.Locality,
        Category = p.Category,
        Form = p.Form,
        UnitName = p.Unit.Name,
        ReceivedOn = p.ReceivedOn,
        State = p.State,
        CurrentDueDate = p.CurrentDueDate,
        Supervision = p.Supervision,
        LeaderName = assignments.Where(a => a.ThreadId == p.ThreadId).Where(AssignmentLifecycle.InForce)
            .OrderByDescending(a => a.AssignedOn).Select(a => a.Leader.Name).FirstOrDefault(),
        IsRepeat = p.IsRepeat,
        RiskScore = p.Risk != null ? p.Risk.Score : null,
        RiskHigh = p.Risk != null && p.Risk.High,
    };

    private BacklogRow Complete(BacklogRow r, DateOnly today)
    {
        var open = PetitionLifecycle.IsOpen(r.State);
        return r with
        {
            Age = today.DayNumber - r.ReceivedOn.DayNumber,
            DeadlineStatus = open && r.CurrentDueDate is { } due ? DeadlineStatusRule.OfOpen(due, today, WarnDays) : null,
            DaysOverdue = open && r.CurrentDueDate is { } d ? DeadlineStatusRule.DaysOverdue(d, today) : null,
            DueIsProvisional = open && deadlines.Calendar.IsProvisional(r.CurrentDueDate),
        };
    }
}

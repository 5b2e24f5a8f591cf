using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Repeats;

/// <summary>The repeats page's filters: a period of received-on dates (inclusive), optionally one unit and one category.</summary>
public sealed record RepeatFilter(DateOnly From, DateOnly To, int? UnitId = null, string? Category = null);

public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

public sealed record RepeatUnitChoice(int Id, string Name);

/// <summary>
/// What the prerender of /repeats read, carried to the interactive render (<see cref="Components.FirstOpen{TKey, TData}"/>,
/// keyed by the filter): the filter choices and the ranking's first page under that filter.
/// </summary>
public sealed record RepeatsFirstOpen(Page<ThreadRankRow> FirstRankPage, IReadOnlyList<RepeatUnitChoice> Units, IReadOnlyList<string> Categories);

/// <summary>The thread's latest 包案, if any.</summary>
public sealed record AssignmentBrief(string Leader, string LeaderTitle, AssignmentStatus Status);

public sealed record ThreadRankRow(
    int ThreadId, string? FirstCaseNumber, string PetitionerNames, string Locality, string Category, string UnitName,
    int TimesInPeriod, int PetitionCount, DateOnly FirstReceivedOn, DateOnly LastReceivedOn, AssignmentBrief? Assignment)
{
    public int RepeatCount => RepeatRule.RepeatCount(PetitionCount);
}

public sealed record FirstToRepeatRow(
    int ThreadId, string? FirstCaseNumber, DateOnly FirstReceivedOn, DateOnly SecondReceivedOn, string PetitionerNames,
    string Locality, string Category, string UnitName, int PetitionCount, AssignmentBrief? Assignment);

public sealed record RepeatPetitionerRow(
    int PetitionerId, string Name, string? IdNumber, string? Phone, int RepeatsInPeriod, int Threads, DateOnly LastReceivedOn);

public sealed record ClusterPetition(
    int PetitionId, int ThreadId, string CaseNumber, DateOnly ReceivedOn, string PetitionerNames, int PeopleCount, string Demand);

/// <summary>同事多人: same matter, different people, received within ClusterDays of one another (chained).</summary>
public sealed record Cluster(
    string Locality, string Category, IReadOnlyList<ClusterPetition> Petitions, IReadOnlyList<string> People,
    DateOnly From, DateOnly To, double MinSimilarity)
{
    public int PeopleCount => Petitions.Sum(p => p.PeopleCount);
}

/// <summary>Clusters found, and how much was looked at (the computation is bounded; the page says so when a cap was hit).</summary>
public sealed record ClusterReport(IReadOnlyList<Cluster> Clusters, int GroupsExamined, int GroupsInPeriod, int PetitionsCompared, bool Capped);

/// <summary>
/// The repeats page (docs/rules.md §6): threads ranked by times petitioned in a period, 初转重, repeat petitioners, clusters.
/// Ranking, filtering and paging run in SQL; only cluster similarity runs in memory, over a bounded window.
/// </summary>
public sealed class RepeatReportService(
    IDbContextFactory<AppDbContext> dbFactory, IOptions<RepeatOptions> options, AccessGuard guard, PersonalDataProtector personalData,
    RepeatPageCache<RankedThread>? rankingCache = null, RepeatPageCache<FirstRepeat>? firstRepeatCache = null)
{
    public int ClusterDays => options.Value.ClusterDays;

    /// <summary>Filter choices: every unit, by kind then name.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> UnitsAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        return units.Select(u => (u.Id, u.Name)).ToList();
    }

    /// <summary>Filter choices: the active 一级 categories.</summary>
    public async Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Categories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.SortOrder).Select(c => c.Name).ToListAsync(ct);
        return names.Count > 0 ? names : DomainText.Categories;
    }

    /// <summary>Locality + category groups examined for clusters, largest first.</summary>
    public const int MaxClusterGroups = 40;

    /// <summary>Most recent petitions per group compared pairwise (at most n·(n−1)/2 similarity computations per group).</summary>
    public const int MaxPetitionsPerGroup = 150;

    public const int MaxClustersShown = 50;

    /// <summary>
    /// Threads with repeats, by the number of their petitions received in the period (then the latest). Driven by the threads,
    /// not by the period's petitions: a thread with a petition in the period has First/LastReceivedOn around it, so the
    /// candidates are read from IX_Threads_Repeats_LastReceivedOn and each one's petitions in the period counted on
    /// IX_Petitions_ThreadId_ReceivedOn (at 1M: 15,000 index seeks instead of 124,000 row reads, 1.8 s → 0.1 s). The ranked
    /// page is kept per node until a write moves the change counter (<see cref="RepeatPageCache{TRow}"/>); the threads' details
    /// are read for every call.
    /// </summary>
    public async Task<Page<ThreadRankRow>> RankThreadsAsync(RepeatFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        return await ThreadPageAsync(rankingCache, filter, page, pageSize, RankAsync, (r, t) =>
            new ThreadRankRow(r.ThreadId, t.FirstCaseNumber, t.PetitionerNames, t.Locality, t.Category, t.UnitName,
                r.Times, t.PetitionCount, t.FirstReceivedOn, t.LastReceivedOn, t.Assignment), ct);
    }

    /// <summary>A tab's page as the node keeps it (the app registers the caches; a service built without them reads it),
    /// each row with its thread's details read now.</summary>
    private async Task<Page<TOut>> ThreadPageAsync<TRow, TOut>(RepeatPageCache<TRow>? cache, RepeatFilter filter, int page, int pageSize,
        Func<RepeatFilter, int, int, CancellationToken, Task<KeptRepeatPage<TRow>>> read, Func<TRow, ThreadBrief, TOut> row, CancellationToken ct)
        where TRow : IRepeatThreadRow
    {
        var kept = cache is null
            ? await read(filter, page, pageSize, ct)
            : await cache.GetAsync(filter, page, pageSize, c => read(filter, page, pageSize, c), ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var threads = await ThreadBriefsAsync(db, kept.Rows.Select(r => r.ThreadId).ToList(), ct);
        return new Page<TOut>(kept.Rows.Select(r => row(r, threads[r.ThreadId])).ToList(), kept.Total);
    }

    /// <summary>The ranking itself, in SQL: which threads, how often in the period, paged (<see cref="RankThreadsAsync"/>).</summary>
    private async Task<KeptRepeatPage<RankedThread>> RankAsync(RepeatFilter filter, int page, int pageSize, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var inPeriod = InPeriod(db, filter);
        // EXISTS, not COUNT > 0: it stops at the first petition (SQLite repeats the ORDER BY's subqueries, not this one).
        var ranked = RepeatThreadsAround(db, filter).Where(t => inPeriod.Any(p => p.ThreadId == t.Id));
        var total = await ranked.CountAsync(ct);
        var grouped = ranked.Select(t => new
        {
            ThreadId = t.Id,
            Times = inPeriod.Count(p => p.ThreadId == t.Id),
            Last = inPeriod.Where(p => p.ThreadId == t.Id).Max(p => (DateOnly?)p.ReceivedOn),
        });
        var rows = await grouped.OrderByDescending(x => x.Times).ThenByDescending(x => x.Last).ThenBy(x => x.ThreadId)
            .Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
        return new KeptRepeatPage<RankedThread>(rows.Select(r => new RankedThread(r.ThreadId, r.Times, r.Last)).ToList(), total);
    }

    /// <summary>Threads with repeats (two petitions or more) whose received dates reach into the period: every thread that can
    /// have a petition in it (the thread's First/LastReceivedOn are kept by <see cref="ThreadLinkingService"/> and the import).</summary>
    private static IQueryable<PetitionThread> RepeatThreadsAround(AppDbContext db, RepeatFilter filter) =>
        db.Threads.AsNoTracking().Where(t => t.PetitionCount >= 2 && t.LastReceivedOn >= filter.From && t.FirstReceivedOn <= filter.To);

    /// <summary>
    /// 初转重: threads whose first petition was a first-time petition and whose second petition (the first repeat) was received
    /// in the period — a repeat in the period and none before it. Latest first. The page is kept per node until a write moves
    /// the change counter (<see cref="RepeatPageCache{TRow}"/>); the threads' details are read for every call.
    /// </summary>
    public async Task<Page<FirstToRepeatRow>> FirstToRepeatAsync(RepeatFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        return await ThreadPageAsync(firstRepeatCache, filter, page, pageSize, FindFirstRepeatsAsync, (r, t) =>
            new FirstToRepeatRow(r.ThreadId, t.FirstCaseNumber, t.FirstReceivedOn, r.Second, t.PetitionerNames, t.Locality,
                t.Category, t.UnitName, t.PetitionCount, t.Assignment), ct);
    }

    /// <summary>
    /// 初转重 in SQL (<see cref="FirstToRepeatAsync"/>): the period's repeats are grouped by thread first and each thread tested
    /// once (at 1M, 90 days: 20,668 repeats, 15,440 threads; the count 190 → 103 ms in SQL).
    /// </summary>
    private async Task<KeptRepeatPage<FirstRepeat>> FindFirstRepeatsAsync(RepeatFilter filter, int page, int pageSize, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var from = filter.From;
        var firsts = db.Petitions.Where(p => !p.IsRepeat);
        var grouped = InPeriod(db, filter).Where(p => p.IsRepeat)
            .GroupBy(p => p.ThreadId)
            .Select(g => new { ThreadId = g.Key, Second = g.Min(p => p.ReceivedOn) })
            .Where(x => !db.Petitions.Any(q => q.ThreadId == x.ThreadId && q.IsRepeat && q.ReceivedOn < from))
            .Where(x => db.Threads.Any(t => t.Id == x.ThreadId && firsts.Any(f => f.Id == t.FirstPetitionId)));
        var total = await grouped.CountAsync(ct);
        var rows = await grouped.OrderByDescending(x => x.Second).ThenBy(x => x.ThreadId)
            .Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
        return new KeptRepeatPage<FirstRepeat>(rows.Select(r => new FirstRepeat(r.ThreadId, r.Second)).ToList(), total);
    }

    /// <summary>People on repeat petitions (重件) received in the period, most repeats first.</summary>
    public async Task<Page<RepeatPetitionerRow>> RepeatPetitionersAsync(RepeatFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var grouped =
            from p in InPeriod(db, filter).Where(p => p.IsRepeat)
            join pp in db.PetitionPetitioners on p.Id equals pp.PetitionId
            group p by pp.PetitionerId into g
            select new
            {
                PetitionerId = g.Key, Count = g.Count(), Threads = g.Select(x => x.ThreadId).Distinct().Count(),
                Last = g.Max(x => x.ReceivedOn),
            };
        var total = await grouped.CountAsync(ct);
        var rows = await grouped.OrderByDescending(x => x.Count).ThenByDescending(x => x.Last).ThenBy(x => x.PetitionerId)
            .Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
        var ids = rows.Select(r => r.PetitionerId).ToList();
        var people = await db.Petitioners.AsNoTracking().Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, ct);
        return new Page<RepeatPetitionerRow>(rows.Select(r =>
        {
            var p = people[r.PetitionerId];
            // Masked before it leaves the service, for every role: the full numbers come only through the audited reveal.
            return new RepeatPetitionerRow(p.Id, p.Name, personalData.MaskedIdNumber(p.IdNumber), personalData.MaskedPhone(p.Phone), r.Count, r.Threads, r.Last);
        }).ToList(), total);
    }

    /// <summary>
    /// Clusters (同事多人) among petitions received in the period. Cost: one SQL grouping by 问题属地 + category over the period;
    /// then, for at most <see cref="MaxClusterGroups"/> groups (largest first), the <see cref="MaxPetitionsPerGroup"/> most recent
    /// petitions and their petitioners' identity keys; pairwise similarity only for pairs within ClusterDays of each other.
    /// Two petitions are linked when similar (≥ Repeat:Similarity), within the window, and sharing no petitioner; a cluster is
    /// a connected group of such links.
    /// </summary>
    public async Task<ClusterReport> ClustersAsync(RepeatFilter filter, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewDashboards);
        var threshold = options.Value.Similarity;
        var window = options.Value.ClusterDays;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groupsQuery = InPeriod(db, filter)
            .GroupBy(p => new { p.Locality, p.Category })
            .Select(g => new { g.Key.Locality, g.Key.Category, Count = g.Count() })
            .Where(g => g.Count >= 2);
        var groupsInPeriod = await groupsQuery.CountAsync(ct);
        var groups = await groupsQuery.OrderByDescending(g => g.Count).ThenBy(g => g.Locality).ThenBy(g => g.Category)
            .Take(MaxClusterGroups).ToListAsync(ct);

        var clusters = new List<Cluster>();
        var compared = 0;
        var capped = groupsInPeriod > groups.Count;
        foreach (var g in groups)
        {
            if (g.Count > MaxPetitionsPerGroup) capped = true;
            var petitions = await InPeriod(db, filter)
                .Where(p => p.Locality == g.Locality && p.Category == g.Category)
                .OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.Id)
                .Take(MaxPetitionsPerGroup)
                .Select(p => new ClusterPetition(p.Id, p.ThreadId, p.CaseNumber, p.ReceivedOn, p.PetitionerNames, p.PeopleCount, p.Demand))
                .ToListAsync(ct);
            var ids = petitions.Select(p => p.PetitionId).ToList();
            var keys = (await db.PetitionPetitioners.AsNoTracking().Where(pp => ids.Contains(pp.PetitionId))
                    .Select(pp => new { pp.PetitionId, pp.Petitioner.IdentityKey, pp.Petitioner.Name }).ToListAsync(ct))
                .ToLookup(x => x.PetitionId);
            compared += petitions.Count;
            clusters.AddRange(FindClusters(g.Locality, g.Category, petitions,
                id => keys[id].Select(k => (string?)k.IdentityKey), id => keys[id].Select(k => k.Name), threshold, window));
        }
        var shown = clusters.OrderByDescending(c => c.People.Count).ThenByDescending(c => c.Petitions.Count).ThenByDescending(c => c.To)
            .Take(MaxClustersShown).ToList();
        return new ClusterReport(shown, groups.Count, groupsInPeriod, compared, capped || clusters.Count > shown.Count);
    }

    /// <summary>Connected components of the "same matter, different people, within the window" relation inside one group.</summary>
    internal static IReadOnlyList<Cluster> FindClusters(
        string locality, string category, IReadOnlyList<ClusterPetition> petitions, Func<int, IEnumerable<string?>> identityKeys,
        Func<int, IEnumerable<string>> names, double threshold, int clusterDays)
    {
        var sorted = petitions.OrderBy(p => p.ReceivedOn).ThenBy(p => p.PetitionId).ToList();
        var parent = Enumerable.Range(0, sorted.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        var minSimilarity = new Dictionary<int, double>();
        var linked = new bool[sorted.Count];
        for (var i = 0; i < sorted.Count; i++)
        {
            for (var j = i + 1; j < sorted.Count && RepeatRule.WithinClusterWindow(sorted[i].ReceivedOn, sorted[j].ReceivedOn, clusterDays); j++)
            {
                var a = sorted[i];
                var b = sorted[j];
                if (RepeatRule.SharesPetitioner(identityKeys(a.PetitionId), identityKeys(b.PetitionId))) continue;
                if (!RepeatRule.IsSameMatter(locality, category, a.Demand, locality, category, b.Demand, threshold)) continue;
                var similarity = DemandSimilarity.Jaccard(a.Demand, b.Demand);
                var (ri, rj) = (Find(i), Find(j));
                var min = Math.Min(similarity, Math.Min(minSimilarity.GetValueOrDefault(ri, 1), minSimilarity.GetValueOrDefault(rj, 1)));
                if (ri != rj) parent[rj] = ri;
                minSimilarity[Find(i)] = min;
                linked[i] = linked[j] = true;
            }
        }
        return Enumerable.Range(0, sorted.Count).Where(i => linked[i]).GroupBy(Find).Select(g =>
        {
            var members = g.Select(i => sorted[i]).ToList();
            var people = members.SelectMany(m => names(m.PetitionId)).Distinct().ToList();
            return new Cluster(locality, category, members, people, members[0].ReceivedOn, members[^1].ReceivedOn,
                minSimilarity.GetValueOrDefault(g.Key, 1));
        }).ToList();
    }

    private static IQueryable<Petition> InPeriod(AppDbContext db, RepeatFilter filter)
    {
        var q = db.Petitions.AsNoTracking().Where(p => p.ReceivedOn >= filter.From && p.ReceivedOn <= filter.To);
        if (filter.UnitId is { } unit) q = q.Where(p => p.UnitId == unit);
        if (!string.IsNullOrWhiteSpace(filter.Category)) q = q.Where(p => p.Category == filter.Category);
        return q;
    }

    private sealed record ThreadBrief(
        string? FirstCaseNumber, string PetitionerNames, string Locality, string Category, string UnitName, int PetitionCount,
        DateOnly FirstReceivedOn, DateOnly LastReceivedOn, AssignmentBrief? Assignment);

    /// <summary>
    /// The page's threads with their first petition and latest 包案: three key lookups (a correlated FirstOrDefault here
    /// would make EF number every petition with ROW_NUMBER, a scan of the whole table).
    /// </summary>
    private static async Task<Dictionary<int, ThreadBrief>> ThreadBriefsAsync(AppDbContext db, List<int> threadIds, CancellationToken ct)
    {
        var threads = await db.Threads.AsNoTracking().Where(t => threadIds.Contains(t.Id))
            .Select(t => new { t.Id, t.PetitionCount, t.FirstReceivedOn, t.LastReceivedOn, t.FirstPetitionId })
            .ToListAsync(ct);
        var firstIds = threads.Select(t => t.FirstPetitionId).OfType<int>().ToList();
        var firsts = await db.Petitions.AsNoTracking().Where(p => firstIds.Contains(p.Id))
            .Select(p => new { p.Id, p.CaseNumber, p.PetitionerNames, p.Locality, p.Category, Unit = p.Unit.Name })
            .ToDictionaryAsync(p => p.Id, ct);
        var assignments = (await db.LeaderAssignments.AsNoTracking().Where(a => threadIds.Contains(a.ThreadId))
                .Select(a => new { a.ThreadId, a.AssignedOn, a.Id, Brief = new AssignmentBrief(a.Leader.Name, a.Leader.Title, a.Status) })
                .ToListAsync(ct))
            .GroupBy(a => a.ThreadId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.AssignedOn).ThenByDescending(a => a.Id).First().Brief);
        return threads.ToDictionary(t => t.Id, t =>
        {
            var first = t.FirstPetitionId is { } f ? firsts.GetValueOrDefault(f) : null;
            return new ThreadBrief(first?.CaseNumber, first?.PetitionerNames ?? "", first?.Locality ?? "", first?.Category ?? "",
                first?.Unit ?? "", t.PetitionCount, t.FirstReceivedOn, t.LastReceivedOn, assignments.GetValueOrDefault(t.Id));
        });
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Features.Supervision;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Features.Assignments;
using PetitionDashboard.Tests.Features.Import;
using PetitionDashboard.Tests.Features.Repeats;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Backlog;

/// <summary>
/// The KPI cards are computed once per node and kept until the change counter moves (issue 12). After each kind of
/// write the cached figures must equal a recount from the rows — a cache that missed a write would show the old ones.
/// </summary>
public class BacklogKpiCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens the page (warming the cache), writes, opens again: the figures equal a fresh recount and moved.</summary>
    private static async Task AssertKpisFollowAsync(IDbContextFactory<AppDbContext> db, TimeProvider clock, Func<Task> write)
    {
        var feed = new DatabaseChangeFeed(db, NullLogger<DatabaseChangeFeed>.Instance);
        var cached = new BacklogService(db, TestRules.Deadlines(), clock, TestUsers.Leader, new BacklogKpiCache(feed));
        var uncached = new BacklogService(db, TestRules.Deadlines(), clock, TestUsers.Leader);
        var before = Figures(await cached.KpisAsync(Ct));
        Assert.Equal(before, Figures(await cached.KpisAsync(Ct)));   // nothing written: the same figures
        var totalsBefore = await GridTotalsAsync(cached, await cached.KpisAsync(Ct));
        Assert.Equal(await GridTotalsAsync(uncached, await cached.KpisAsync(Ct)), totalsBefore);
        var versionBefore = feed.Version;

        await write();

        var after = Figures(await cached.KpisAsync(Ct));
        var recount = Figures(await uncached.KpisAsync(Ct));
        Assert.Equal(recount, after);
        Assert.NotEqual(before, after);          // the write moved a figure, so a stale cache could not pass
        Assert.True(feed.Version > versionBefore, "the write moved the change counter");
        // The grid's totals under the cards' filters come from the cache (BacklogService.CountFromKpisAsync): each equals
        // a COUNT of its rows after the write too, and the first open after the write reads them (the grid asks first).
        var fresh = new BacklogService(db, TestRules.Deadlines(), clock, TestUsers.Leader, new BacklogKpiCache(new DatabaseChangeFeed(db, NullLogger<DatabaseChangeFeed>.Instance)));
        var kpis = await uncached.KpisAsync(Ct);
        Assert.Equal(await GridTotalsAsync(uncached, kpis), await GridTotalsAsync(fresh, kpis));
        Assert.Equal(await GridTotalsAsync(uncached, kpis), await GridTotalsAsync(cached, kpis));
    }

    /// <summary>The grid's total under every card's and bucket's filter, and under one no card links to (正常).</summary>
    private static async Task<string[]> GridTotalsAsync(BacklogService s, BacklogKpis k)
    {
        var totals = new List<string>();
        foreach (var f in k.Cards.Concat(k.Buckets).Select(f => f.Filter).Append(BacklogFilter.Default with { Deadline = DeadlineStatus.Normal }))
            totals.Add($"{f.ToUrl()}={(await s.QueryAsync(f, BacklogSort.MostOverdueFirst, 0, 20, Ct)).Total}");
        return [.. totals];
    }

    /// <summary>A counter that never moves: the cached service's grid total under 在办 is then the kept figure, not a COUNT
    /// — the reuse is real, and only the counter (the tests above) keeps it correct.</summary>
    [Fact]
    public async Task OpenTotal_IsTheKeptFigure_AtTheSameCounter()
    {
        await using var w = await RepeatWorld.CreateAsync();
        var cached = new BacklogService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Leader, new BacklogKpiCache(new StillFeed()));
        var kept = (await cached.KpisAsync(Ct))["open"].Count;
        await w.RegisterNewAsync(w.Draft());
        var recount = (await new BacklogService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Leader).QueryAsync(BacklogFilter.Default, BacklogSort.MostOverdueFirst, 0, 20, Ct)).Total;
        Assert.Equal(kept + 1, recount);
        Assert.Equal(kept, (await cached.QueryAsync(BacklogFilter.Default, BacklogSort.MostOverdueFirst, 0, 20, Ct)).Total);
    }

    /// <summary>
    /// The home prerender reads the counter once, before the cards: the grid under a card's or bucket's filter then takes
    /// its total from the cards it shows — no second read, and the figure as shown even when a write lands between the
    /// cards and the grid. Without the cards the grid reads the counter (the kept figure) or counts.
    /// </summary>
    [Fact]
    public async Task CardsShown_GiveTheGridTotal_WithoutASecondCounterRead()
    {
        await using var w = await RepeatWorld.CreateAsync();
        var feed = new StillFeed();
        var cached = new BacklogService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Leader, new BacklogKpiCache(feed));
        var shown = await cached.KpisAsync(await feed.RefreshAsync(Ct), Ct);
        var reads = feed.Reads;
        var sort = BacklogSort.MostOverdueFirst;
        var cards = shown.Cards.Concat(shown.Buckets).Where(f => f.Key is not ("assigned" or "repeats" or "highrisk")).ToList();
        Assert.Equal(9, cards.Count);
        foreach (var card in cards)
            Assert.Equal(card.Count, (await cached.QueryAsync(card.Filter, sort, 0, 20, shown, Ct)).Total);
        Assert.Equal(reads, feed.Reads);
        await cached.QueryAsync(BacklogFilter.Default, sort, 0, 20, Ct);
        Assert.Equal(reads + 1, feed.Reads);

        // No cache: the cards as computed, a write, then the grid — its total is the cards' figure; alone it recounts.
        var uncached = new BacklogService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Leader);
        var before = await uncached.KpisAsync(Ct);
        await w.RegisterNewAsync(w.Draft());
        Assert.Equal(before["open"].Count, (await uncached.QueryAsync(BacklogFilter.Default, sort, 0, 20, before, Ct)).Total);
        Assert.Equal(before["open"].Count + 1, (await uncached.QueryAsync(BacklogFilter.Default, sort, 0, 20, Ct)).Total);
    }

    private sealed class StillFeed : IChangeFeed
    {
        public int Reads { get; private set; }
        public long Version => 1;
        public event Action<ChangeNotice>? Changed { add { } remove { } }

        public Task<long> RefreshAsync(CancellationToken ct = default)
        {
            Reads++;
            return Task.FromResult(1L);
        }
    }

    private static string[] Figures(BacklogKpis k) =>
        [.. k.Cards.Concat(k.Buckets).Select(f => $"{f.Key}={f.Count} {f.Note}")];

    [Fact]
    public async Task Register_KpisEqualARecount()
    {
        await using var w = await RepeatWorld.CreateAsync();
        await AssertKpisFollowAsync(w.Db, w.Clock, () => w.RegisterNewAsync(w.Draft()));
    }

    [Fact]
    public async Task Import_KpisEqualARecount()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile().Row("KPI-1", (LedgerColumns.ReceivedOn, "2026-11-20")).Row("KPI-2", (LedgerColumns.ReceivedOn, "2026-10-02"));
        await AssertKpisFollowAsync(w.Db, w.Clock, async () => Assert.True((await w.ImportAsync(ledger)).Succeeded));
    }

    [Fact]
    public async Task Transition_KpisEqualARecount()
    {
        var data = new TestData(new DateOnly(2026, 10, 20));
        data.Unit("城关区");
        data.Petition("HAN").ReceivedOn(new(2026, 9, 16)).InHandling(new DateOnly(2026, 9, 30));
        data.Petition("REG").ReceivedOn(new(2026, 10, 12));
        await using var db = await TestDatabase.CreateAsync();
        await data.SaveAsync(db, Ct);
        var officer = FixedCurrentUser.For("duty1", [Roles.DutyOfficer]);
        var service = new CaseHandlingService(db, data.Deadlines, data.Clock(), new AccessGuard(officer),
            Options.Create(new SupervisionOptions()), Options.Create(new BacklogOptions()));

        await AssertKpisFollowAsync(db, data.Clock(), async () =>
        {
            await using var ctx = db.CreateDbContext();
            var version = (await ctx.Petitions.SingleAsync(p => p.CaseNumber == "HAN", Ct)).Version;
            // 答复: the petition leaves 办理中 for 已答复, no longer open.
            await service.RecordAsync("HAN", version, new CaseStepInput
            {
                Step = CaseStep.Reply, On = new(2026, 10, 19), Result = ReplyResult.Explained, Text = "已向信访人解释政策",
            }, Ct);
        });
    }

    [Fact]
    public async Task Assign_KpisEqualARecount()
    {
        await using var db = await TestDatabase.CreateAsync();
        var seed = await AssignmentSeed.CreateAsync(db, Ct);
        var clock = TestClock.AtShanghai(2026, 3, 21);
        var numbers = await seed.ThreadAsync(db, new DateOnly(2026, 2, 9), PetitionState.InHandling, 0, null, Ct);
        var service = AssignmentSeed.Service(db, clock, new TestAssignmentUser(TestAssignmentUser.Officer()));

        await AssertKpisFollowAsync(db, clock, () => service.AssignAsync(numbers[0], seed.Plan(), Ct));
    }

    [Fact]
    public async Task NightlyLevelJob_KpisEqualARecount()
    {
        var today = new DateOnly(2026, 3, 10);
        var clock = TestClock.AtShanghai(2026, 3, 10);
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = db.CreateDbContext())
        {
            // 31 days overdue at 督办: the job raises it to 挂牌督办, which is a KPI card.
            new PetitionDashboard.Tests.Features.Supervision.SupervisionSeed(ctx).Petition(today.AddDays(-31), level: SupervisionLevel.Supervise);
            await ctx.SaveChangesAsync(Ct);
        }
        var job = new SupervisionService(db, clock, Options.Create(new DeadlineOptions()), Options.Create(new SupervisionOptions()),
            Options.Create(new BacklogOptions()), NullLogger<SupervisionService>.Instance,
            new AccessGuard(FixedCurrentUser.For("督查员甲", [Roles.Supervisor])));

        await AssertKpisFollowAsync(db, clock, async () => Assert.Equal(1, (await job.RecomputeAsync(today, Ct)).Changed));
    }

    /// <summary>
    /// The scoring job writes only risk scores (and the training job a model): the 高风险初件 card must follow them too,
    /// though no petition or 包案 was written.
    /// </summary>
    [Fact]
    public async Task RiskScoring_KpisEqualARecount()
    {
        await using var w = await RepeatWorld.CreateAsync();
        await w.RegisterNewAsync(w.Draft());
        await AssertKpisFollowAsync(w.Db, w.Clock, async () =>
        {
            await using var ctx = w.Db.CreateDbContext();
            var model = new RiskModel { TrainedAtUtc = w.Clock.GetUtcNow().UtcDateTime, TrainedBy = "测试", Deployed = true, HighThreshold = 0.5 };
            ctx.RiskModels.Add(model);
            await ctx.SaveChangesAsync(Ct);
            var firstTime = await ctx.Petitions.Where(p => !p.IsRepeat).Select(p => p.Id).FirstAsync(Ct);
            ctx.RiskScores.Add(new RiskScore { PetitionId = firstTime, Score = 0.9, High = true, ModelId = model.Id, ScoredAtUtc = model.TrainedAtUtc });
            await ctx.SaveChangesAsync(Ct);
        });
    }

    /// <summary>
    /// A viewer opening while a write is still in its transaction (an import holds one for seconds) sees the figures
    /// without it — and once it commits, the next open sees them with it. A counter that moved before the commit (a
    /// PostgreSQL sequence) kept the figures without the write under the version that counted it, until the next write.
    /// </summary>
    [Fact]
    public async Task AWriteStillInItsTransaction_IsShownOnceItCommits()
    {
        await using var w = await RepeatWorld.CreateAsync();
        await w.RegisterNewAsync(w.Draft());
        var feed = new DatabaseChangeFeed(w.Db, NullLogger<DatabaseChangeFeed>.Instance);
        var cached = new BacklogService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Leader, new BacklogKpiCache(feed));
        var uncached = new BacklogService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Leader);
        var before = Figures(await cached.KpisAsync(Ct));

        await using (var writer = w.Db.CreateDbContext())
        {
            await using var tx = await writer.Database.BeginTransactionAsync(Ct);
            var petition = await writer.Petitions.Where(p => p.CurrentDueDate != null).OrderBy(p => p.Id).FirstAsync(Ct);
            petition.CurrentDueDate = RepeatWorld.Today.AddDays(-3);   // now 超期
            await writer.SaveChangesAsync(Ct);

            Assert.Equal(before, Figures(await cached.KpisAsync(Ct)));   // not committed: not seen, by the cache or a recount
            Assert.Equal(before, Figures(await uncached.KpisAsync(Ct)));
            await tx.CommitAsync(Ct);
        }

        var after = Figures(await cached.KpisAsync(Ct));
        Assert.NotEqual(before, after);
        Assert.Equal(Figures(await uncached.KpisAsync(Ct)), after);
    }

    [Fact]
    public async Task ManyViewersAtOnce_ShareOneComputation()
    {
        await using var w = await RepeatWorld.CreateAsync();
        await w.RegisterNewAsync(w.Draft());
        var feed = new DatabaseChangeFeed(w.Db, NullLogger<DatabaseChangeFeed>.Instance);
        var cache = new BacklogKpiCache(feed);
        var computations = 0;
        var service = new BacklogService(w.Db, TestRules.Deadlines(), w.Clock, TestUsers.Leader);

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.GetAsync(DateOnly.FromDateTime(w.Clock.GetUtcNow().DateTime),
            async ct => { Interlocked.Increment(ref computations); return await service.KpisAsync(ct); }, Ct)));

        Assert.Equal(1, computations);
        Assert.All(all, k => Assert.Same(all[0], k));
    }
}

public sealed class BacklogKpiCachePostgresTests : BacklogKpiCacheTests, IRunsOnPostgres;

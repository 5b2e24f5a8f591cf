using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Repeats.RepeatWorld;

namespace PetitionDashboard.Tests.Features.Repeats;

/// <summary>
/// /repeats' tabs kept per node (<see cref="RepeatPageCache{TRow}"/>): an open while nothing was written gets the kept page;
/// any write of a petition moves the database's counter and the next open reads again — what it shows always equals a fresh read.
/// </summary>
public sealed class RepeatPageCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly RepeatFilter November = new(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));

    private sealed class SettableFeed : IChangeFeed
    {
        public long Version { get; set; }

        public event Action<ChangeNotice>? Changed { add { } remove { } }

        public Task<long> RefreshAsync(CancellationToken ct = default) => Task.FromResult(Version);
    }

    [Fact]
    public async Task SameCounter_ReadsOnce_ACounterThatMoved_OrAnotherPageOrFilter_ReadsAgain()
    {
        var feed = new SettableFeed { Version = 7 };
        var cache = new RepeatPageCache<RankedThread>(feed);
        var reads = 0;
        Task<KeptRepeatPage<RankedThread>> Read(CancellationToken _) => Task.FromResult(new KeptRepeatPage<RankedThread>([new RankedThread(++reads, reads, null)], reads));

        var first = await cache.GetAsync(November, 0, 20, Read, Ct);
        Assert.Same(first, await cache.GetAsync(November, 0, 20, Read, Ct));
        Assert.Equal(1, reads);

        await cache.GetAsync(November, 1, 20, Read, Ct);
        await cache.GetAsync(November with { Category = "自然资源" }, 0, 20, Read, Ct);
        Assert.Equal(3, reads);

        feed.Version = 8;
        var after = await cache.GetAsync(November, 0, 20, Read, Ct);
        Assert.NotSame(first, after);
        Assert.Equal(4, reads);

        // A counter that could not be read (−1) never serves a kept page.
        feed.Version = -1;
        await cache.GetAsync(November, 0, 20, Read, Ct);
        await cache.GetAsync(November, 0, 20, Read, Ct);
        Assert.Equal(6, reads);
    }

    [Fact]
    public async Task KeptRanking_AfterARegisteredRepeat_ShowsWhatAFreshReadShows()
    {
        await using var w = await CreateAsync();
        var cached = CachedReports(w);
        var a1 = await w.RegisterNewAsync(w.Draft(receivedOn: new DateOnly(2026, 10, 1)));
        await w.RegisterRepeatAsync(w.Draft(receivedOn: new DateOnly(2026, 11, 3)), a1);

        var before = await cached.RankThreadsAsync(November, 0, 20, Ct);
        var row = Assert.Single(before.Items);
        Assert.Equal((a1.ThreadId, 1), (row.ThreadId, row.TimesInPeriod));
        Assert.Equal(before.Items, (await cached.RankThreadsAsync(November, 0, 20, Ct)).Items);

        await w.RegisterRepeatAsync(w.Draft(receivedOn: new DateOnly(2026, 11, 10)), a1);
        var after = await cached.RankThreadsAsync(November, 0, 20, Ct);
        var fresh = await w.Reports.RankThreadsAsync(November, 0, 20, Ct);
        row = Assert.Single(after.Items);
        Assert.Equal((a1.ThreadId, 2, 3), (row.ThreadId, row.TimesInPeriod, row.PetitionCount));
        Assert.Equal(fresh.Items, after.Items);
        Assert.Equal(fresh.Total, after.Total);
    }

    [Fact]
    public async Task KeptFirstToRepeat_AfterEachKindOfWrite_ShowsWhatAFreshReadShows()
    {
        await using var w = await CreateAsync();
        var cached = CachedReports(w);
        var a1 = await w.RegisterNewAsync(w.Draft(receivedOn: new DateOnly(2026, 10, 1)));
        Assert.Empty((await cached.FirstToRepeatAsync(November, 0, 20, Ct)).Items);

        // The thread's first repeat lands in November: the kept empty page must not be served.
        await w.RegisterRepeatAsync(w.Draft(receivedOn: new DateOnly(2026, 11, 3)), a1);
        var after = await cached.FirstToRepeatAsync(November, 0, 20, Ct);
        var row = Assert.Single(after.Items);
        Assert.Equal((a1.ThreadId, new DateOnly(2026, 11, 3), 2), (row.ThreadId, row.SecondReceivedOn, row.PetitionCount));
        Assert.Equal(after.Items, (await cached.FirstToRepeatAsync(November, 0, 20, Ct)).Items);

        // A repeat before the period makes the November one a later repeat: no longer 初转重 in November.
        await w.RegisterRepeatAsync(w.Draft(receivedOn: new DateOnly(2026, 10, 20)), a1);
        var fresh = await w.Reports.FirstToRepeatAsync(November, 0, 20, Ct);
        Assert.Empty(fresh.Items);
        var kept = await cached.FirstToRepeatAsync(November, 0, 20, Ct);
        Assert.Equal(fresh.Items, kept.Items);
        Assert.Equal(0, kept.Total);
    }

    private static RepeatReportService CachedReports(RepeatWorld w)
    {
        var feed = new DatabaseChangeFeed(w.Db, NullLogger<DatabaseChangeFeed>.Instance);
        return new RepeatReportService(w.Db, Options.Create(new RepeatOptions()), new AccessGuard(w.User), TestPersonalData.Protector,
            new RepeatPageCache<RankedThread>(feed), new RepeatPageCache<FirstRepeat>(feed));
    }
}

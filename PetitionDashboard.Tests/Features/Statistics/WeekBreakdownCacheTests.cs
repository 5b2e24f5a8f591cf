using Microsoft.Extensions.Logging.Abstractions;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Features.Statistics.StatisticsWorld;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// /statistics' breakdowns kept per node until the change counter moves (<see cref="WeekBreakdownCache"/>): after a write
/// what the page shows equals a recount from the rows, and leaders opening the page at once share one count.
/// </summary>
public class WeekBreakdownCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StatisticsService Cached(StatisticsWorld w, WeekBreakdownCache cache) => new(w.Db, w.Calculator,
        Microsoft.Extensions.Options.Options.Create(w.Options), Microsoft.Extensions.Options.Options.Create(w.Report), w.Schemes, w.Clock,
        TestUsers.Guard(Roles.Supervisor), cache);

    private static string[] Rows(WeekBreakdowns b) =>
        [.. b.ByCategory.Select(r => $"category {r.Key}={r.NewPetitions}/{r.RepeatPetitions}"), .. b.ByForm.Select(r => $"form {r.Key}={r.NewPetitions}/{r.RepeatPetitions}")];

    [Fact]
    public async Task AfterAWrite_TheKeptBreakdownsEqualARecount_ForAllUnitsAndForOne()
    {
        await using var w = await HandBuiltAsync();
        var feed = new DatabaseChangeFeed(w.Db, NullLogger<DatabaseChangeFeed>.Instance);
        var cached = Cached(w, new WeekBreakdownCache(feed));
        var before = Rows(await cached.BreakdownsAsync(W46, null, Ct));
        var beforeOfA = Rows(await cached.BreakdownsAsync(W46, w.A, Ct));
        Assert.Equal(Rows(await w.Service.BreakdownsAsync(W46, null, Ct)), before);
        Assert.Equal(before, Rows(await cached.BreakdownsAsync(W46, null, Ct)));   // nothing written: the kept figures
        var versionBefore = feed.Version;

        // A 来访 of unit A registered in W46: 城乡建设 and 来访 each count one more, for all units and for A.
        await using (var ctx = w.Db.CreateDbContext())
        {
            w.Petition(ctx, "P26", w.A, new DateOnly(2026, 11, 11), form: PetitionForm.Visit);
            await ctx.SaveChangesAsync(Ct);
        }

        var after = Rows(await cached.BreakdownsAsync(W46, null, Ct));
        Assert.True(feed.Version > versionBefore, "the write moved the change counter");
        Assert.Equal(Rows(await w.Service.BreakdownsAsync(W46, null, Ct)), after);
        Assert.NotEqual(before, after);          // a figure moved, so a stale cache could not pass
        Assert.Contains("form Visit=3/0", after);
        var afterOfA = Rows(await cached.BreakdownsAsync(W46, w.A, Ct));
        Assert.Equal(Rows(await w.Service.BreakdownsAsync(W46, w.A, Ct)), afterOfA);
        Assert.NotEqual(beforeOfA, afterOfA);
        // The one-breakdown read the exports and drill-downs use is the same figures.
        Assert.Equal((await cached.BreakdownsAsync(W46, null, Ct)).ByForm, await cached.BreakdownAsync(W46, null, byForm: true, Ct));
    }

    [Fact]
    public async Task ManyViewersAtOnce_ShareOneCount()
    {
        await using var w = await HandBuiltAsync();
        var cache = new WeekBreakdownCache(new DatabaseChangeFeed(w.Db, NullLogger<DatabaseChangeFeed>.Instance));
        var counts = 0;

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.GetAsync((W46, null),
            async ct => { Interlocked.Increment(ref counts); return await w.Service.BreakdownsAsync(W46, null, ct); }, Ct)));

        Assert.Equal(1, counts);
        Assert.All(all, b => Assert.Same(all[0], b));
        // Another week is another count.
        await cache.GetAsync((W45, null), async ct => { Interlocked.Increment(ref counts); return await w.Service.BreakdownsAsync(W45, null, ct); }, Ct);
        Assert.Equal(2, counts);
    }
}

public sealed class WeekBreakdownCachePostgresTests : WeekBreakdownCacheTests, IRunsOnPostgres;

using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Tests.Infrastructure;

/// <summary>
/// The one "kept until the change counter moves" mechanism behind the KPI cards and the repeats ranking: what a key keeps,
/// when it computes again, and that simultaneous misses share one computation.
/// </summary>
public sealed class ChangeCountedCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class SettableFeed : IChangeFeed
    {
        public long Version { get; set; }
        public int Reads { get; private set; }

        public event Action<ChangeNotice>? Changed { add { } remove { } }

        public Task<long> RefreshAsync(CancellationToken ct = default)
        {
            Reads++;
            return Task.FromResult(Version);
        }
    }

    [Fact]
    public async Task SameCounter_Keeps_PerKey_AMovedCounter_ComputesAgain()
    {
        var feed = new SettableFeed { Version = 3 };
        var cache = new ChangeCountedCache<string, int>(feed, maxEntries: 8);
        var computed = 0;
        Task<int> Compute(CancellationToken _) => Task.FromResult(++computed);

        Assert.Equal(1, await cache.GetAsync("a", Compute, Ct));
        Assert.Equal(1, await cache.GetAsync("a", Compute, Ct));
        Assert.Equal(2, await cache.GetAsync("b", Compute, Ct));
        feed.Version = 4;
        Assert.Equal(3, await cache.GetAsync("a", Compute, Ct));
        Assert.Equal(3, await cache.GetAsync("a", Compute, Ct));
        Assert.Equal(5, feed.Reads);   // every open reads the counter once

        // An unreadable counter (−1) never serves nor keeps a value.
        feed.Version = -1;
        Assert.Equal(4, await cache.GetAsync("a", Compute, Ct));
        Assert.Equal(5, await cache.GetAsync("a", Compute, Ct));
    }

    [Fact]
    public async Task AKnownVersion_TakesAnyValueAtLeastThatRecent_WithoutReadingTheCounter()
    {
        var feed = new SettableFeed { Version = 10 };
        var cache = new ChangeCountedCache<string, int>(feed, maxEntries: 8);
        var computed = 0;
        Task<int> Compute(CancellationToken _) => Task.FromResult(++computed);

        await cache.GetAsync("k", Compute, Ct);                          // kept at 10
        Assert.Equal(1, await cache.GetAsync("k", Compute, Ct, knownVersion: 9));
        Assert.Equal(1, await cache.GetAsync("k", Compute, Ct, knownVersion: 10));
        Assert.Equal(2, await cache.GetAsync("k", Compute, Ct, knownVersion: 11));
        Assert.Equal(1, feed.Reads);

        // An open that read an older counter after the newer value was kept computes for itself but leaves the newer one.
        feed.Version = 10;
        Assert.Equal(3, await cache.GetAsync("k", Compute, Ct));
        Assert.Equal(2, await cache.GetAsync("k", Compute, Ct, knownVersion: 11));
    }

    [Fact]
    public async Task SimultaneousMisses_OfOneKey_ShareOneComputation_OtherKeysDoNotWait()
    {
        var feed = new SettableFeed { Version = 1 };
        var cache = new ChangeCountedCache<string, object>(feed, maxEntries: 8);
        var release = new TaskCompletionSource();
        var computations = 0;
        async Task<object> Slow(CancellationToken ct)
        {
            Interlocked.Increment(ref computations);
            await release.Task.WaitAsync(ct);
            return new object();
        }

        var waiting = Enumerable.Range(0, 20).Select(_ => cache.GetAsync("page 1", Slow, Ct)).ToArray();
        // Another key is not held up by the first key's computation.
        var other = await cache.GetAsync("page 2", _ => Task.FromResult(new object()), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.NotNull(other);

        release.SetResult();
        var all = await Task.WhenAll(waiting);
        Assert.Equal(1, computations);
        Assert.All(all, v => Assert.Same(all[0], v));
    }

    [Fact]
    public async Task BeyondTheBound_TheNodeStartsOver_AndStillAnswersEveryKey()
    {
        var feed = new SettableFeed { Version = 1 };
        var cache = new ChangeCountedCache<int, int>(feed, maxEntries: 2);
        var computed = 0;
        Task<int> Compute(CancellationToken _) => Task.FromResult(++computed);

        Assert.Equal(1, await cache.GetAsync(1, Compute, Ct));
        Assert.Equal(2, await cache.GetAsync(2, Compute, Ct));
        Assert.Equal(3, await cache.GetAsync(3, Compute, Ct));   // the third key empties the cache first
        Assert.Equal(3, await cache.GetAsync(3, Compute, Ct));
        Assert.Equal(4, await cache.GetAsync(1, Compute, Ct));
    }
}

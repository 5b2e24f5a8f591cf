using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Components.Live;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Components;

/// <summary>The live bar (issue 12): "有 N 条新变化" counts what the grid does not show yet — never less.</summary>
public sealed class LiveChangesTests : ComponentTestContext
{
    private readonly SteppedFeed _feed = new();

    public LiveChangesTests() => Services.AddSingleton<IChangeFeed>(_feed);

    private static string Bar(IRenderedComponent<LiveChanges> cut) => cut.Find("[data-testid='live-refresh']").TextContent.Trim();

    [Fact]
    public void AWriteCommittingDuringTheReload_StaysOffered()
    {
        var reloads = 0;
        var cut = Render<LiveChanges>(p => p
            .Add(x => x.ShowBar, true)
            .Add(x => x.OnRefresh, () =>
            {
                reloads++;
                // The grid has read its rows; another write commits and the node's poll sees it before the reload ends.
                if (reloads == 1) _feed.Move(to: 12);
            }));
        _feed.Move(to: 11);
        cut.WaitForAssertion(() => Assert.Equal("有 1 条新变化，点击刷新", Bar(cut)));

        cut.Find("[data-testid='live-refresh']").Click();

        // Shown: the rows as of 11. The write counted 12 may be missing from them, so the bar offers it.
        cut.WaitForAssertion(() => Assert.Equal("有 1 条新变化，点击刷新", Bar(cut)));
        cut.Find("[data-testid='live-refresh']").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#live-changes-bar")));
        Assert.Equal(2, reloads);
    }

    [Fact]
    public void TheReload_ClearsWhatItShows()
    {
        var cut = Render<LiveChanges>(p => p.Add(x => x.ShowBar, true).Add(x => x.OnRefresh, () => { }));
        _feed.Move(to: 11);
        _feed.Move(to: 14);
        cut.WaitForAssertion(() => Assert.Equal("有 4 条新变化，点击刷新", Bar(cut)));

        cut.Find("[data-testid='live-refresh']").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#live-changes-bar")));
    }

    /// <summary>A counter at 10 that the test moves, announcing each move as the node's poll does.</summary>
    private sealed class SteppedFeed : IChangeFeed
    {
        private long _version = 10;

        public long Version => Interlocked.Read(ref _version);

        public event Action<ChangeNotice>? Changed;

        public Task<long> RefreshAsync(CancellationToken ct = default) => Task.FromResult(Version);

        public void Move(long to)
        {
            var from = Interlocked.Exchange(ref _version, to);
            Changed?.Invoke(new ChangeNotice(from, to));
        }
    }
}

using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Backlog.Pages;
using PetitionDashboard.Infrastructure.ChangeFeed;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Backlog;

/// <summary>
/// Live home page (issue 12): two circuits of one node share its change feed and KPI cache. A write made elsewhere
/// reaches both after the node's one read of the counter: the cards update in place, the grid keeps its rows and a bar
/// offers the change, and only the circuit that clicks it reloads.
/// </summary>
public sealed class BacklogLiveTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private TestDatabase _db = null!;
    private TestData _data = null!;
    private DatabaseChangeFeed _feed = null!;
    private BacklogKpiCache _cache = null!;
    private int _unitId;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _data = new TestData(Today);
        var county = _data.Unit("城关区");
        _data.Petition("XF-OVER").HandledBy(county).By("张伟").ReceivedDaysAgo(40).InHandling(38).OverdueBy(12);
        _data.Petition("XF-SOON").HandledBy(county).By("王芳").ReceivedDaysAgo(10).DueInDays(3);
        await _data.SaveAsync(_db, Xunit.TestContext.Current.CancellationToken);
        _unitId = county.Id;
        // The node's singletons: one feed, one cache, whatever the number of circuits.
        _feed = new DatabaseChangeFeed(_db, NullLogger<DatabaseChangeFeed>.Instance);
        _cache = new BacklogKpiCache(_feed);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private sealed class Circuit : ComponentTestContext
    {
        public IRenderedComponent<BacklogPage> Open()
        {
            RenderPopoverProvider();
            // A circuit: the interactive render (the prerender is BacklogPageTests' concern).
            Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
            return Render<BacklogPage>();
        }
    }

    private Circuit NewCircuit()
    {
        var c = new Circuit();
        // One database for both circuits: the test disposes it.
        c.AddHomePage(_db, _data, ownsDatabase: false);
        c.Services.AddSingleton<IChangeFeed>(_feed);
        c.Services.AddSingleton(_cache);
        return c;
    }

    private static string Kpi(IRenderedComponent<BacklogPage> cut, string key) => cut.Find($"[data-kpi='{key}'] .kpi-count").TextContent.Trim();

    private static List<string> Rows(IRenderedComponent<BacklogPage> cut) => cut.FindAll(".mud-table-body tr a").Select(a => a.TextContent.Trim()).ToList();

    [Fact]
    public async Task AWriteElsewhere_ReachesBothCircuits_CardsInPlace_GridBehindTheBar()
    {
        await using var first = NewCircuit();
        await using var second = NewCircuit();
        var a = first.Open();
        var b = second.Open();
        a.WaitForAssertion(() => Assert.Equal(["XF-OVER", "XF-SOON"], Rows(a)));
        b.WaitForAssertion(() => Assert.Equal(["XF-OVER", "XF-SOON"], Rows(b)));
        Assert.Equal("2", Kpi(b, "open"));

        // Registered by someone else (another circuit, node or the import): a new open petition, due in 8 days.
        await using (var ctx = _db.CreateDbContext())
        {
            var p = TestData.PetitionRow("XF-NEW", Today, PetitionState.Registered, unitId: _unitId, petitionerNames: "李娜");
            p.CurrentDueDate = Today.AddDays(8);
            ctx.Petitions.Add(p);
            await ctx.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        }
        await _feed.RefreshAsync(Xunit.TestContext.Current.CancellationToken);   // the node's poll

        foreach (var page in new[] { a, b })
        {
            page.WaitForAssertion(() => Assert.Equal("3", Kpi(page, "open")));
            page.WaitForAssertion(() => Assert.Equal("有 1 条新变化，点击刷新", page.Find("[data-testid='live-refresh']").TextContent.Trim()));
            Assert.Equal(["XF-OVER", "XF-SOON"], Rows(page));   // the grid did not move under the reader
        }

        b.Find("[data-testid='live-refresh']").Click();

        b.WaitForAssertion(() => Assert.Equal(["XF-OVER", "XF-SOON", "XF-NEW"], Rows(b)));
        b.WaitForAssertion(() => Assert.Empty(b.FindAll("#live-changes-bar")));
        Assert.Equal(["XF-OVER", "XF-SOON"], Rows(a));           // the other reader still decides when
        Assert.Single(a.FindAll("#live-changes-bar"));
    }

    [Fact]
    public async Task AWriteBetweenThePrerenderAndTheCircuit_IsCountedInTheBarAtOnce()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var prerenderedAt = await _feed.RefreshAsync(ct);   // the prerender read the rows at this counter
        await using (var ctx = _db.CreateDbContext())
        {
            var p = TestData.PetitionRow("XF-NEW", Today, PetitionState.Registered, unitId: _unitId, petitionerNames: "李娜");
            p.CurrentDueDate = Today.AddDays(8);
            ctx.Petitions.Add(p);
            await ctx.SaveChangesAsync(ct);
        }
        await _feed.RefreshAsync(ct);

        await using var circuit = NewCircuit();
        // Rows carried over from the prerender miss the write: the bar offers it as soon as the circuit starts, and the page
        // is told at once (its carried cards catch up in place), from the counter the prerender read to the node's.
        var notices = new List<ChangeNotice>();
        var carried = circuit.Render<PetitionDashboard.Components.Live.LiveChanges>(p => p.Add(x => x.ShowBar, true).Add(x => x.Since, prerenderedAt)
            .Add(x => x.OnChange, (ChangeNotice n) => notices.Add(n)));
        carried.WaitForAssertion(() => Assert.Equal("有 1 条新变化，点击刷新", carried.Find("[data-testid='live-refresh']").TextContent.Trim()));
        carried.WaitForAssertion(() => Assert.Equal([new ChangeNotice(prerenderedAt, _feed.Version)], notices));
        // Rows read by the circuit itself are current: no bar.
        var fresh = circuit.Render<PetitionDashboard.Components.Live.LiveChanges>(p => p.Add(x => x.ShowBar, true)
            .Add(x => x.OnChange, (ChangeNotice n) => notices.Add(n)));
        Assert.Empty(fresh.FindAll("#live-changes-bar"));
        Assert.Single(notices);
    }
}

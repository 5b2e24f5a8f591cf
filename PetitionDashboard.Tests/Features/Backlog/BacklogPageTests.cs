using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Backlog.Pages;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Backlog;

/// <summary>The leaders' home page rendered with bUnit over a real SQLite database.</summary>
public sealed class BacklogPageTests : ComponentTestContext, IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var data = new TestData(Today);
        var county = data.Unit("城关区");
        data.Petition("XF-OVER").HandledBy(county).By("张伟").ReceivedDaysAgo(40).InHandling(38).OverdueBy(12)
            .Supervision(SupervisionLevel.Listed);
        data.Petition("XF-SOON").HandledBy(county).By("王芳").ReceivedDaysAgo(10).DueInDays(3);
        data.Petition("XF-NORM").HandledBy(county).By("李娜").ReceivedDaysAgo(2).DueInDays(20);
        data.Petition("XF-OLD").HandledBy(county).By("赵强").ReceivedDaysAgo(200).Finished();
        await data.SaveAsync(_db, Xunit.TestContext.Current.CancellationToken);
        this.AddHomePage(_db, data);
    }

    private BunitNavigationManager Nav => (BunitNavigationManager)Services.GetRequiredService<NavigationManager>();

    private IRenderedComponent<BacklogPage> RenderPage(string url = "/", bool interactive = true)
    {
        // The page renders twice per open: the prerender (static HTML, rows included) and the interactive render.
        Renderer.SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", interactive));
        Nav.NavigateTo(url);
        RenderPopoverProvider();
        return Render<BacklogPage>();
    }

    private static string Kpi(IRenderedComponent<BacklogPage> cut, string key) =>
        cut.Find($"[data-kpi='{key}'] .kpi-count").TextContent.Trim();

    private static List<string> CaseNumbersInGrid(IRenderedComponent<BacklogPage> cut) =>
        cut.FindAll(".mud-table-body tr a").Select(a => a.TextContent.Trim()).ToList();

    [Fact]
    public void KpiCards_ShowTheCounts()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("3", Kpi(cut, "open")));
        Assert.Equal("1", Kpi(cut, "overdue"));
        Assert.Equal("1", Kpi(cut, "duesoon"));
        Assert.Equal("1", Kpi(cut, "listed"));
        Assert.Equal("0", Kpi(cut, "assigned"));
        Assert.Contains("统计日期 2026年11月23日", cut.Markup);
        Assert.Equal("2", cut.Find("[data-bucket='age:UpTo15'] .bucket-count").TextContent.Trim());
        Assert.Equal("1", cut.Find("[data-bucket='age:Days16To60'] .bucket-count").TextContent.Trim());
    }

    [Fact]
    public void Prerender_ShowsTheFirstPageInTheHtml_AndCarriesItToTheInteractiveRender()
    {
        var cut = RenderPage("/", interactive: false);

        // No circuit yet: the rows are in the first HTML, most overdue first, with the total instead of the pager.
        Assert.Equal(["XF-OVER", "XF-SOON", "XF-NORM"], CaseNumbersInGrid(cut));
        Assert.Equal(["超期 12 天", "剩 3 天", "剩 20 天"], cut.FindAll(".deadline-chip").Select(c => c.TextContent.Trim()));
        Assert.Contains("共 3 条", cut.Markup);
        Assert.Equal("3", Kpi(cut, "open"));
        // What the interactive render takes over instead of querying again: the same page under the same filter.
        var first = cut.Instance.FirstOpen;
        Assert.NotNull(first);
        Assert.Equal(BacklogFilter.Default.ToUrl(), first.Key);
        Assert.Equal(3, first.Data.FirstPage.Total);
        Assert.Equal(["XF-OVER", "XF-SOON", "XF-NORM"], first.Data.FirstPage.Rows.Select(r => r.CaseNumber));
        // … and the cards: the circuit shows them without reading them (or the change counter) again.
        Assert.Equal((Today, 3, 1), (first.Data.Kpis.Today, first.Data.Kpis["open"].Count, first.Data.Kpis["overdue"].Count));
    }

    [Fact]
    public void Prerender_CarriesTheCards_IntactThroughTheJsonTrip_WithTheFiltersTheyLinkTo()
    {
        var cut = RenderPage("/?status=overdue", interactive: false);
        var carried = cut.Instance.FirstOpen!.Data.Kpis;

        // Persisted component state travels as JSON with the web defaults.
        var web = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var back = System.Text.Json.JsonSerializer.Deserialize<BacklogFirstOpen>(System.Text.Json.JsonSerializer.Serialize(cut.Instance.FirstOpen.Data, web), web)!;

        Assert.Equal(carried.Today, back.Kpis.Today);
        Assert.Equal(carried.Cards, back.Kpis.Cards);       // key, label, count, note and filter (the card a filter highlights)
        Assert.Equal(carried.Buckets, back.Kpis.Buckets);
        Assert.Equal(BacklogFilter.Default with { Deadline = DeadlineStatus.Overdue }, back.Kpis["overdue"].Filter);
        Assert.Equal(cut.Instance.FirstOpen.Data.Version, back.Version);
    }

    [Fact]
    public void Prerender_OfARefusedDateRange_CarriesTheCardsAndNoRows()
    {
        var cut = RenderPage("/?from=2026-11-20&to=2026-11-01", interactive: false);

        Assert.Contains("不能晚于截止日期", cut.Markup);
        Assert.Empty(CaseNumbersInGrid(cut));
        var first = cut.Instance.FirstOpen!.Data;
        Assert.Equal((0, 3), (first.FirstPage.Total, first.Kpis["open"].Count));
    }

    [Fact]
    public void Prerender_OfAFilteredUrl_ShowsOnlyItsRows()
    {
        var cut = RenderPage("/?status=overdue", interactive: false);

        Assert.Equal(["XF-OVER"], CaseNumbersInGrid(cut));
        Assert.Contains("共 1 条", cut.Markup);
    }

    [Fact]
    public void Grid_ShowsMostOverdueFirst_WithDeadlineChips()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(["XF-OVER", "XF-SOON", "XF-NORM"], CaseNumbersInGrid(cut)));
        var chips = cut.FindAll(".deadline-chip").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["超期 12 天", "剩 3 天", "剩 20 天"], chips);
        Assert.Contains("第 1-3 条，共 3 条", cut.Markup);
    }

    [Fact]
    public void ClickingAColumnHeader_SortsInSql_AscendingThenDescendingThenTheDefaultAgain()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(["XF-OVER", "XF-SOON", "XF-NORM"], CaseNumbersInGrid(cut)));
        Assert.Equal("ascending", cut.Find("th[aria-sort]").GetAttribute("aria-sort"));
        Assert.Contains("当前期限", cut.Find("th[aria-sort]").TextContent);
        var caseNumberHeader = () => cut.FindAll(".sortable-column-header").Single(h => h.TextContent.Trim() == "信访编号");

        caseNumberHeader().Click();
        cut.WaitForAssertion(() => Assert.Equal(["XF-NORM", "XF-OVER", "XF-SOON"], CaseNumbersInGrid(cut)));
        Assert.Contains("信访编号", cut.Find("th[aria-sort='ascending']").TextContent);

        caseNumberHeader().Click();
        cut.WaitForAssertion(() => Assert.Equal(["XF-SOON", "XF-OVER", "XF-NORM"], CaseNumbersInGrid(cut)));
        Assert.Contains("信访编号", cut.Find("th[aria-sort='descending']").TextContent);

        caseNumberHeader().Click();
        cut.WaitForAssertion(() => Assert.Equal(["XF-OVER", "XF-SOON", "XF-NORM"], CaseNumbersInGrid(cut)));
        Assert.Empty(cut.FindAll("th[aria-sort]"));
        Assert.Contains("第 1-3 条，共 3 条", cut.Markup);
        // Three rows fit one page: every pager button is disabled.
        Assert.All(cut.FindAll(".mud-table-pagination-actions button"), b => Assert.True(b.HasAttribute("disabled")));
    }

    [Fact]
    public void AFilterWithNoRows_SaysSo()
    {
        var cut = RenderPage("/?status=overdue&supervision=supervise");

        cut.WaitForAssertion(() => Assert.Contains("没有符合条件的信访件", cut.Find(".mud-table-body").TextContent));
        Assert.Empty(CaseNumbersInGrid(cut));
        Assert.Contains("第 0-0 条，共 0 条", cut.Markup);
    }

    [Fact]
    public void ClickingAKpi_NavigatesToTheUrlOfExactlyThatFilter_AndTheGridFollows()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, CaseNumbersInGrid(cut).Count));

        // The card is a link (a router navigation, never a circuit click that a re-render could lose): follow it.
        var href = cut.Find("[data-kpi='overdue']").GetAttribute("href");
        Assert.Equal("/?status=overdue", href);
        Nav.NavigateTo(href!);

        Assert.Equal("/?status=overdue", Nav.History.First().Uri);
        cut.WaitForAssertion(() => Assert.Equal(["XF-OVER"], CaseNumbersInGrid(cut)));
        Assert.Contains("当前筛选：在办件 · 超期", cut.Markup);
    }

    [Fact]
    public void ClickingABucket_NavigatesToItsAgeFilter()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, CaseNumbersInGrid(cut).Count));

        var href = cut.Find("[data-bucket='age:Days16To60']").GetAttribute("href");
        Assert.Equal("/?age=16-60", href);
        Nav.NavigateTo(href!);

        Assert.Equal("/?age=16-60", Nav.History.First().Uri);
        cut.WaitForAssertion(() => Assert.Equal(["XF-OVER"], CaseNumbersInGrid(cut)));
    }

    [Fact]
    public void AFilteredUrl_OpensWithOnlyItsRows()
    {
        var cut = RenderPage("/?scope=all&q=%E8%B5%B5");   // q=赵

        cut.WaitForAssertion(() => Assert.Equal(["XF-OLD"], CaseNumbersInGrid(cut)));
        Assert.Contains("含“赵”", cut.Markup);
    }

    [Fact]
    public void ClearingTheFilter_GoesBackToThePlainHomeUrl()
    {
        var cut = RenderPage("/?status=duesoon");
        cut.WaitForAssertion(() => Assert.Equal(["XF-SOON"], CaseNumbersInGrid(cut)));

        cut.Find("#backlog-clear").Click();

        Assert.Equal("/", Nav.History.First().Uri);
        cut.WaitForAssertion(() => Assert.Equal(3, CaseNumbersInGrid(cut).Count));
    }

    [Fact]
    public void ClickingARow_OpensTheCasePage()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, CaseNumbersInGrid(cut).Count));

        cut.FindAll(".mud-table-body tr")[1].Click();

        // The row's handler runs on the renderer's dispatcher: wait for the navigation instead of reading history at once.
        cut.WaitForAssertion(() => Assert.Equal("/cases/XF-SOON", Nav.History.First().Uri));
    }

    [Fact]
    public void FilterBar_ClosedBoxesNameTheirValue_WithoutOptionItems_AndAnOpenedListOffersEveryOption()
    {
        var cut = RenderPage("/?status=overdue&repeat=0&reception=1");
        cut.WaitForAssertion(() => Assert.Equal("3", Kpi(cut, "open")));

        // Closed: each box shows the label of the URL's value, and no option list is rendered (not even hidden).
        Assert.Equal("超期", cut.Find("input#backlog-status").GetAttribute("value"));
        Assert.Equal("领导接访件", cut.Find("input#filter-reception").GetAttribute("value"));
        Assert.Equal("全部", cut.Find("input#backlog-risk").GetAttribute("value"));
        Assert.Contains(cut.FindAll("input.mud-select-input"), i => i.GetAttribute("value") == "初件");
        Assert.Empty(cut.FindComponents<MudSelectItem<string>>());

        // Opened: the list holds every option; picking one navigates to the URL of that filter.
        cut.Find("#backlog-status").ParentElement!.QuerySelector(".mud-input-control-input-container, .mud-select-input, .mud-input")!.MouseDown();
        var popover = RenderPopoverProvider();
        popover.WaitForAssertion(() => Assert.Equal(["在办件", "超期", "临期", "正常", "全部信访件"],
            popover.FindAll(".mud-popover-open .mud-list-item").Select(o => o.TextContent.Trim())));
        popover.FindAll(".mud-popover-open .mud-list-item").Single(o => o.TextContent.Trim() == "临期").Click();
        cut.WaitForAssertion(() => Assert.Equal("/?status=duesoon&repeat=0&reception=1", Nav.History.First().Uri));
    }

    [Fact]
    public void RarelyUsedFilters_AreBehindMoreFilters_UnlessOneIsInForce()
    {
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, CaseNumbersInGrid(cut).Count));
        Assert.Empty(cut.FindAll("#filter-reception"));
        Assert.Empty(cut.FindAll("#backlog-risk"));

        cut.Find("#backlog-more-filters").Click();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("#filter-reception")));
        Assert.Single(cut.FindAll("#backlog-risk"));
        Assert.Contains("登记日期起", cut.Markup);

        // Set by the URL (e.g. the 高风险初件 card): shown without asking.
        Nav.NavigateTo("/?risk=high");
        cut.WaitForAssertion(() => Assert.Equal("高风险初件", cut.Find("input#backlog-risk").GetAttribute("value")));
    }
}

using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Backlog.Pages;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Backlog;

/// <summary>The home page's pager: pages are read in SQL, one at a time, in the grid's sort.</summary>
public sealed class BacklogGridPagingTests : ComponentTestContext, IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        var data = new TestData(new DateOnly(2026, 11, 23));
        var county = data.Unit("城关区");
        // 23 open petitions, due one day apart: the default sort (earliest deadline first) is case-number order.
        for (var i = 1; i <= 23; i++) data.Petition($"PG-{i:D2}").HandledBy(county).ReceivedDaysAgo(10).DueInDays(i);
        await data.SaveAsync(_db, Xunit.TestContext.Current.CancellationToken);
        this.AddHomePage(_db, data);
    }

    private static List<string> Rows(IRenderedComponent<BacklogPage> cut) => cut.FindAll(".mud-table-body tr a").Select(a => a.TextContent.Trim()).ToList();

    private static void Press(IRenderedComponent<BacklogPage> cut, string label) =>
        cut.Find($".mud-table-pagination-actions button[aria-label='{label}']").Click();

    [Fact]
    public void Pager_MovesThroughThePages_AndASortStartsAgainOnTheFirst()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", true));
        RenderPopoverProvider();
        var cut = Render<BacklogPage>();
        var first20 = Enumerable.Range(1, 20).Select(i => $"PG-{i:D2}").ToList();
        cut.WaitForAssertion(() => Assert.Equal(first20, Rows(cut)));
        Assert.Contains("第 1-20 条，共 23 条", cut.Markup);
        Assert.True(cut.Find(".mud-table-pagination-actions button[aria-label='上一页']").HasAttribute("disabled"));

        Press(cut, "下一页");
        cut.WaitForAssertion(() => Assert.Equal(["PG-21", "PG-22", "PG-23"], Rows(cut)));
        Assert.Contains("第 21-23 条，共 23 条", cut.Markup);
        Assert.True(cut.Find(".mud-table-pagination-actions button[aria-label='末页']").HasAttribute("disabled"));

        Press(cut, "首页");
        cut.WaitForAssertion(() => Assert.Equal(first20, Rows(cut)));

        Press(cut, "末页");
        cut.WaitForAssertion(() => Assert.Equal(["PG-21", "PG-22", "PG-23"], Rows(cut)));

        // Sorting by case number descending (two clicks) starts again on the first page.
        cut.FindAll(".sortable-column-header").Single(h => h.TextContent.Trim() == "信访编号").Click();
        cut.WaitForAssertion(() => Assert.Equal(first20, Rows(cut)));
        cut.FindAll(".sortable-column-header").Single(h => h.TextContent.Trim() == "信访编号").Click();
        cut.WaitForAssertion(() => Assert.Equal(Enumerable.Range(4, 20).Reverse().Select(i => $"PG-{i:D2}").ToList(), Rows(cut)));
        Assert.Contains("第 1-20 条，共 23 条", cut.Markup);
    }

    /// <summary>
    /// The page-size box (the app's one pager, TablePager): closed markup naming the size, no MudSelect in the circuit
    /// until it is opened; opened, it offers every size, and a bigger one shows every row on one page.
    /// </summary>
    [Fact]
    public void PageSizeBox_IsClosedMarkupUntilOpened_AndABiggerSizeShowsEveryRow()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", true));
        RenderPopoverProvider();
        var cut = Render<BacklogPage>();
        cut.WaitForAssertion(() => Assert.Equal(20, Rows(cut).Count));
        var box = cut.Find("input[aria-labelledby='backlog-rows-per-page']");
        Assert.Equal("20", box.GetAttribute("value"));
        Assert.Equal("每页行数：", cut.Find("#backlog-rows-per-page").TextContent);
        Assert.Empty(cut.FindComponents<MudBlazor.MudSelect<int>>());

        box.Closest("div.mud-input-control")!.MouseDown();
        var popover = RenderPopoverProvider();
        popover.WaitForAssertion(() => Assert.Equal(["20", "50", "100"],
            popover.FindAll(".mud-popover-open .mud-list-item").Select(o => o.TextContent.Trim())));
        popover.FindAll(".mud-popover-open .mud-list-item").Single(o => o.TextContent.Trim() == "50").Click();
        cut.WaitForAssertion(() => Assert.Equal(23, Rows(cut).Count));
        Assert.Contains("第 1-23 条，共 23 条", cut.Markup);
        Assert.True(cut.Find(".mud-table-pagination-actions button[aria-label='下一页']").HasAttribute("disabled"));
    }
}

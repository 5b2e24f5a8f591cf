using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Tests.Features.Assignments;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// 领导包案 in Chromium: a duty officer assigns a case, the leader finds it in 我的包案. The user is switched through the
/// feature's <see cref="ICurrentUser"/> (sign-in belongs to the accounts feature); the clock is pinned so the
/// deadline crosses the 2026 端午 holiday.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AssignmentBrowserTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Officer_AssignsACase_AndTheLeaderFindsItInMyAssignments()
    {
        // The machine is shared with parallel builds: give auto-retrying expectations the same patience as the page's actions.
        var clock = TestClock.AtShanghai(2026, 3, 21);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var data = await AssignmentDemo.SeedAsync(host.Database, clock, Ct);
        var page = await fixture.SignedInPageAsync(Roles.DutyOfficer, host, leaderId: data.Zhang);

        // The officer opens the case and assigns it to 张三.
        await page.GotoAsync($"/assignments?case={data.FreeCase}");
        await BrowserFixture.WaitForCircuitAsync(page, "#case-assignment-panel");
        await Assertions.Expect(page.Locator("#case-assignment-panel")).ToContainTextAsync("未包案");
        await page.Locator("[data-testid=assign-button]").ClickAsync();
        await Assertions.Expect(page.Locator("#assign-deadline")).ToContainTextAsync("化解期限：2026-06-22");
        await page.Locator("#assign-leader").ClickAsync();
        var option = page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "张三（副市长）" });
        await Assertions.Expect(option).ToContainTextAsync("在办 3");
        await BrowserFixture.ScreenshotAsync(page, "assignments-dialog-leaders");
        await option.ClickAsync();
        // The pick's render must land before typing: a text field typed into while the dialog re-renders from the pick
        // can be written back with its old (empty) value before its change event (seen once under CI load).
        await Assertions.Expect(page.Locator("#assign-leader")).ToHaveValueAsync("张三（副市长）");
        await page.Locator("#assign-responsible").FillAsync("赵六");
        await page.Locator("#assign-stability").FillAsync("社区书记钱七");
        await page.Locator("#assign-plan").FillAsync("约谈开发商，督促限期交房；每周向信访人通报进展");
        await BrowserFixture.ScreenshotAsync(page, "assignments-dialog-filled");
        await page.Locator("#assign-submit").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已交 张三（副市长）包案，化解期限 2026-06-22");
        await Assertions.Expect(page.Locator("#case-assignment-panel")).ToContainTextAsync("包案领导：张三（副市长）");

        // 张三 signs in: the case is in his list; the relapsed case is first and flagged.
        var officerPage = page;
        page = await fixture.SignedInPageAsync(Roles.Leader, host);
        // The first page and the 反弹 banner are in the prerendered HTML (read once, carried to the circuit).
        var html = await (await page.APIRequest.GetAsync("/assignments/mine")).TextAsync();
        Assert.Contains(data.FreeCase, html);
        Assert.Contains("有 1 件包案反弹", html);
        await page.GotoAsync("/assignments/mine");
        var list = await BrowserFixture.WaitForCircuitAsync(page, "#assignment-list tbody tr.mud-table-row");
        await Assertions.Expect(page.Locator("#assignment-list")).ToContainTextAsync(data.FreeCase);
        await Assertions.Expect(page.Locator("#relapsed-alert")).ToContainTextAsync("有 1 件包案反弹");
        await Assertions.Expect(list).ToContainTextAsync("反弹");
        await BrowserFixture.ScreenshotAsync(page, "assignments-mine");
        await page.Locator("#assignment-list tbody tr.mud-table-row").Filter(new() { HasText = data.FreeCase }).Locator("td").First.ClickAsync();
        await Assertions.Expect(page.Locator("#assignment-detail")).ToContainTextAsync("约谈开发商，督促限期交房");
        await Assertions.Expect(page.Locator("#history-table")).ToContainTextAsync("未包案 → 张三（副市长）包案");
        await BrowserFixture.ScreenshotAsync(page, "assignments-detail");

        // The supervisor's workload view counts it.
        var leaderPage = page;
        page = await fixture.SignedInPageAsync(Roles.Supervisor, host);
        await page.GotoAsync("/assignments/workload");
        var table = await BrowserFixture.WaitForCircuitAsync(page, "#workload-table");
        await Assertions.Expect(table.Locator("tr").Filter(new() { HasText = "张三" })).ToContainTextAsync("4");
        await BrowserFixture.ScreenshotAsync(page, "assignments-workload");
        // A phone opens the page at its width (resized in place, the drawer would still be sliding away in the picture).
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await BrowserFixture.WaitForCircuitAsync(page, "#workload-table");
        await BrowserFixture.ScreenshotAsync(page, "assignments-workload-390");
        // Each count is a real link to the leader's list with that filter (plain anchors, not MudLink components).
        await table.Locator("tr").Filter(new() { HasText = "张三" }).Locator("td").Nth(2).Locator("a").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/assignments/leaders/", StringComparison.Ordinal) && url.EndsWith("?filter=open", StringComparison.Ordinal));
        await BrowserFixture.WaitForCircuitAsync(page, "#assignment-list");

        // A pasted 集中交办 list with a closed-over and an unknown number: listed, nothing assigned.
        var supervisorPage = page;
        page = officerPage;
        await page.GotoAsync("/assignments/batches");
        await BrowserFixture.WaitForCircuitAsync(page, "#batch-list tbody tr.mud-table-row");
        await BrowserFixture.ScreenshotAsync(page, "assignments-batches");
        await page.Locator("#bulk-case-numbers").FillAsync($"{data.FreeCase}\nLC-NO-SUCH");
        await page.Locator("#bulk-open").ClickAsync();
        await Assertions.Expect(page.Locator("#assign-problems")).ToContainTextAsync("信访编号不存在");
        await Assertions.Expect(page.Locator("#assign-problems")).ToContainTextAsync("已包案：由 张三（副市长）于 2026-03-21");
        await Assertions.Expect(page.Locator("#assign-submit")).ToBeDisabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "assignments-batch-refused");
        // Every page closed before the host stops, so the lost connections are not console errors of this test.
        foreach (var open in new[] { officerPage, leaderPage, supervisorPage }) await open.Context.CloseAsync();
    }

    [Fact]
    public async Task MyAssignments_PrerenderedRows_StayWhenTheCircuitStarts_NoBlink()
    {
        var clock = TestClock.AtShanghai(2026, 3, 21);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var data = await AssignmentDemo.SeedAsync(host.Database, clock, Ct);
        var page = await fixture.SignedInPageAsync(Roles.Leader, host, leaderId: data.Zhang);
        const string rows = "#assignment-list tbody tr.mud-table-row";
        await PrerenderedRows.WatchAsync(page, rows);

        await page.GotoAsync("/assignments/mine");
        await BrowserFixture.WaitForCircuitAsync(page, rows);
        var (prerendered, removals, changes, now) = await PrerenderedRows.ReadAsync(page, rows);
        // 张三's three 包案, the relapsed one first: in the HTML, and the same rows on screen once the circuit runs, never gone between.
        Assert.Equal(3, prerendered.Length);
        Assert.Contains(data.RelapsedCase, prerendered[0]);
        Assert.Equal(0, removals);
        Assert.Empty(changes);
        Assert.Equal(prerendered, now);
        await Assertions.Expect(page.Locator("#assignment-list .mud-table-pagination")).ToContainTextAsync("第 1-3 条，共 3 条");

        // The circuit drives the list: 反弹 shows the one relapsed 包案, 全部 the three again.
        await page.Locator(".mud-chipset .mud-chip").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{AssignmentUi.FilterName(AssignmentFilter.Relapsed)}\\s*$") }).ClickAsync();
        await Assertions.Expect(page.Locator(rows)).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(rows).First).ToContainTextAsync(data.RelapsedCase);
        await page.Context.CloseAsync();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Browser;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Instructions;

/// <summary>
/// 领导批示 in Chromium (docs/rules.md §12): on Monday 2026-11-23 a Leader writes a 批示 on a case to two units (default
/// deadline 2026-12-07, ten working days); a duty officer records one unit's 反馈; the other unit never answers. On the
/// deadline day nothing is overdue; the app restarted on 2026-12-08 (pinned clock, same database) shows the 批示 as
/// 超期未反馈 on the home page of Leaders and Supervisors, linking to the case. Screenshots at 1440 and 390 px:
/// artifacts/screenshots/instructions-*.png.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class InstructionBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Instruction_OneUnitResponds_TheOtherDoesNot_OverdueOnTheHomePageTheDayAfterTheDeadline()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var data = new TestData(new DateOnly(2026, 11, 23));
        data.Unit("批示城关区");
        data.Unit("批示住建局", UnitKind.CityDepartment);
        var leader = data.Leader("李明", "副局长");
        data.Petition("PS-BR-001").ReceivedDaysAgo(5).Demand("反映小区停车位被长期占用，要求清理。");
        await data.SaveAsync(database, ct);

        await using (var writing = await AppHost.StartOnAsync(database, new Dictionary<string, string?> { ["Clock:Now"] = "2026-11-23T09:00:00+08:00" }))
        {
            var page = await fixture.SignedInPageAsync(Roles.Leader, writing, leader.Id);
            await page.GotoAsync("/cases/PS-BR-001");
            await (await BrowserFixture.WaitForCircuitAsync(page, "#instruction-new")).ClickAsync();
            await page.Locator("#instruction-text").FillAsync("请两单位联合核查，十个工作日内反馈处理结果。");
            await page.Locator("#instruction-units").GetByText("批示城关区").ClickAsync();
            await page.Locator("#instruction-units").GetByText("批示住建局").ClickAsync();
            await Assertions.Expect(page.Locator("#instruction-due")).ToHaveValueAsync("2026-12-07");
            await page.Locator("#instruction-important").ClickAsync();
            await page.Locator("#instruction-save").ClickAsync();
            var card = page.Locator("#case-instructions .instruction-card");
            await Assertions.Expect(card).ToContainTextAsync("请两单位联合核查");
            await Assertions.Expect(card).ToContainTextAsync("反馈期限 2026-12-07");
            await Assertions.Expect(card).ToContainTextAsync("已反馈 0/2");
            await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("领导批示");

            await page.GotoAsync("/instructions/mine");
            await BrowserFixture.WaitForCircuitAsync(page, "#my-instructions .instruction-card");
            await Assertions.Expect(page.Locator("#my-instructions")).ToContainTextAsync("PS-BR-001");
            await BrowserFixture.ScreenshotAsync(page, "instructions-mine-1440");
            await BrowserFixture.PhoneWidthAsync(page);
            await BrowserFixture.ScreenshotAsync(page, "instructions-mine-390");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "我的批示在 390 px 下不应横向滚动");
            await page.Context.CloseAsync();

            // A duty officer records the 城关区 反馈; 住建局 never answers.
            var officer = await fixture.SignedInPageAsync(Roles.DutyOfficer, writing);
            await officer.GotoAsync("/cases/PS-BR-001");
            await (await BrowserFixture.WaitForCircuitAsync(officer, "[data-testid='respond-批示城关区']")).ClickAsync();
            await officer.Locator("#response-text").FillAsync("已现场核查，清理占用车位 12 个。");
            await officer.Locator("#response-attachment").FillAsync("城关区关于停车位问题的报告.pdf");
            await officer.Locator("#response-save").ClickAsync();
            var unitRow = officer.Locator("#case-instructions .instruction-unit[data-unit='批示城关区']");
            await Assertions.Expect(unitRow).ToContainTextAsync("2026-11-23 反馈");
            await Assertions.Expect(officer.Locator("#case-instructions .instruction-card")).ToContainTextAsync("已反馈 1/2");
            await Assertions.Expect(officer.Locator("#case-timeline")).ToContainTextAsync("批示反馈");
            Assert.Equal(0, await officer.Locator("[data-testid='respond-批示城关区']").CountAsync());
            await BrowserFixture.ScreenshotAsync(officer, "instructions-case-1440");
            await officer.Context.CloseAsync();
        }

        await using (var deadlineDay = await AppHost.StartOnAsync(database, new Dictionary<string, string?> { ["Clock:Now"] = "2026-12-07T09:00:00+08:00" }))
        {
            var supervisor = await SignInAsync(deadlineDay, Roles.Supervisor);
            await supervisor.GotoAsync("/");
            await BrowserFixture.WaitForCircuitAsync(supervisor, "#backlog-title");
            await Assertions.Expect(supervisor.Locator("[data-kpi]").First).ToBeVisibleAsync();
            Assert.Equal(0, await supervisor.Locator("#overdue-instructions").CountAsync());
            await supervisor.Context.CloseAsync();
        }

        await using var dayAfter = await AppHost.StartOnAsync(database, new Dictionary<string, string?> { ["Clock:Now"] = "2026-12-08T09:00:00+08:00" });
        foreach (var role in new[] { Roles.Supervisor, Roles.Leader })
        {
            var page = await SignInAsync(dayAfter, role);
            await page.GotoAsync("/");
            var overdue = await BrowserFixture.WaitForCircuitAsync(page, "#overdue-instructions");
            await Assertions.Expect(overdue).ToContainTextAsync("超期未反馈批示 1 件");
            await Assertions.Expect(overdue).ToContainTextAsync("超期 1 天；未反馈：批示住建局");
            Assert.DoesNotContain("批示城关区", await overdue.InnerTextAsync());
            if (role == Roles.Leader)
            {
                await BrowserFixture.ScreenshotAsync(page, "instructions-home-overdue-1440");
                await BrowserFixture.PhoneWidthAsync(page);
                await BrowserFixture.ScreenshotAsync(page, "instructions-home-overdue-390");
                await page.SetViewportSizeAsync(1440, 900);
            }
            await overdue.GetByRole(AriaRole.Link, new() { Name = "PS-BR-001" }).ClickAsync();
            await page.WaitForURLAsync("**/cases/PS-BR-001");
            await Assertions.Expect(page.Locator("#case-instructions .instruction-status")).ToHaveTextAsync("超期未反馈");
            await page.Context.CloseAsync();
        }
        // A duty officer's home page has no such card (§12: Leaders and Supervisors).
        var duty = await SignInAsync(dayAfter, Roles.DutyOfficer);
        await duty.GotoAsync("/");
        await BrowserFixture.WaitForCircuitAsync(duty, "#backlog-title");
        await Assertions.Expect(duty.Locator("[data-kpi]").First).ToBeVisibleAsync();
        Assert.Equal(0, await duty.Locator("#overdue-instructions").CountAsync());
        await duty.Context.CloseAsync();

        await using var db = database.CreateDbContext();
        var audited = await db.AuditEntries.Select(a => new { a.Entity, a.Actor, a.Field }).ToListAsync(ct);
        Assert.Contains(audited, a => a.Entity == "LeaderInstruction" && a.Actor == BrowserFixture.UserNameFor(Roles.Leader));
        Assert.Contains(audited, a => a.Entity == "InstructionUnit" && a.Field == "RespondedOn" && a.Actor == BrowserFixture.UserNameFor(Roles.DutyOfficer));
    }

    [Fact]
    public async Task AThreadInstruction_WrittenOnTheThreadPage_ShowsOnTheTimelineOfEachCaseOfTheThread()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        var data = new TestData(new DateOnly(2026, 11, 23));
        data.Unit("链批城关区");
        var leader = data.Leader("王强", "局长");
        var first = data.Petition("PS-TH-001").ReceivedDaysAgo(40).Demand("反映拆迁补偿款未足额发放。");
        data.Petition("PS-TH-002").RepeatOf(first).ReceivedDaysAgo(3);
        await data.SaveAsync(database, ct);
        int threadId;
        await using (var db = database.CreateDbContext())
            threadId = await db.Petitions.Where(p => p.CaseNumber == "PS-TH-001").Select(p => p.ThreadId).SingleAsync(ct);

        await using var host = await AppHost.StartOnAsync(database, new Dictionary<string, string?> { ["Clock:Now"] = "2026-11-23T09:00:00+08:00" });
        var page = await fixture.SignedInPageAsync(Roles.Leader, host, leader.Id);
        await page.GotoAsync($"/threads/{threadId}");
        await (await BrowserFixture.WaitForCircuitAsync(page, "#instruction-new")).ClickAsync();
        // On the thread page a 批示 is always on the whole thread: no case-only choice.
        Assert.Equal(0, await page.Locator("#instruction-thread").CountAsync());
        await page.Locator("#instruction-text").FillAsync("整个事项链统筹化解，月底前反馈。");
        await page.Locator("#instruction-units").GetByText("链批城关区").ClickAsync();
        await page.Locator("#instruction-save").ClickAsync();
        var card = page.Locator("#case-instructions .instruction-card");
        await Assertions.Expect(card).ToContainTextAsync("（整个事项链）");
        await Assertions.Expect(card).ToContainTextAsync("PS-TH-002");
        await Assertions.Expect(page.Locator("[data-testid='timeline']")).ToContainTextAsync("整个事项链统筹化解");
        await BrowserFixture.ScreenshotAsync(page, "instructions-thread-1440");
        await BrowserFixture.PhoneWidthAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "instructions-thread-390");
        Assert.True(await page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth"), "事项链页在 390 px 下不应横向滚动");
        await page.SetViewportSizeAsync(1440, 900);

        // The first case of the thread shows the same 批示 in its panel and on its own timeline.
        await page.GotoAsync("/cases/PS-TH-001");
        await BrowserFixture.WaitForCircuitAsync(page, "#case-instructions .instruction-card");
        await Assertions.Expect(page.Locator("#case-instructions .instruction-card")).ToContainTextAsync("整个事项链统筹化解");
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("事项链批示，写于 PS-TH-002");
        await BrowserFixture.ScreenshotAsync(page, "instructions-thread-on-first-case-1440");
        await page.Context.CloseAsync();
    }

    /// <summary>The test users already exist in this database (made by the first host): sign in through the form.</summary>
    private async Task<IPage> SignInAsync(AppHost host, string role)
    {
        var page = await fixture.NewPageAsync(host);
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", BrowserFixture.UserNameFor(role));
        await page.FillAsync("#password", BrowserFixture.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        return page;
    }
}

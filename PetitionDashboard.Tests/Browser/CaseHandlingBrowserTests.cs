using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Features;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// A petition from registration to 办结 in Chromium, through the case page's 办理 panel; the clock is moved by hand between
/// steps so the backlog's 超期 / 临期 counts follow the petition: first-decision due 10-08 (国庆 shift) → 超期 on 10-09;
/// 转送 10-09 → due 10-26 (正常), 临期 on 10-22; 受理 → 正常; 延期 asked and approved; 答复, 评价, 办结 → no longer open.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CaseHandlingBrowserTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Officer_HandlesACaseFromRegistrationToClosed_SupervisorApprovesTheExtension()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var clock = TestClock.AtShanghai(2026, 9, 16);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        await using (var db = await host.Database.CreateDbContextAsync(Ct))
        {
            db.Units.AddRange(new Unit { Name = "临川区", Kind = UnitKind.County }, new Unit { Name = "市住建局", Kind = UnitKind.CityDepartment });
            await db.SaveChangesAsync(Ct);
        }
        var page = await fixture.SignedInPageAsync(Roles.DutyOfficer, host);

        // 登记 on 09-16 with the national number.
        await page.GotoAsync("/register");
        await BrowserFixture.WaitForCircuitAsync(page);
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input[data-testid=locality])", "临川区");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input[data-testid=category])", "城乡建设");
        await page.Locator("input[data-testid=name]").FillAsync("王五");
        await page.Locator("input[data-testid=id-number]").FillAsync("360102198001010013");
        await page.Locator("input[data-testid=external-number]").FillAsync("36010020260916001");
        await page.Locator("textarea[data-testid=demand]").FillAsync("反映小区路灯长期不亮，要求维修。");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input[data-testid=form])", "来信");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input[data-testid=unit])", "临川区");
        await page.Locator("[data-testid=save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=saved]")).ToContainTextAsync("首次处理期限 2026-10-08");
        string caseNumber;
        await using (var db = await host.Database.CreateDbContextAsync(Ct))
            caseNumber = (await db.Petitions.SingleAsync(Ct)).CaseNumber;

        // 10-09: the first decision was due 10-08 → 超期.
        clock.Now = new DateTimeOffset(2026, 10, 9, 9, 0, 0, TimeSpan.FromHours(8));
        page = await SignInAgainAsync(page, host);   // weeks later: the sign-in cookie of 09-16 has expired
        await ExpectBacklogAsync(page, overdue: 1, dueSoon: 0);
        await OpenCaseAsync(page, caseNumber);
        await Assertions.Expect(page.Locator("#external-number")).ToHaveTextAsync("36010020260916001");
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("登记");

        // 转送 to 市住建局 on 10-09: the preview shows 10-24 (Saturday) → 10-26 before saving.
        await ChooseAsync(page, "Transfer");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#step-unit)", "市住建局");
        await Assertions.Expect(page.Locator("#step-preview")).ToContainTextAsync("责任单位受理告知：自 2026-10-09 次日起算 15日，届满日 2026-10-26");
        await Assertions.Expect(page.Locator("#step-statistics-note")).ToContainTextAsync("尚未发布周次的统计数字会随之改变");
        await BrowserFixture.ScreenshotAsync(page, "case-handling-1-registered-transfer");
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("登记 → 转送/交办");
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("转送至 市住建局");
        await Assertions.Expect(page.Locator("#case-deadline")).ToContainTextAsync("届满日 2026-10-26");
        await ExpectBacklogAsync(page, overdue: 0, dueSoon: 0);

        // 10-22: four days left → 临期; the unit accepts on 10-22 → 60 days, 正常 again.
        clock.Now = new DateTimeOffset(2026, 10, 22, 9, 0, 0, TimeSpan.FromHours(8));
        page = await SignInAgainAsync(page, host);
        await ExpectBacklogAsync(page, overdue: 0, dueSoon: 1);
        await OpenCaseAsync(page, caseNumber);
        await ChooseAsync(page, "Accept");
        await page.Locator("#step-notice").FillAsync("2026-10-22");
        await Assertions.Expect(page.Locator("#step-preview")).ToContainTextAsync("届满日 2026-12-21");
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("转送/交办 → 受理");
        await ExpectBacklogAsync(page, overdue: 0, dueSoon: 0);

        // 延期 30 days asked by the duty officer: waits for a supervisor.
        await OpenCaseAsync(page, caseNumber);
        await ChooseAsync(page, "Extend");
        await page.Locator("#step-reason").FillAsync("需会同多部门现场核查");
        await Assertions.Expect(page.Locator("#step-preview")).ToContainTextAsync("届满日 2027-01-20");
        await BrowserFixture.ScreenshotAsync(page, "case-handling-2-accepted-extension");
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#pending-extension")).ToContainTextAsync("申请延期 30 日");
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("延期申请");
        await Assertions.Expect(page.Locator("#case-deadline")).ToContainTextAsync("届满日 2026-12-21");

        var supervisor = await fixture.SignedInPageAsync(Roles.Supervisor, host);
        await OpenCaseAsync(supervisor, caseNumber);
        await supervisor.Locator("#extension-approve").ClickAsync();
        await Assertions.Expect(supervisor.Locator("#case-timeline")).ToContainTextAsync("答复期限 2026-12-21 → 2027-01-20");
        await Assertions.Expect(supervisor.Locator("#case-deadline")).ToContainTextAsync("届满日 2027-01-20");
        await Assertions.Expect(supervisor.Locator("#pending-extension")).ToHaveCountAsync(0);
        await supervisor.Context.CloseAsync();
        await ExpectBacklogAsync(page, overdue: 0, dueSoon: 0);

        // 开始办理, 答复 (支持): no longer open.
        await OpenCaseAsync(page, caseNumber);
        await ChooseAsync(page, "StartHandling");
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("受理 → 办理中");
        await ChooseAsync(page, "Reply");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#step-result)", "支持");
        await page.Locator("#step-text").FillAsync("已安排维修，路灯于10月20日恢复照明。");
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("办理中 → 已答复");
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("答复结果：支持");
        await ExpectBacklogAsync(page, overdue: 0, dueSoon: 0, open: 0);

        // 评价 满意, then 办结.
        await OpenCaseAsync(page, caseNumber);
        await ChooseAsync(page, "Evaluate");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#step-evaluation)", "满意");
        await BrowserFixture.ScreenshotAsync(page, "case-handling-3-replied-evaluate");
        await page.SetViewportSizeAsync(390, 844);
        await page.Locator("#case-handling").ScreenshotAsync(new() { Path = Path.Combine(Artifacts.Screenshots, "case-handling-3-replied-evaluate-390-panel.png") });
        Assert.True(await page.Locator("#case-handling").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"), "办理面板在 390 px 下不应横向溢出");
        await page.SetViewportSizeAsync(1440, 900);
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("未评价 → 满意");
        await ChooseAsync(page, "Close");
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("已答复 → 办结");
        await Assertions.Expect(page.Locator("#case-handling")).ToContainTextAsync("评价");   // only the evaluation may still change
        await ExpectBacklogAsync(page, overdue: 0, dueSoon: 0, open: 0);

        await using (var db = await host.Database.CreateDbContextAsync(Ct))
        {
            var p = await db.Petitions.SingleAsync(Ct);
            Assert.Equal((PetitionState.Closed, 30, Evaluation.Satisfied), (p.State, p.ExtensionDays, p.Evaluation!.Value));
            Assert.Equal(BrowserFixture.UserNameFor(Roles.Supervisor), (await db.AuditEntries.SingleAsync(a => a.Field == nameof(Petition.ExtensionDays), Ct)).Actor);
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Officer_TransfersTwentyPetitionsFromTheGrid_InOneAction()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var clock = TestClock.AtShanghai(2026, 10, 20);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var data = new TestData(new DateOnly(2026, 10, 20));
        data.Unit("临川区");
        data.Unit("市住建局", UnitKind.CityDepartment);
        for (var i = 1; i <= 20; i++) data.Petition($"LC20261001{i:D4}").ReceivedOn(new(2026, 10, 1));   // due 10-16: 超期
        await data.SaveAsync(host.Database, Ct);
        var page = await fixture.SignedInPageAsync(Roles.DutyOfficer, host);
        await ExpectBacklogAsync(page, overdue: 20, dueSoon: 0);

        await page.Locator(".mud-table-head input[type=checkbox]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=batch-dispatch-button]")).ToContainTextAsync("批量转送/交办（20）");
        await page.Locator("[data-testid=batch-dispatch-button]").ClickAsync();
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#batch-unit)", "市住建局");
        await BrowserFixture.ScreenshotAsync(page, "case-handling-batch-dialog");
        await page.Locator("#batch-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已转送 20 件");
        await Assertions.Expect(page.Locator("[data-kpi=overdue] .kpi-count")).ToHaveTextAsync("0");

        await using var db = await host.Database.CreateDbContextAsync(Ct);
        var rows = await db.Petitions.Include(p => p.Unit).ToListAsync(Ct);
        Assert.All(rows, p => Assert.Equal((PetitionState.Dispatched, "市住建局", new DateOnly(2026, 11, 4)), (p.State, p.Unit.Name, p.CurrentDueDate!.Value)));
        Assert.Equal(20, await db.AuditEntries.CountAsync(a => a.Field == nameof(Petition.State), Ct));
        await page.Context.CloseAsync();
    }

    private async Task<IPage> SignInAgainAsync(IPage page, AppHost host)
    {
        await page.Context.CloseAsync();
        return await fixture.SignedInPageAsync(Roles.DutyOfficer, host);
    }

    private static async Task ExpectBacklogAsync(IPage page, int overdue, int dueSoon, int? open = null)
    {
        await page.GotoAsync("/");
        await BrowserFixture.WaitForCircuitAsync(page, "[data-kpi=overdue] .kpi-count");
        await Assertions.Expect(page.Locator("[data-kpi=overdue] .kpi-count")).ToHaveTextAsync(overdue.ToString());
        await Assertions.Expect(page.Locator("[data-kpi=duesoon] .kpi-count")).ToHaveTextAsync(dueSoon.ToString());
        if (open is { } o) await Assertions.Expect(page.Locator("[data-kpi=open] .kpi-count")).ToHaveTextAsync(o.ToString());
    }

    private static async Task OpenCaseAsync(IPage page, string caseNumber)
    {
        await page.GotoAsync($"/cases/{caseNumber}");
        await BrowserFixture.WaitForCircuitAsync(page, "#case-handling");
    }

    private static async Task ChooseAsync(IPage page, string step)
    {
        await page.Locator($"[data-testid=step-{step}]").ClickAsync();
        await page.Locator("#step-save").WaitForAsync();
    }

}

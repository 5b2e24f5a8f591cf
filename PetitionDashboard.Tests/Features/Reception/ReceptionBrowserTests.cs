using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Browser;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Reception;

/// <summary>
/// 领导接访 in Chromium (docs/rules.md §11), on a pinned clock: Monday 2026-11-16 a duty officer publishes Tuesday's
/// reception (publishing for today is refused) and books two petitioners with new matters; the Leader sees it in 我的接访.
/// On 11-17 the officer records 张三's reception — a new 来访 petition is registered and 交办 to a unit with its deadline —
/// and the unit's reply is recorded on the case page; 李四's reception is 转为包案 for the receiving Leader in one step.
/// Both petitions are 领导接访件 in the backlog filter. A 下访 is recorded. Screenshots of every new page at 1440 and 390 px:
/// artifacts/screenshots/reception-*.png.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ReceptionBrowserTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Schedule_Booking_Reception_NewPetition_Dispatch_Reply_AndConvertToAssignment()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var clock = TestClock.AtShanghai(2026, 11, 16);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        int leaderId;
        await using (var db = await host.Database.CreateDbContextAsync(Ct))
        {
            db.Units.AddRange(new Unit { Name = "临川区", Kind = UnitKind.County }, new Unit { Name = "市人社局", Kind = UnitKind.CityDepartment });
            var leader = new Leader { Name = "李明", Title = "副局长" };
            db.Leaders.Add(leader);
            await db.SaveChangesAsync(Ct);
            leaderId = leader.Id;
        }

        // 11-16: publishing for today is refused; for tomorrow it is published. (The host's test users are made on the first
        // sign-in, the Leader's account standing for 李明.)
        var page = await fixture.SignedInPageAsync(Roles.DutyOfficer, host, leaderId);
        await page.GotoAsync("/reception");
        await BrowserFixture.WaitForCircuitAsync(page, "#publish-form");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#publish-leader)", "李明（副局长）");
        await page.Locator("#publish-place").FillAsync("市信访局一楼接待大厅");
        await page.Locator("#publish-topic").FillAsync("劳动和社会保障");
        await page.Locator("#publish-date").FillAsync("2026-11-16");
        await page.Locator("#publish-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("须至少提前一天发布");
        await page.Locator("#publish-date").FillAsync("2026-11-17");
        await page.Locator("#publish-save").ClickAsync();
        await page.WaitForURLAsync("**/reception/days/*");
        var dayUrl = page.Url;
        await BrowserFixture.WaitForCircuitAsync(page, "#booking-form");
        await Assertions.Expect(page.Locator("#day-title")).ToContainTextAsync("2026-11-17 上午 · 李明 接访");

        await BookNewMatterAsync(page, "张三", "11010519491231002X", "要求补发拖欠的工资，共计三个月。");
        await BookNewMatterAsync(page, "李四", "361002198001010019", "反映征地补偿款长期未发放，要求领导协调解决。");
        await Assertions.Expect(page.Locator("#booked-count")).ToHaveTextAsync("2");
        await Screens(page, "reception-day-booking");
        await page.GotoAsync("/reception");
        await BrowserFixture.WaitForCircuitAsync(page, "#upcoming-days .reception-day");
        await Assertions.Expect(page.Locator("#upcoming-days")).ToContainTextAsync("已预约 2 / 10");
        await Screens(page, "reception-schedule");
        await page.Context.CloseAsync();

        var leaderPage = await fixture.SignedInPageAsync(Roles.Leader, host, leaderId);
        await leaderPage.GotoAsync("/reception/mine");
        await BrowserFixture.WaitForCircuitAsync(leaderPage, "#my-coming .reception-day");
        await Assertions.Expect(leaderPage.Locator("#my-coming")).ToContainTextAsync("2026-11-17 上午");
        await Screens(leaderPage, "reception-mine");
        await leaderPage.Context.CloseAsync();

        // 11-17: 张三 received; a new 来访 petition, 交办 市人社局 with the 15-day deadline; then the unit's reply.
        clock.Now = TestClock.AtShanghai(2026, 11, 17, 10).Now;
        page = await fixture.SignedInPageAsync(Roles.DutyOfficer, host);
        await page.GotoAsync(dayUrl);
        await BrowserFixture.WaitForCircuitAsync(page, ".booking");
        await page.Locator(".booking").Filter(new() { HasText = "张三" }).Locator(".booking-record").ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page, "#record-form");
        await page.Locator("#record-asked").FillAsync("公司拖欠三个月工资，多次讨要未果。");
        await page.Locator("#record-minutes").FillAsync("25");
        await Decide(page, "交办");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#record-unit)", "市人社局");
        await Assertions.Expect(page.Locator("#record-due")).ToHaveValueAsync("2026-12-02");
        await Assertions.Expect(page.Locator("[data-testid=no-candidates]")).ToBeVisibleAsync();
        await Screens(page, "reception-record");
        await page.Locator("#record-save").ClickAsync();
        await Assertions.Expect(page.Locator("#record-outcome")).ToContainTextAsync("已交办，期限 2026-12-02");
        var zhangCase = (await page.Locator("#outcome-case").InnerTextAsync()).Trim();

        await page.Locator("#outcome-case").ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page, "#case-handling");
        await Assertions.Expect(page.Locator("#reception-chip")).ToContainTextAsync("领导接访件（2026-11-17）");
        await Assertions.Expect(page.Locator("#case-receptions")).ToContainTextAsync("交办 市人社局，期限 2026-12-02");
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("领导接访");
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("登记 → 转送/交办");
        await Step(page, "Accept");
        await page.Locator("#step-notice").FillAsync("2026-11-17");
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("转送/交办 → 受理");
        await Step(page, "StartHandling");
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("受理 → 办理中");
        await Step(page, "Reply");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#step-result)", "支持");
        await page.Locator("#step-text").FillAsync("已责令企业补发工资。");
        await page.Locator("#step-save").ClickAsync();
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("办理中 → 已答复");

        // 李四: 转为包案 in one step — the petition is registered and assigned to the receiving Leader.
        await page.GotoAsync(dayUrl);
        await BrowserFixture.WaitForCircuitAsync(page, ".booking");
        await page.Locator(".booking").Filter(new() { HasText = "李四" }).Locator(".booking-record").ClickAsync();
        await BrowserFixture.WaitForCircuitAsync(page, "#record-form");
        await page.Locator("#record-asked").FillAsync("征地补偿款两年未发放。");
        await page.Locator("#record-minutes").FillAsync("30");
        await Decide(page, "转为包案");
        await page.Locator("#record-responsible").FillAsync("王科长");
        await page.Locator("#record-save").ClickAsync();
        await Assertions.Expect(page.Locator("#record-outcome")).ToContainTextAsync("已交 李明（副局长）包案");
        var liCase = (await page.Locator("#outcome-case").InnerTextAsync()).Trim();
        await page.GotoAsync(dayUrl);
        await BrowserFixture.WaitForCircuitAsync(page, ".booking-status");
        await Assertions.Expect(page.Locator("#bookings")).ToContainTextAsync("转为包案");
        await Assertions.Expect(page.Locator("#bookings")).ToContainTextAsync("交办");
        await Screens(page, "reception-day-recorded");

        // Both are 领导接访件 in the backlog filter (all states: 张三's is replied).
        await page.GotoAsync("/?scope=all&reception=1");
        await BrowserFixture.WaitForCircuitAsync(page, "#backlog-title");
        await Assertions.Expect(page.Locator(".mud-table-body")).ToContainTextAsync(zhangCase);
        await Assertions.Expect(page.Locator(".mud-table-body")).ToContainTextAsync(liCase);

        // 下访 to 临川区 with the petition handled on the spot.
        await page.GotoAsync("/reception/visits");
        await BrowserFixture.WaitForCircuitAsync(page, "#visit-form");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#visit-leader)", "李明（副局长）");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#visit-locality)", "临川区");
        await page.Locator("#visit-record").FillAsync("到临川区走访欠薪企业，督促落实答复意见。");
        await page.Locator("#visit-cases").FillAsync(zhangCase);
        await page.Locator("#visit-save").ClickAsync();
        await Assertions.Expect(page.Locator("#visits")).ToContainTextAsync(zhangCase);
        await Assertions.Expect(page.Locator("#visit-counts")).ToContainTextAsync("临川区：下访 1 次，当场处理 1 件");
        await Screens(page, "reception-visits");
        await page.Context.CloseAsync();

        await using var check = await host.Database.CreateDbContextAsync(Ct);
        var zhang = await check.Petitions.SingleAsync(p => p.CaseNumber == zhangCase, Ct);
        Assert.Equal((PetitionForm.Visit, new DateOnly(2026, 11, 17), PetitionState.Replied), (zhang.Form, zhang.ReceivedOn, zhang.State));
        var assignment = await check.LeaderAssignments.SingleAsync(Ct);
        Assert.Equal(leaderId, assignment.LeaderId);
        var audited = await check.AuditEntries.Select(a => a.Entity).Distinct().ToListAsync(Ct);
        Assert.Contains(nameof(ReceptionDay), audited);
        Assert.Contains(nameof(ReceptionBooking), audited);
        Assert.Contains(nameof(LeaderVisit), audited);
    }

    private static async Task BookNewMatterAsync(IPage page, string name, string id, string demand)
    {
        await page.Locator("#booking-form").GetByText("新信访人").ClickAsync();
        await page.Locator("#person-name").FillAsync(name);
        await page.Locator("#person-id").FillAsync(id);
        await page.Locator("#booking-form").GetByText("新事项（接访时登记）").ClickAsync();
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#matter-locality)", "临川区");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#matter-category)", "劳动和社会保障");
        await BrowserFixture.PickAsync(page, "div.mud-input-control:has(input#matter-unit)", "临川区");
        await page.Locator("#matter-demand").FillAsync(demand);
        await page.Locator("#booking-save").ClickAsync();
        await Assertions.Expect(page.Locator("#bookings")).ToContainTextAsync(name);
    }

    private static Task Decide(IPage page, string decision) =>
        page.Locator("#record-form").GetByText(decision, new() { Exact = true }).ClickAsync();

    private static async Task Step(IPage page, string step)
    {
        await page.Locator($"[data-testid=step-{step}]").ClickAsync();
        await page.Locator("#step-save").WaitForAsync();
    }

    /// <summary>Screenshots at 1440 and 390 px; at 390 the page itself must not scroll sideways (§ item 7).</summary>
    private static async Task Screens(IPage page, string name)
    {
        await page.SetViewportSizeAsync(1440, 900);
        await BrowserFixture.ScreenshotAsync(page, $"{name}-1440");
        await BrowserFixture.PhoneWidthAsync(page);
        await BrowserFixture.ScreenshotAsync(page, $"{name}-390");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{name} 在 390 px 下不应横向滚动");
        await page.SetViewportSizeAsync(1440, 900);
    }
}

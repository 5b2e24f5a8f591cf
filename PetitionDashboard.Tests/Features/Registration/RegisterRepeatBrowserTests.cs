using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Tests.Browser;

namespace PetitionDashboard.Tests.Features.Registration;

/// <summary>
/// Whole flow in Chromium: the app on a Kestrel loopback port over its own temporary SQLite file (the shared harness),
/// signed in through the real sign-in form as a duty officer, who types a returning petitioner, sees the candidate,
/// confirms "repeat of" and saves; then the thread page and the repeats page with its cluster tab.
/// Screenshots go to artifacts/screenshots (git-ignored).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RegisterRepeatBrowserTests(BrowserFixture browser)
{
    private const string IdNumber = "11010519491231002X";

    [Fact]
    public async Task OfficerRegistersARepeat_InChromium()
    {
        var ct = TestContext.Current.CancellationToken;
        // Own host: an empty database, so the candidate list and the lists hold exactly what this test seeds; its clock
        // starts at Monday 2026-11-23 09:00 Shanghai (Clock:Now), so the seeded dates never depend on the day the suite runs.
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?> { ["Clock:Now"] = "2026-11-23T09:00:00+08:00" });
        var first = await SeedAsync(host.Services, ct);
        var page = await browser.SignedInPageAsync(Roles.DutyOfficer, host);

        await page.GotoAsync("/register");
        await BrowserFixture.WaitForCircuitAsync(page);
        await PickAsync(page, "locality", "临川区");
        await PickAsync(page, "category", "劳动和社会保障");
        await page.Locator("input[data-testid=name]").FillAsync("张三");
        await page.Locator("input[data-testid=id-number]").FillAsync("11010519491231002x");
        await page.Locator("textarea[data-testid=demand]").FillAsync("要求补发、拖欠的工钱。");

        var candidate = page.Locator($"[data-testid=candidate][data-case={first.CaseNumber}]");
        await candidate.WaitForAsync();
        // The list refreshes as the officer types: wait for the lookup that saw the whole demand text.
        await Assertions.Expect(candidate.Locator("[data-testid=similarity]")).ToHaveTextAsync("相似度 50%");
        await Assertions.Expect(candidate).ToContainTextAsync("同一身份证号 110105********002X（张三）");

        await PickAsync(page, "form", "来访");
        await PickAsync(page, "unit", "临川区");
        await candidate.Locator("[data-testid=choose-repeat]").ClickAsync();
        await candidate.Locator("[data-testid=chosen]").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "repeats-register-candidates");
        await page.Locator("[data-testid=save]").ClickAsync();
        var saved = page.Locator("[data-testid=saved]");
        await saved.WaitForAsync();
        await Assertions.Expect(saved).ToContainTextAsync("（重件）");
        await BrowserFixture.ScreenshotAsync(page, "repeats-register-saved");

        await using (var ctx = await host.Database.CreateDbContextAsync(ct))
        {
            var repeat = await ctx.Petitions.SingleAsync(p => p.Id != first.PetitionId && p.PetitionerNames == "张三", ct);
            Assert.True(repeat.IsRepeat);
            Assert.Equal(first.ThreadId, repeat.ThreadId);
            Assert.Equal(2, (await ctx.Threads.SingleAsync(t => t.Id == first.ThreadId, ct)).PetitionCount);
            // Every change is audited with the signed-in officer as the actor.
            Assert.Contains(await ctx.PetitionEvents.Where(e => e.PetitionId == repeat.Id).ToListAsync(ct),
                e => e.Kind == PetitionEventKind.RepeatLinked && e.Actor == BrowserFixture.UserNameFor(Roles.DutyOfficer));
        }

        await page.GotoAsync($"/threads/{first.ThreadId}");
        await BrowserFixture.WaitForCircuitAsync(page, "[data-testid=timeline]");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("共 2 件（重复 1 次）");
        await BrowserFixture.ScreenshotAsync(page, "repeats-thread");

        await page.GotoAsync("/repeats");
        await BrowserFixture.WaitForCircuitAsync(page, $"text={first.CaseNumber}");
        await BrowserFixture.ScreenshotAsync(page, "repeats-ranking");
        await page.GetByText("同事多人（集体访风险）").ClickAsync();
        var cluster = page.Locator("[data-testid=cluster]");
        await cluster.WaitForAsync();
        await Assertions.Expect(cluster).ToContainTextAsync("李四");
        await BrowserFixture.ScreenshotAsync(page, "repeats-clusters");
        // Closed before the host stops: a page left open would log the lost connection of a server going away.
        await page.Context.CloseAsync();
    }

    private static async Task<RegistrationResult> SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        await using (var ctx = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct))
        {
            ctx.Units.AddRange(new Unit { Name = "临川区", Kind = UnitKind.County }, new Unit { Name = "东乡区", Kind = UnitKind.County });
            await ctx.SaveChangesAsync(ct);
        }
        using var scope = services.CreateScope();
        var deadlines = scope.ServiceProvider.GetRequiredService<DeadlineCalculator>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<RepeatOptions>>();
        // Seeded as a duty officer would register them (the services check the user's role).
        var guard = new AccessGuard(FixedCurrentUser.For("值班员甲", [Roles.DutyOfficer]));
        var detection = new RepeatDetectionService(contexts, options, guard, PetitionDashboard.Tests.Support.TestPersonalData.Protector);
        var registration = new RegistrationService(contexts, detection, new ThreadLinkingService(contexts, clock, guard), deadlines, clock, guard, PetitionDashboard.Tests.Support.TestPersonalData.Protector);
        var unitId = (await registration.UnitsAsync(ct)).First(u => u.Name == "临川区").Id;
        var today = BusinessTime.Today(scope.ServiceProvider.GetRequiredService<TimeProvider>());
        Assert.Equal(new DateOnly(2026, 11, 23), today);
        // Another person on the same matter a week later: a cluster (同事多人).
        await registration.RegisterAsync(new RegistrationDraft
        {
            Petitioners = [new PetitionerDraft("李四", "361002198001010019", "13912345678")],
            Form = PetitionForm.Letter, PeopleCount = 1, Locality = "临川区", Category = "劳动和社会保障",
            Demand = "要求补发拖欠的工资，已经三个月了", UnitId = unitId, ReceivedOn = today.AddDays(-33), Choice = RepeatChoice.NewMatter,
        }, ct);
        return await registration.RegisterAsync(new RegistrationDraft
        {
            Petitioners = [new PetitionerDraft("张三", IdNumber, "13800138000", "临川区青云街道")],
            Form = PetitionForm.Visit, PeopleCount = 1, Locality = "临川区", Category = "劳动和社会保障", Purpose = PetitionPurpose.Request,
            Demand = "要求补发拖欠的工资，共计三个月。", UnitId = unitId, ReceivedOn = today.AddDays(-40), Choice = RepeatChoice.NewMatter,
        }, ct);
    }

    private static Task PickAsync(IPage page, string testId, string text) =>
        BrowserFixture.PickAsync(page, $"div.mud-input-control:has(input[data-testid={testId}])", text);
}

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

namespace PetitionDashboard.Tests.Features.Threads;

/// <summary>
/// Issue 17 defect 3 in Chromium: on a thread page, 将其他信访事项并入本链 with another person's earlier case in another category
/// first shows a confirmation naming what changes; after confirming, 移出此链 puts the case back in its old thread.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ThreadMergeBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task MergeOfAnotherPersonsCase_AsksFirst_AndUnlinkRestoresItsThread()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?> { ["Clock:Now"] = "2026-11-23T09:00:00+08:00" });
        var (zhang, li) = await SeedAsync(host.Services, ct);
        var page = await browser.SignedInPageAsync(Roles.DutyOfficer, host);

        await page.GotoAsync($"/threads/{zhang.ThreadId}");
        await BrowserFixture.WaitForCircuitAsync(page, "[data-testid=timeline]");
        await page.GetByRole(AriaRole.Button, new() { Name = "将其他信访事项并入本链…" }).ClickAsync();
        var form = page.Locator("[data-testid=link-action]");
        await form.Locator("input").Nth(0).FillAsync(li.CaseNumber);
        await form.Locator("input").Nth(1).FillAsync("测试");
        await form.GetByRole(AriaRole.Button, new() { Name = "确定" }).ClickAsync();

        var changes = page.Locator("[data-testid=merge-changes]");
        await changes.WaitForAsync();
        await Assertions.Expect(changes).ToContainTextAsync("信访人不同：李四 与本链 张三 无共同信访人");
        await Assertions.Expect(changes).ToContainTextAsync("一级分类不同：城乡建设 / 劳动和社会保障");
        await Assertions.Expect(changes).ToContainTextAsync(
            $"{li.CaseNumber}（{li.ReceivedOn:yyyy-MM-dd} 收到）收到最早，将成为信访事项链 #{zhang.ThreadId} 的初件，原初件 {zhang.CaseNumber} 改为重件");
        await Assertions.Expect(changes).ToContainTextAsync($"原信访事项链 #{li.ThreadId} 将不再有信访事项（保留编号，移出此链可恢复）");
        await BrowserFixture.ScreenshotAsync(page, "thread-merge-confirm");
        // Nothing has changed while the question is open.
        await using (var ctx = await host.Database.CreateDbContextAsync(ct))
            Assert.Equal(li.ThreadId, (await ctx.Petitions.SingleAsync(p => p.Id == li.PetitionId, ct)).ThreadId);

        await page.GetByRole(AriaRole.Button, new() { Name = "确认并入" }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("共 2 件（重复 1 次）");
        await using (var ctx = await host.Database.CreateDbContextAsync(ct))
            Assert.Equal(zhang.ThreadId, (await ctx.Petitions.SingleAsync(p => p.Id == li.PetitionId, ct)).ThreadId);

        var row = page.Locator("[data-testid=thread-petitions] tr").Filter(new() { HasText = li.CaseNumber });
        await row.GetByRole(AriaRole.Button, new() { Name = "移出此链" }).ClickAsync();
        await form.Locator("input").Nth(0).FillAsync("误并");
        await form.GetByRole(AriaRole.Button, new() { Name = "确定" }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"回到原信访事项链 #{li.ThreadId}");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("共 1 件（重复 0 次）");

        await using (var ctx = await host.Database.CreateDbContextAsync(ct))
        {
            var moved = await ctx.Petitions.SingleAsync(p => p.Id == li.PetitionId, ct);
            Assert.Equal((li.ThreadId, false), (moved.ThreadId, moved.IsRepeat));
            var old = await ctx.Threads.SingleAsync(t => t.Id == li.ThreadId, ct);
            Assert.Equal((1, (int?)li.PetitionId), (old.PetitionCount, old.FirstPetitionId));
            var thread = await ctx.Threads.SingleAsync(t => t.Id == zhang.ThreadId, ct);
            Assert.Equal((1, (int?)zhang.PetitionId), (thread.PetitionCount, thread.FirstPetitionId));
            Assert.False((await ctx.Petitions.SingleAsync(p => p.Id == zhang.PetitionId, ct)).IsRepeat);
        }
        await page.GotoAsync($"/threads/{li.ThreadId}");
        await BrowserFixture.WaitForCircuitAsync(page, "[data-testid=timeline]");
        await Assertions.Expect(page.Locator("[data-testid=thread-petitions]")).ToContainTextAsync(li.CaseNumber);
        await page.CloseAsync(); // before the server stops: an open page would log the lost connection
    }

    private sealed record Seeded(int PetitionId, int ThreadId, string CaseNumber, DateOnly ReceivedOn);

    private static async Task<(Seeded Zhang, Seeded Li)> SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        await using (var ctx = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct))
        {
            ctx.Units.Add(new Unit { Name = "临川区", Kind = UnitKind.County });
            await ctx.SaveChangesAsync(ct);
        }
        using var scope = services.CreateScope();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var guard = new AccessGuard(FixedCurrentUser.For("值班员甲", [Roles.DutyOfficer]));
        var detection = new RepeatDetectionService(contexts, scope.ServiceProvider.GetRequiredService<IOptions<RepeatOptions>>(), guard, PetitionDashboard.Tests.Support.TestPersonalData.Protector);
        var registration = new RegistrationService(contexts, detection, new ThreadLinkingService(contexts, clock, guard),
            scope.ServiceProvider.GetRequiredService<DeadlineCalculator>(), clock, guard, PetitionDashboard.Tests.Support.TestPersonalData.Protector);
        var unitId = (await registration.UnitsAsync(ct)).First(u => u.Name == "临川区").Id;
        var today = BusinessTime.Today(clock);

        async Task<Seeded> RegisterAsync(string name, string id, string category, string demand, DateOnly receivedOn)
        {
            var r = await registration.RegisterAsync(new RegistrationDraft
            {
                Petitioners = [new PetitionerDraft(name, id, null)], Form = PetitionForm.Visit, PeopleCount = 1, Locality = "临川区",
                Category = category, Purpose = PetitionPurpose.Request, Demand = demand, UnitId = unitId, ReceivedOn = receivedOn,
                Choice = RepeatChoice.NewMatter,
            }, ct);
            return new Seeded(r.PetitionId, r.ThreadId, r.CaseNumber, receivedOn);
        }

        var zhang = await RegisterAsync("张三", "11010519491231002X", "劳动和社会保障", "要求补发拖欠的工资，共计三个月。", today.AddDays(-40));
        // Another person's earlier case in another category: the case of the report.
        var li = await RegisterAsync("李四", "361002198001010019", "城乡建设", "村里修路占用我家耕地，未给补偿。", today.AddDays(-300));
        return (zhang, li);
    }
}

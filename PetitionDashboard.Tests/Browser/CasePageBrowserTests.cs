using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Features;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Browser;

/// <summary>The case page is read once per open: in the prerender, carried to the circuit, which shows it without a second read.</summary>
[Collection(AppCollection.Name)]
public sealed class CasePageBrowserTests(BrowserFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CasePage_IsInThePrerenderedHtml_AndTheCircuitShowsThatRead_NotASecondOne()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var clock = TestClock.AtShanghai(2026, 11, 23);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var data = new TestData(new DateOnly(2026, 11, 23));
        var first = data.Petition("CP-1").ReceivedOn(new(2026, 9, 1)).InHandling(new DateOnly(2026, 9, 3))
            .By("王五", "110101199003071234", "13812345678").Demand("反映小区电梯长期停运，要求物业限期修复");
        // A demand of its own: a repeat's default quotes the first one's, and the thread list would then show the first
        // demand in the HTML whichever demand the case fields were read with.
        data.Petition("CP-2").RepeatOf(first).ReceivedOn(new(2026, 11, 2)).Demand("再次反映电梯停运问题");
        await data.SaveAsync(host.Database, Ct);

        var page = await fixture.SignedInPageAsync(Roles.Leader, host);
        // Sign-in lands on the home page, which starts a circuit of its own: once that has negotiated, the only negotiate
        // left for the route below is the case page's. (A route set while the home page was still starting caught the home
        // page's negotiate, so the demand changed before the case page's prerender, which then read and carried the new one.)
        await BrowserFixture.WaitForCircuitAsync(page);
        // Between the prerender (the HTML) and the circuit (its negotiate request), the demand changes in the database: the
        // circuit still shows what the prerender read, so it did not read again (a later open does).
        var changed = false;
        await page.RouteAsync("**/_blazor/negotiate**", async route =>
        {
            if (!changed)
            {
                changed = true;
                await using var db = await host.Database.CreateDbContextAsync(Ct);
                await db.Petitions.Where(p => p.CaseNumber == "CP-1").ExecuteUpdateAsync(u => u.SetProperty(p => p.Demand, "改后的诉求"), Ct);
            }
            await route.ContinueAsync();
        });
        var response = await page.GotoAsync("/cases/CP-1");
        // The prerender encodes Chinese as character references: compare the decoded text.
        var html = System.Net.WebUtility.HtmlDecode(await response!.TextAsync());
        await BrowserFixture.WaitForCircuitAsync(page, "#case-timeline");
        Assert.True(changed);

        Assert.Contains("id=\"case-timeline\"", html);
        Assert.Contains("反映小区电梯长期停运", html);                     // the prerender read before the change…
        Assert.DoesNotContain("改后的诉求", html);
        Assert.Contains("CP-2", html);                                    // the thread list
        Assert.DoesNotContain("110101199003071234", html);                // masked, in the page and in the carried state
        await Assertions.Expect(page.Locator(".case-fields")).ToContainTextAsync("反映小区电梯长期停运，要求物业限期修复");
        await Assertions.Expect(page.Locator("#case-timeline")).ToContainTextAsync("登记");
        await Assertions.Expect(page.Locator(".case-thread")).ToContainTextAsync("CP-2");
        await Assertions.Expect(page.Locator("#case-risk")).ToBeVisibleAsync();
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "case-page-carried-390");

        // A new open reads again.
        await page.UnrouteAsync("**/_blazor/negotiate**");
        await page.GotoAsync("/cases/CP-1");
        await BrowserFixture.WaitForCircuitAsync(page, "#case-timeline");
        await Assertions.Expect(page.Locator(".case-fields")).ToContainTextAsync("改后的诉求");
        await page.Context.CloseAsync();
    }
}

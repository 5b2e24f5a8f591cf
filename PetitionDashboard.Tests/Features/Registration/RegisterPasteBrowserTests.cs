using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Browser;

namespace PetitionDashboard.Tests.Features.Registration;

/// <summary>
/// A long paste into 诉求摘要 (issue 17, defect 2): 6,000 Chinese characters are ~36 KB once JSON-escaped, more than
/// SignalR's default 32 KB, which dropped the circuit and lost the text. Now the box says how long it may be and the
/// page keeps working.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RegisterPasteBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Pasting6000Characters_ShowsTheLengthMessage_AndTheCircuitStaysAlive()
    {
        var page = await browser.SignedInPageAsync(Roles.DutyOfficer);
        await page.GotoAsync("/register");
        await BrowserFixture.WaitForCircuitAsync(page);
        var demand = page.Locator("textarea[data-testid=demand]");
        await demand.FocusAsync();
        // InsertText sends the whole text in one input event, as a paste does.
        await page.Keyboard.InsertTextAsync(string.Concat(Enumerable.Repeat("要求补发拖欠的工资", 667)).Substring(0, 6000));

        var field = page.Locator("div.mud-input-control:has(textarea[data-testid=demand])");
        await Assertions.Expect(field).ToContainTextAsync("诉求摘要：不能超过2000字");
        await Assertions.Expect(field).ToContainTextAsync("6000 / 2000");
        // Nothing is cut or lost: the whole paste stays in the box for the officer to shorten.
        Assert.Equal(6000, (await demand.InputValueAsync()).Length);
        await BrowserFixture.ScreenshotAsync(page, "register-long-paste");

        // The circuit is alive: a shorter text reaches the server, which takes the message away; no reconnect dialog.
        await demand.FillAsync("要求补发拖欠的工资。");
        await Assertions.Expect(field).ToContainTextAsync("10 / 2000");
        await Assertions.Expect(field).Not.ToContainTextAsync("不能超过2000字");
        await Assertions.Expect(page.Locator("#components-reconnect-modal[open], .components-reconnect-show")).ToHaveCountAsync(0);
    }
}

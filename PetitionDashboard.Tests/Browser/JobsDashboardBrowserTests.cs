using System.Globalization;
using Microsoft.Playwright;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Browser;

/// <summary>The job dashboard's dates read like the rest of the app (issue 17 defect 10: "11/30/2026 5:45:00 AM").</summary>
[Collection(AppCollection.Name)]
public sealed class JobsDashboardBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task RecurringJobs_ShowTheirNextRun_AsYyyyMmDdHhMm_InShanghaiTime_WhateverTheBrowsersZone()
    {
        // A browser in New York: the dashboard must still show Shanghai time, the business time of every date in the app.
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.App.BaseUrl.ToString(), Locale = "en-US", TimezoneId = "America/New_York",
        });
        var errors = new List<string>();
        try
        {
            await fixture.SignedInPageAsync(Roles.SystemAdmin); // creates the test users on the shared host
            var page = await context.NewPageAsync();
            page.PageError += (_, error) => errors.Add(error);
            page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
            await page.GotoAsync("/account/login");
            await page.FillAsync("#username", BrowserFixture.UserNameFor(Roles.SystemAdmin));
            await page.FillAsync("#password", BrowserFixture.Password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));

            await page.GotoAsync("/jobs/recurring");
            // Hangfire writes the full date into the title of each relative time; its tooltip then keeps it as data-original-title.
            var next = page.Locator("span[data-moment][data-original-title]").First;
            await next.WaitForAsync();
            var unix = long.Parse((await next.GetAttributeAsync("data-moment"))!, CultureInfo.InvariantCulture);
            var shanghai = DateTimeOffset.FromUnixTimeSeconds(unix).ToOffset(TimeSpan.FromHours(8));
            Assert.Equal(shanghai.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), await next.GetAttributeAsync("data-original-title"));
            await BrowserFixture.ScreenshotAsync(page, "jobs-recurring");
            await page.CloseAsync();
        }
        finally
        {
            await context.CloseAsync();
        }
        Assert.Empty(errors);
    }
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Repeats;

namespace PetitionDashboard.Tests.Features.Registration;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RepeatsBrowserCollection
{
    public const string Name = "Repeats browser";
}

/// <summary>
/// Whole flow in Chromium: the app hosted on 127.0.0.1 (WebApplicationFactory + Kestrel) over a temporary SQLite file; an
/// officer types a returning petitioner, sees the candidate, confirms "repeat of", saves; then the thread and repeats pages.
/// Screenshots go to artifacts/screenshots (git-ignored).
/// </summary>
[Collection(RepeatsBrowserCollection.Name)]
public sealed class RegisterRepeatBrowserTests
{
    private const string IdNumber = "11010519491231002X";

    [Fact]
    public async Task OfficerRegistersARepeat_InChromium()
    {
        var ct = TestContext.Current.CancellationToken;
        var dbPath = Path.Combine(Path.GetTempPath(), $"pd-browser-{Guid.NewGuid():N}.db");
        try
        {
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            {
                b.UseSetting("Database:Provider", "Sqlite");
                b.UseSetting("Database:ConnectionString", $"Data Source={dbPath}");
                b.UseSetting("Demo:Enabled", "false");
                // Signed in as a duty officer for every request (the pages carry [Authorize(Roles = ...)]).
                b.ConfigureTestServices(services =>
                {
                    services.AddAuthentication(DutyOfficerAuthentication.Name)
                        .AddScheme<AuthenticationSchemeOptions, DutyOfficerAuthentication>(DutyOfficerAuthentication.Name, _ => { });
                    services.AddAuthorization();
                    services.AddCascadingAuthenticationState();
                });
            });
            factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
            factory.StartServer();
            var baseUrl = factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
            var first = await SeedAsync(factory.Services, ct);

            using var pw = await Playwright.CreateAsync();
            await using var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN", ViewportSize = new() { Width = 1440, Height = 1000 } });
            await page.GotoAsync($"{baseUrl}/register");

            // The select only opens once the circuit is interactive: retry the first one until it does.
            await PickAsync(page, "locality", "临川区", retryUntilInteractive: true);
            await PickAsync(page, "category", "劳动和社会保障");
            await page.Locator("input[data-testid=name]").FillAsync("张三");
            await page.Locator("input[data-testid=id-number]").FillAsync("11010519491231002x");
            await page.Locator("textarea[data-testid=demand]").FillAsync("要求补发、拖欠的工钱。");

            var candidate = page.Locator($"[data-testid=candidate][data-case={first.CaseNumber}]");
            await candidate.WaitForAsync(new() { Timeout = 15000 });
            Assert.Equal("相似度 50%", (await candidate.Locator("[data-testid=similarity]").InnerTextAsync()).Trim());

            await PickAsync(page, "form", "来访");
            await PickAsync(page, "unit", "临川区");
            await candidate.Locator("[data-testid=choose-repeat]").ClickAsync();
            await page.GetByText($"已选：{first.CaseNumber} 的重复件").WaitForAsync(new() { Timeout = 5000 });
            await Screenshot(page, "register-candidates.png");
            await page.Locator("[data-testid=save]").ClickAsync();
            var saved = page.Locator("[data-testid=saved]");
            await saved.WaitForAsync(new() { Timeout = 15000 });
            Assert.Contains("（重件）", await saved.InnerTextAsync());
            await Screenshot(page, "register-repeat.png");

            await using (var ctx = await factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct))
            {
                var repeat = await ctx.Petitions.SingleAsync(p => p.Id != first.PetitionId && p.PetitionerNames == "张三", ct);
                Assert.True(repeat.IsRepeat);
                Assert.Equal(first.ThreadId, repeat.ThreadId);
                Assert.Equal(2, (await ctx.Threads.SingleAsync(t => t.Id == first.ThreadId, ct)).PetitionCount);
            }

            await page.GotoAsync($"{baseUrl}/threads/{first.ThreadId}");
            await page.Locator("[data-testid=timeline]").WaitForAsync(new() { Timeout = 15000 });
            Assert.Contains("共 2 件（重复 1 次）", await page.Locator("body").InnerTextAsync());
            await Screenshot(page, "thread.png");

            await page.GotoAsync($"{baseUrl}/repeats");
            await page.GetByText(first.CaseNumber).First.WaitForAsync(new() { Timeout = 15000 });
            await Screenshot(page, "repeats.png");
            await page.GetByText("同事多人（集体访风险）").ClickAsync();
            var cluster = page.Locator("[data-testid=cluster]");
            await cluster.WaitForAsync(new() { Timeout = 15000 });
            Assert.Contains("李四", await cluster.InnerTextAsync());
            await Screenshot(page, "repeats-clusters.png");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                if (File.Exists(dbPath + suffix)) File.Delete(dbPath + suffix);
        }
    }

    private static async Task<RegistrationResult> SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        await using (var ctx = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct))
        {
            ctx.Units.AddRange(new Unit { Name = "临川区", Kind = UnitKind.County }, new Unit { Name = "东乡区", Kind = UnitKind.County });
            await ctx.SaveChangesAsync(ct);
        }
        using var scope = services.CreateScope();
        var registration = scope.ServiceProvider.GetRequiredService<RegistrationService>();
        var unitId = (await registration.UnitsAsync(ct)).First(u => u.Name == "临川区").Id;
        var today = BusinessTime.Today(scope.ServiceProvider.GetRequiredService<TimeProvider>());
        // Another person on the same matter a week later: a cluster (同事多人).
        await registration.RegisterAsync(new RegistrationDraft
        {
            Petitioners = [new PetitionerDraft("李四", "361002198001010019", "13912345678")],
            Form = PetitionForm.Letter, PeopleCount = 1, Locality = "临川区", Category = "劳动和社会保障",
            Demand = "要求补发拖欠的工资，已经三个月了", UnitId = unitId, ReceivedOn = today.AddDays(-33), Choice = RepeatChoice.NewMatter,
        }, "值班员甲", ct);
        return await registration.RegisterAsync(new RegistrationDraft
        {
            Petitioners = [new PetitionerDraft("张三", IdNumber, "13800138000", "临川区青云街道")],
            Form = PetitionForm.Visit, PeopleCount = 1, Locality = "临川区", Category = "劳动和社会保障", Purpose = PetitionPurpose.Request,
            Demand = "要求补发拖欠的工资，共计三个月。", UnitId = unitId, ReceivedOn = today.AddDays(-40), Choice = RepeatChoice.NewMatter,
        }, "值班员甲", ct);
    }

    private static async Task PickAsync(IPage page, string testId, string text, bool retryUntilInteractive = false)
    {
        var control = page.Locator($"div.mud-input-control:has(input[data-testid={testId}])");
        var item = page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{text}\\s*$") });
        for (var attempt = 0; ; attempt++)
        {
            await control.ClickAsync();
            try
            {
                await item.First.WaitForAsync(new() { Timeout = retryUntilInteractive ? 1000 : 5000 });
                break;
            }
            catch (TimeoutException) when (retryUntilInteractive && attempt < 30)
            {
                // Prerendered, not yet interactive: click again.
            }
        }
        await item.First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 5000 });
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var dir = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PetitionDashboard.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Path.GetTempPath();
    }
}

/// <summary>Authenticates every request as the duty officer "值班员甲".</summary>
public sealed class DutyOfficerAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "TestDutyOfficer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "值班员甲"), new Claim(ClaimTypes.Role, Roles.DutyOfficer)], Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
    }
}

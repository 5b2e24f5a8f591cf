using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// One Chromium (Debian's /usr/bin/chromium, never a downloaded one) and one app host for the whole
/// <see cref="AppCollection"/>. Tests that need another configuration (demo data, the Hangfire server, a pinned clock)
/// start their own <see cref="AppHost"/> and still use this browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private readonly ConcurrentBag<IBrowserContext> _contexts = [];

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The shared app host: empty database (no demo data), no Hangfire server.</summary>
    public AppHost App { get; private set; } = null!;

    /// <summary>The shared app's database, to seed data before a test opens its page. Use unique case numbers.</summary>
    public Support.TestDatabase Database => App.Database;

    /// <summary>Browser console errors of every page (also kept per test and asserted by <see cref="CleanBrowserConsoleAttribute"/>).</summary>
    public ConcurrentQueue<string> ConsoleErrors { get; } = new();

    public async ValueTask InitializeAsync()
    {
        // One expect-timeout for every browser test, set here once (not by whichever test happens to run first).
        Assertions.SetDefaultExpectTimeout(20_000);
        App = await AppHost.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            ],
        });
    }

    /// <summary>
    /// A page in a fresh browser context (own cookies: sign-ins don't leak between tests), zh-CN, at the given host
    /// (default: the shared one); relative URLs resolve against it.
    /// </summary>
    public async Task<IPage> NewPageAsync(AppHost? host = null)
    {
        host ??= App;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseUrl.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        _contexts.Add(context);
        host.Owns(context);
        var page = await context.NewPageAsync();
        var test = BrowserConsole.CurrentTest;
        void Record(string error)
        {
            ConsoleErrors.Enqueue(error);
            BrowserConsole.Record(test, error);
        }
        page.Console += (_, message) =>
        {
            if (message.Type == "error") Record($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => Record($"{page.Url}: {error}");
        return page;
    }

    public const string Password = "Test-Passw0rd-123";

    private readonly ConcurrentDictionary<AppHost, Task> _users = new();

    public static string UserNameFor(string role) => "u-" + role.ToLowerInvariant();

    /// <summary>
    /// A page signed in through the real sign-in form as the test user of <paramref name="role"/> (one per role and host,
    /// created on first use; a Leader user stands for <paramref name="leaderId"/> when given).
    /// </summary>
    public async Task<IPage> SignedInPageAsync(string role, AppHost? host = null, int? leaderId = null)
    {
        host ??= App;
        await _users.GetOrAdd(host, h => CreateUsersAsync(h, leaderId));
        var page = await NewPageAsync(host);
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", UserNameFor(role));
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        return page;
    }

    private static async Task CreateUsersAsync(AppHost host, int? leaderId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var role in Roles.All)
        {
            var user = new AppUser
            {
                UserName = UserNameFor(role), DisplayName = Roles.ToChinese(role) + "测试",
                LeaderId = role == Roles.Leader ? leaderId : null,
            };
            AccountFeature.ThrowIfFailed(await users.CreateAsync(user, Password));
            AccountFeature.ThrowIfFailed(await users.AddToRoleAsync(user, role));
        }
    }

    /// <summary>
    /// Waits until the Blazor circuit has rendered the layout interactively; clicks on prerendered markup before
    /// that are lost.
    /// </summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("#circuit-state[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Opens a MudSelect/MudAutocomplete (<paramref name="control"/>: its input-control selector) and picks the
    /// option whose whole text is <paramref name="text"/>, waiting until the list has closed.</summary>
    public static async Task PickAsync(IPage page, string control, string text)
    {
        await page.Locator(control).ClickAsync();
        var item = page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(text)}\\s*$") });
        await item.First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 5000 });
    }

    /// <summary>Waits for the circuit, then for an element the circuit renders (grid rows, a dialog, …).</summary>
    public static async Task<ILocator> WaitForCircuitAsync(IPage page, string selector)
    {
        await WaitForCircuitAsync(page);
        var locator = page.Locator(selector).First;
        await locator.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        return locator;
    }

    /// <summary>A phone's width (390 px), once the responsive drawer has closed: a screenshot taken right after the resize still shows it.</summary>
    public static async Task PhoneWidthAsync(IPage page)
    {
        await page.SetViewportSizeAsync(390, 844);
        await page.Locator(".mud-drawer.mud-drawer--closed").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>Saves a full-page screenshot as artifacts/screenshots/{name}.png and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Artifacts.Screenshots, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (!ConsoleErrors.IsEmpty)
            await File.WriteAllLinesAsync(Path.Combine(Artifacts.Logs, "browser-console-errors.log"), ConsoleErrors);
        foreach (var context in _contexts) await context.DisposeAsync();
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
    }
}

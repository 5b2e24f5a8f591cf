using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// The real app, in-process, on a real Kestrel loopback port, against its own temporary SQLite file. Demo data and the
/// Hangfire server are off unless the test turns them on (settings win over appsettings.json).
/// </summary>
public sealed class AppHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly string _calendarFolder = Path.Combine(Path.GetTempPath(), $"pd-calendars-{Guid.NewGuid():N}");

    private readonly bool _ownsDatabase;
    private readonly string _environment;

    private AppHost(TestDatabase database, bool ownsDatabase, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Demo:Enabled"] = "false",
            ["Jobs:RunServer"] = "false",
            ["Calendar:Folder"] = _calendarFolder,
            // The suite signs in as the same test users many times a minute, several pages at once: the sign-in rate limit
            // and the concurrent-session limit are tested on their own (SessionSecurityTests) and set out of the way here.
            ["Accounts:SignInPerAddress"] = "100000",
            ["Accounts:SignInPerUserName"] = "100000",
            ["Accounts:MaxSessionsPerUser"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
        _environment = _settings.Remove(EnvironmentSetting, out var environment) && environment is not null ? environment : "Development";
    }

    /// <summary>A setting that picks the host's environment instead of Development (e.g. "Production": HTTPS and HSTS on).</summary>
    public const string EnvironmentSetting = "environment";

    /// <summary>The app's database: seed it before the test opens a page (it implements IDbContextFactory&lt;AppDbContext&gt;).</summary>
    public TestDatabase Database { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>
    /// Starts a host. <paramref name="settings"/> override configuration keys ("Demo:Enabled" = "true",
    /// "Jobs:RunServer" = "true", …); <paramref name="services"/> replaces services (a pinned TimeProvider, a test
    /// authentication scheme, …).
    /// </summary>
    public static async Task<AppHost> StartAsync(
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreateAsync();
        return await StartAsync(new AppHost(database, ownsDatabase: true, settings, services));
    }

    /// <summary>
    /// A host on a database it shares with other hosts (a second node of one cluster): the caller disposes the database
    /// after the hosts.
    /// </summary>
    public static Task<AppHost> StartOnAsync(
        TestDatabase database, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        StartAsync(new AppHost(database, ownsDatabase: false, settings, services));

    private static async Task<AppHost> StartAsync(AppHost host)
    {
        try
        {
            host.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            host.StartServer();
            var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel did not report its address");
            host.BaseUrl = new Uri(addresses.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");
            host.ClientOptions.BaseAddress = host.BaseUrl;
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HttpClient on the Kestrel address that keeps cookies and, unless told, does not follow redirects.</summary>
    public HttpClient CreateHttpClient(bool followRedirects = false) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = BaseUrl, AllowAutoRedirect = followRedirects });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // UseSetting lands in the configuration Program.cs reads while it registers services.
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.UseEnvironment(_environment);
        // The suite's log output is scanned for personal data (SuiteLog).
        builder.ConfigureServices(s => s.AddSingleton(Support.SuiteLog.Provider));
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    private readonly System.Collections.Concurrent.ConcurrentBag<Microsoft.Playwright.IBrowserContext> _browserContexts = [];

    /// <summary>A browser context whose pages talk to this host: closed when the host stops (see <see cref="DisposeAsync"/>).</summary>
    public void Owns(Microsoft.Playwright.IBrowserContext context) => _browserContexts.Add(context);

    public override async ValueTask DisposeAsync()
    {
        // Pages still open when their host stops log the lost connection ("WebSocket closed with status code: 1006") into
        // the browser console, which fails the test that opened them (CleanBrowserConsoleAttribute) — or not, depending on
        // whether Chromium's message arrives before the test ends: a test that passed or failed by timing. Every page of
        // this host is closed first, whether its test passed, failed, or forgot.
        foreach (var context in _browserContexts)
        {
            try { await context.CloseAsync(); }
            catch (Microsoft.Playwright.PlaywrightException) { }   // the browser itself is already gone
        }
        await base.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
        if (Directory.Exists(_calendarFolder)) Directory.Delete(_calendarFolder, recursive: true);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Tests.Security;

/// <summary>
/// The whole app on the in-memory test server with a temporary SQLite database, no demo data, and one user per role
/// (password known to the tests only). Sign-in goes through the real login form, antiforgery token included.
/// </summary>
public sealed partial class SecuredAppFactory : WebApplicationFactory<Program>
{
    public const string Password = "Test-Passw0rd-123";
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"pd-web-{Guid.NewGuid():N}.db");

    /// <summary>This host's own admin calendar folder: a year one run uploads is never read by another.</summary>
    private readonly string _calendarFolder = Path.Combine(Path.GetTempPath(), $"pd-calendars-{Guid.NewGuid():N}");

    public static string UserNameFor(string role) => "u-" + role.ToLowerInvariant();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:ConnectionString", new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Calendar:Folder", _calendarFolder);
        // Many sign-ins as the same users within a minute: the limits are tested on their own hosts (SessionSecurityTests).
        builder.UseSetting("Accounts:SignInPerAddress", "100000");
        builder.UseSetting("Accounts:SignInPerUserName", "100000");
        builder.UseSetting("Accounts:MaxSessionsPerUser", "1000");
        // The suite's log output is scanned for personal data (SuiteLog).
        builder.ConfigureServices(s => s.AddSingleton(Support.SuiteLog.Provider));
    }

    private Task? _seeded;

    /// <summary>Starts the app once and creates one user per role.</summary>
    public Task EnsureSeededAsync() => _seeded ??= SeedAsync();

    private async Task SeedAsync()
    {
        StartServer(); // migrations and roles run at start-up
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var role in Roles.All)
        {
            var user = new AppUser { UserName = UserNameFor(role), DisplayName = Roles.ToChinese(role) + "测试" };
            AccountFeature.ThrowIfFailed(await users.CreateAsync(user, Password));
            AccountFeature.ThrowIfFailed(await users.AddToRoleAsync(user, role));
        }
    }

    public HttpClient CreateBrowserlessClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client signed in as the user of <paramref name="role"/> (null: anonymous).</summary>
    public async Task<HttpClient> ClientForAsync(string? role)
    {
        await EnsureSeededAsync();
        var client = CreateBrowserlessClient();
        if (role is null) return client;
        var response = await PostLoginAsync(client, UserNameFor(role), Password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {role} failed: {(int)response.StatusCode}");
        return client;
    }

    /// <summary>GETs the login page and posts its form (hidden fields, antiforgery token) with the given credentials.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string userName, string password, string? returnUrl = null)
    {
        var page = await client.GetStringAsync("/account/login" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl)));
        var fields = HiddenFields(page);
        fields["Input.UserName"] = userName;
        fields["Input.Password"] = password;
        return await client.PostAsync("/account/login" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl)),
            new FormUrlEncodedContent(fields));
    }

    /// <summary>The hidden fields of a page, the first of each name (a page with several forms repeats the antiforgery token).</summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html).GroupBy(m => m.Groups["name"].Value)
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["value"].Value));

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_path + suffix)) File.Delete(_path + suffix);
        if (Directory.Exists(_calendarFolder)) Directory.Delete(_calendarFolder, recursive: true);
    }
}

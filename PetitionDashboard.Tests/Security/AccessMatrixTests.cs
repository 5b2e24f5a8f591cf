using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Security;

/// <summary>
/// Every page and endpoint × (anonymous and every role, the three separated administrators included) through HTTP, against the server's own
/// answers (redirect to sign-in, access denied, 200): the browser's rendering plays no part.
/// </summary>
[Collection(Browser.AppCollection.Name)]
public class AccessMatrixTests(SecuredAppFactory app)
{
    private static readonly string All = string.Join(",", Roles.All);

    /// <summary>docs/rules.md §10 written out by hand, independent of the Policies table it checks.</summary>
    public static readonly (string Path, string Route, string AllowedRoles)[] Pages =
    [
        ("/", "/", "Leader,Supervisor,DutyOfficer"),
        ("/cases/LC-2026-000001", "cases/{caseNumber}", "Leader,Supervisor,DutyOfficer"),
        ("/register", "register", "DutyOfficer"),
        ("/repeats", "repeats", "Leader,Supervisor,DutyOfficer"),
        ("/threads/1", "threads/{id:int}", "Leader,Supervisor,DutyOfficer"),
        ("/assignments", "assignments", "DutyOfficer"),
        ("/assignments/mine", "assignments/mine", "Leader"),
        ("/instructions/mine", "instructions/mine", "Leader"),
        ("/assignments/workload", "assignments/workload", "Leader,Supervisor,DutyOfficer"),
        ("/assignments/batches", "assignments/batches", "Leader,Supervisor,DutyOfficer"),
        ("/assignments/extensions", "assignments/extensions", "Supervisor,SystemAdmin"),
        ("/assignments/leaders/1", "assignments/leaders/{leaderid:int}", "Leader,Supervisor,DutyOfficer"),
        ("/reports", "reports", "Supervisor"),
        ("/scoring", "scoring", "Supervisor"),
        ("/import", "import", "DutyOfficer,SystemAdmin"),
        ("/statistics", "statistics", "Leader,Supervisor,DutyOfficer,SystemAdmin"),
        ("/statistics/list?week=2026-W47&figure=New", "statistics/list", "Leader,Supervisor,DutyOfficer,SystemAdmin"),
        ("/admin/calendar", "admin/calendar", "SystemAdmin"),
        ("/admin/users", "admin/users", "SystemAdmin,SecurityAdmin"),
        ("/audit", "audit", "Supervisor,AuditAdmin"),
        ("/jobs", "jobs", "SystemAdmin"),
        ("/account/change-password", "account/change-password", All),
    ];

    private static readonly string?[] Identities = [null, .. Roles.All];

    [Fact]
    public async Task EveryPage_AnswersEachRoleAsSection10Says()
    {
        await app.EnsureSeededAsync();
        var routes = RoutePatterns();
        var expected = new StringBuilder();
        var actual = new StringBuilder();
        foreach (var identity in Identities)
        {
            using var client = await app.ClientForAsync(identity);
            foreach (var (path, route, allowed) in Pages)
            {
                var exists = route == "/" ? routes.Contains("") : routes.Any(r => r.StartsWith(route, StringComparison.OrdinalIgnoreCase));
                Assert.True(exists, $"no page is routed at {route}");
                var expect = identity is null ? "login" : allowed.Split(',').Contains(identity) ? "allowed" : "refused";
                var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
                expected.AppendLine($"{identity ?? "anonymous",-12} {path,-28} {expect}");
                actual.AppendLine($"{identity ?? "anonymous",-12} {path,-28} {Classify(response)}");
            }
        }
        TestContext.Current.SendDiagnosticMessage(actual.ToString());
        Assert.Equal(expected.ToString(), actual.ToString());
        Assert.Equal(Identities.Length * Pages.Length, actual.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task EveryRoutedPage_IsClosedToAnonymousUsersUnlessItIsPartOfSignIn()
    {
        await app.EnsureSeededAsync();
        using var client = app.CreateBrowserlessClient();
        var open = new[] { "account/login", "account/access-denied", "Error", "not-found" };
        foreach (var route in PageRoutePatterns().Where(r => !r.StartsWith("_") && !r.Contains('{') && !open.Contains(r, StringComparer.OrdinalIgnoreCase)))
        {
            var response = await client.GetAsync("/" + route, TestContext.Current.CancellationToken);
            Assert.True(Classify(response) == "login", $"/{route} answered {(int)response.StatusCode} to an anonymous user");
        }
    }

    [Fact]
    public async Task SignOut_IsAPostWithAntiforgery_AndEndsTheSession()
    {
        using var client = await app.ClientForAsync(Roles.Supervisor);
        Assert.Equal("allowed", Classify(await client.GetAsync("/audit", TestContext.Current.CancellationToken)));

        // A forged cross-site POST without the token is refused and signs nobody out.
        var forged = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" }),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("allowed", Classify(await client.GetAsync("/audit", TestContext.Current.CancellationToken)));

        var page = await client.GetStringAsync("/account/change-password", TestContext.Current.CancellationToken);
        var token = SecuredAppFactory.HiddenFields(page)["__RequestVerificationToken"];
        var logout = await client.PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["returnUrl"] = "/" }),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("login", Classify(await client.GetAsync("/audit", TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task SignIn_RefusesAPostWithoutTheAntiforgeryToken()
    {
        await app.EnsureSeededAsync();
        using var client = app.CreateBrowserlessClient();
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.UserName"] = SecuredAppFactory.UserNameFor(Roles.SystemAdmin), ["Input.Password"] = SecuredAppFactory.Password,
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("login", Classify(await client.GetAsync("/admin/users", TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task SignIn_GoesBackToTheRequestedPage_ButNeverToAnotherSite()
    {
        await app.EnsureSeededAsync();
        using var client = app.CreateBrowserlessClient();
        var back = await SecuredAppFactory.PostLoginAsync(client, SecuredAppFactory.UserNameFor(Roles.SystemAdmin), SecuredAppFactory.Password, "/admin/users");
        var target = new Uri(new Uri("http://localhost/"), back.Headers.Location!);
        Assert.Equal(("localhost", "/admin/users"), (target.Host, target.AbsolutePath));

        using var other = app.CreateBrowserlessClient();
        var evil = await SecuredAppFactory.PostLoginAsync(other, SecuredAppFactory.UserNameFor(Roles.Supervisor), SecuredAppFactory.Password, "//evil.example/x");
        var evilTarget = new Uri(new Uri("http://localhost/"), evil.Headers.Location!);
        Assert.Equal(("localhost", "/"), (evilTarget.Host, evilTarget.AbsolutePath));

        // The administrators, who may not read the dashboards, start at their own work rather than on a refusal.
        foreach (var (role, start) in new[] { (Roles.SystemAdmin, "/admin/users"), (Roles.SecurityAdmin, "/admin/users"), (Roles.AuditAdmin, "/audit") })
        {
            using var admin = app.CreateBrowserlessClient();
            var home = await SecuredAppFactory.PostLoginAsync(admin, SecuredAppFactory.UserNameFor(role), SecuredAppFactory.Password);
            Assert.Equal(start, new Uri(new Uri("http://localhost/"), home.Headers.Location!).AbsolutePath);
        }
    }

    /// <summary>Download endpoints: a role that may use one reaches its handler (which may then answer 400/404 for the test's
    /// made-up week or file); the others never do.</summary>
    public static readonly (string Path, string AllowedRoles)[] Endpoints =
    [
        ("/reports/supervision/not-a-week.xlsx", "Supervisor"),
        ("/reports/history/0", "Supervisor"),
        ("/reports/notices/0.xlsx", "Supervisor"),
        ("/import/errors/00000000000000000000000000000000.xlsx", "DutyOfficer,SystemAdmin"),
        ("/audit/export/00000000000000000000000000000000.xlsx", "Supervisor,AuditAdmin"),
    ];

    [Fact]
    public async Task EveryDownloadEndpoint_AnswersEachRoleAsSection10Says()
    {
        await app.EnsureSeededAsync();
        foreach (var identity in Identities)
        {
            using var client = await app.ClientForAsync(identity);
            foreach (var (path, allowed) in Endpoints)
            {
                var expect = identity is null ? "login" : allowed.Split(',').Contains(identity) ? "allowed" : "refused";
                var answer = Classify(await client.GetAsync(path, TestContext.Current.CancellationToken));
                var reached = answer is not ("login" or "refused") ? "allowed" : answer;
                Assert.True(expect == reached, $"{identity ?? "anonymous"} {path}: expected {expect}, got {answer}");
            }
        }
    }

    /// <summary>login = sent to sign in; refused = signed in but denied; allowed = the page itself.</summary>
    private static string Classify(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.OK => "allowed",
            HttpStatusCode.Unauthorized => "login",
            HttpStatusCode.Redirect when location.Contains("/account/login", StringComparison.OrdinalIgnoreCase) => "login",
            HttpStatusCode.Redirect when location.Contains("/account/access-denied", StringComparison.OrdinalIgnoreCase) => "refused",
            HttpStatusCode.Forbidden => "refused",
            _ => $"{(int)response.StatusCode} {location}",
        };
    }

    /// <summary>Routes of Blazor pages (not static files).</summary>
    private List<string> PageRoutePatterns() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)
            .Select(e => e.RoutePattern.RawText?.TrimStart('/') ?? "").Distinct().ToList();

    private List<string> RoutePatterns() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText?.TrimStart('/') ?? "").Distinct().ToList();
}

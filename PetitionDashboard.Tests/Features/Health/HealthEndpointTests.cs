using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Tests.Browser;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Health;

/// <summary>
/// /healthz and /readyz as a load balancer sees them: anonymous, JSON, each check by name and state, nothing of the
/// data or the configuration; /readyz refuses traffic (503) when this year's holiday calendar is missing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HealthEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_Anonymous_AnswersJsonHealthy()
    {
        await using var host = await AppHost.StartAsync();
        using var client = host.CreateHttpClient();

        using var response = await client.GetAsync("/healthz", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_Anonymous_NamesEachCheckAndRevealsNoData()
    {
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(TestClock.AtShanghai(2026, 3, 21)));
        using var client = host.CreateHttpClient();

        using var response = await client.GetAsync("/readyz", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal(["calendar", "database", "jobs"], checks.EnumerateObject().Select(c => c.Name).Order());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
        // Nothing an outsider could use: no file path or connection string, no user.
        Assert.DoesNotContain(Path.GetFileName(host.Database.ConnectionString.Split('=')[1]), body, StringComparison.Ordinal);
        Assert.DoesNotContain("Data Source", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_CalendarOfThisYearMissing_Answers503NamingTheCalendar()
    {
        // 2031: the app ships 2024–2026; nobody added 2031.
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(TestClock.AtShanghai(2031, 1, 6)));
        using var client = host.CreateHttpClient();

        using var response = await client.GetAsync("/readyz", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
        var calendar = json.RootElement.GetProperty("checks").GetProperty("calendar");
        Assert.Equal("Unhealthy", calendar.GetProperty("status").GetString());
        Assert.Contains("2031", calendar.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }
}

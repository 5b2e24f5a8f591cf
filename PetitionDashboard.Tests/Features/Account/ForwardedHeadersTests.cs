using System.Net;
using PetitionDashboard.Tests.Browser;

namespace PetitionDashboard.Tests.Features.Account;

/// <summary>
/// Behind nginx (TLS ends at the proxy, the app listens on plain HTTP): in Production the app believes
/// X-Forwarded-Proto only from the configured proxies, so a request that came in over HTTPS is served with HSTS and not
/// redirected, and a forged header from anyone else changes nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ForwardedHeadersTests
{
    private const string PublicHost = "xinfang.example.gov.cn";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Production(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { [AppHost.EnvironmentSetting] = "Production", ["https_port"] = "443" };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    private static async Task<HttpResponseMessage> GetAsync(AppHost host, string? forwardedProto)
    {
        // A plain client on Kestrel's address: the redirect must be seen, not followed to the public name.
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = host.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = PublicHost;
        if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task FromTheProxy_HttpsForwarded_ServedWithHstsAndNoRedirect()
    {
        // Default: the proxy on this machine (loopback) is the trusted one.
        await using var host = await AppHost.StartAsync(Production());

        using var plain = await GetAsync(host, forwardedProto: null);
        using var forwarded = await GetAsync(host, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal($"https://{PublicHost}/healthz", plain.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        Assert.Contains("max-age=31536000", string.Join(";", forwarded.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotFromTheConfiguredProxy_ForwardedHttpsIgnored()
    {
        // Only 10.9.9.9 is the proxy: the test client on loopback is not, so its header is not believed.
        await using var host = await AppHost.StartAsync(Production(("ForwardedHeaders:KnownProxies:0", "10.9.9.9")));

        using var forged = await GetAsync(host, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Strict-Transport-Security"));
    }
}

namespace PetitionDashboard.Tests.Security;

[Collection(Browser.AppCollection.Name)]
public class SecurityHeadersTests(SecuredAppFactory app)
{
    [Fact]
    public async Task Responses_CarryTheSecurityHeaders_AndTheImportMapHasTheCspNonce()
    {
        await app.EnsureSeededAsync();
        using var client = app.CreateBrowserlessClient();
        var response = await client.GetAsync("/account/login", TestContext.Current.CancellationToken);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").First(v => v.Contains("default-src"));
        Assert.Contains("script-src 'self' 'nonce-", csp);
        Assert.Contains("connect-src 'self' ws: wss:", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);

        var nonce = csp.Split("'nonce-")[1].Split('\'')[0];
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var importMap = html[html.IndexOf("<script type=\"importmap\"", StringComparison.Ordinal)..];
        Assert.Contains($"nonce=\"{nonce}\"", importMap[..importMap.IndexOf('>')]);
    }
}

using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Admin;
using PetitionDashboard.Tests.Browser;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Security;

/// <summary>
/// Sessions, sign-in and passwords over HTTP against the whole app (docs/rules.md §10): a copied cookie is worthless after
/// sign-out or a role change; one message for unknown, wrong and locked; the forced password change; the rate limits.
/// The cookies are handled by hand, so the test holds the very cookie a thief would have copied.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SessionSecurityTests(SecuredAppFactory app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AfterSignOut_ACopyOfTheSessionCookie_IsSentToSignIn()
    {
        await app.EnsureSeededAsync();
        var browser = new CookieJar(app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(SecuredAppFactory.UserNameFor(Roles.Supervisor), SecuredAppFactory.Password)).StatusCode);
        var copy = browser.Copy();
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/audit")).StatusCode);

        var token = SecuredAppFactory.HiddenFields(await (await browser.GetAsync("/account/change-password")).Content.ReadAsStringAsync(Ct))["__RequestVerificationToken"];
        var logout = await browser.PostAsync("/account/logout", new() { ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        var after = await copy.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", new Uri(new Uri("http://localhost/"), after.Headers.Location!).AbsolutePath);
        // The sign-in page says why, about this browser's own session only.
        Assert.Equal("您已在其他页面或设备上退出登录，请重新登录。", await NoticeAtAsync(after.Headers.Location!));
    }

    [Fact]
    public async Task AfterTheIdleTimeout_TheSignInPageSaysSo_InChinese()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var host = await AppHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = "idle-http", DisplayName = "idle-http" };
            AccountFeature.ThrowIfFailed(await users.CreateAsync(user, SecuredAppFactory.Password));
            AccountFeature.ThrowIfFailed(await users.AddToRoleAsync(user, Roles.Supervisor));
        }
        // Its own handler: the Kestrel host's client follows redirects, and the test must see the one to sign-in.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
            { BaseAddress = host.BaseUrl };
        Assert.Equal(HttpStatusCode.Redirect, (await SecuredAppFactory.PostLoginAsync(client, "idle-http", SecuredAppFactory.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit", Ct)).StatusCode);

        clock.Now += TimeSpan.FromMinutes(30);
        var after = await client.GetAsync("/audit", Ct);

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("reason=Idle", after.Headers.Location!.OriginalString);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(after.Headers.Location, Ct));
        Assert.Contains("您已 30 分钟未操作，为保护信息安全已自动退出，请重新登录。", page);
        Assert.DoesNotContain("idle-http", page); // nothing about the account
    }

    [Fact]
    public async Task TheSignInPage_ShowsOnlyItsOwnSentences_NeverAHandMadeReasonOrAnAccount()
    {
        await app.EnsureSeededAsync();
        Assert.Null(await NoticeAtAsync(new Uri("/account/login?reason=%3Cb%3Eu-auditadmin%3C%2Fb%3E", UriKind.Relative)));
        Assert.Null(await NoticeAtAsync(new Uri("/account/login", UriKind.Relative)));
        Assert.Equal("您的账户已停用，如有疑问请联系系统管理员。", await NoticeAtAsync(new Uri("/account/login?reason=Disabled", UriKind.Relative)));
    }

    [Fact]
    public async Task ARoleChange_EndsTheUsersSignedInCookie_AtOnce()
    {
        await app.EnsureSeededAsync();
        var user = await CreateUserAsync("role-change", Roles.Supervisor);
        var browser = new CookieJar(app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }));
        await browser.SignInAsync("role-change", SecuredAppFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/audit")).StatusCode);

        await AdminService(Roles.SecurityAdmin).SetRolesAsync(user.Id, new RoleGrant { Roles = [Roles.DutyOfficer] }, Ct);

        var after = await browser.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", new Uri(new Uri("http://localhost/"), after.Headers.Location!).AbsolutePath);
        Assert.Equal("您的角色已变更，请重新登录。", await NoticeAtAsync(after.Headers.Location!));
        // Signed in again, the new role applies.
        await browser.SignInAsync("role-change", SecuredAppFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/register")).StatusCode);
    }

    [Fact]
    public async Task UnknownNames_WrongPasswords_DisabledAndLockedAccounts_AllGetTheSameAnswer()
    {
        await app.EnsureSeededAsync();
        var disabled = await CreateUserAsync("same-disabled", Roles.Supervisor);
        await AdminService(Roles.SystemAdmin).SetDisabledAsync(disabled.Id, true, Ct);
        await CreateUserAsync("same-locked", Roles.Supervisor);
        for (var i = 0; i < 5; i++) await LoginErrorAsync("same-locked", "Wrong-password-1");

        var answers = new[]
        {
            await LoginErrorAsync("nobody-at-all", "Wrong-password-1"),
            await LoginErrorAsync(SecuredAppFactory.UserNameFor(Roles.Leader), "Wrong-password-1"),
            await LoginErrorAsync("same-disabled", SecuredAppFactory.Password),
            await LoginErrorAsync("same-locked", SecuredAppFactory.Password),
        };

        Assert.All(answers, a => Assert.Equal(AccountSignIn.FailureMessage, a));
    }

    [Fact]
    public async Task AGeneratedPassword_MustBeChangedFirst_NamingTheBrokenRules_ThenTheUserWorks()
    {
        await app.EnsureSeededAsync();
        var password = await AdminService(Roles.SystemAdmin).CreateAsync(new UserInput { UserName = "first-time", DisplayName = "首次登录" }, Ct);
        var id = (await AdminService(Roles.SystemAdmin).ListAsync("first-time", 0, 10, Ct)).Rows.Single().Id;
        await AdminService(Roles.SecurityAdmin).SetRolesAsync(id, new RoleGrant { Roles = [Roles.Supervisor] }, Ct);
        var browser = new CookieJar(app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }));

        var signIn = await browser.SignInAsync("first-time", password);
        Assert.Equal(AccountFeature.ChangePasswordPath, new Uri(new Uri("http://localhost/"), signIn.Headers.Location!).AbsolutePath);
        foreach (var path in new[] { "/", "/audit" })
        {
            var page = await browser.GetAsync(path);
            Assert.Equal((HttpStatusCode.Redirect, AccountFeature.ChangePasswordPath), (page.StatusCode, page.Headers.Location?.OriginalString));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/reports/supervision/2026-W47.xlsx")).StatusCode);
        var form = await browser.GetAsync(AccountFeature.ChangePasswordPath);
        Assert.Contains("请先设置新密码", WebUtility.HtmlDecode(await form.Content.ReadAsStringAsync(Ct)));

        var weak = await ChangePasswordAsync(browser, password, "abc-first-time");
        Assert.Contains("密码字符种类：大写字母、小写字母、数字、符号四类中至少包含 3 类（当前 2 类）。；密码内容：不能包含用户名。", weak);
        var done = await ChangePasswordAsync(browser, password, "Duban-2026-xyz");
        Assert.Contains("密码已修改", done);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/audit")).StatusCode);
    }

    [Fact]
    public async Task SignIn_IsRateLimitedPerUserName_AndPerAddress_AndTheRefusalIsAudited()
    {
        await using var host = await AppHost.StartAsync(new Dictionary<string, string?>
        {
            ["Accounts:SignInPerUserName"] = "3", ["Accounts:SignInPerAddress"] = "5", ["Accounts:SignInWindowMinutes"] = "60",
        });
        using var client = host.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await SecuredAppFactory.PostLoginAsync(client, "target", "Wrong-password-1")).StatusCode);
        // Another name from the same address: the address has 5.
        statuses.Add((await SecuredAppFactory.PostLoginAsync(client, "other", "Wrong-password-1")).StatusCode);
        statuses.Add((await SecuredAppFactory.PostLoginAsync(client, "other", "Wrong-password-1")).StatusCode);
        var refused = await SecuredAppFactory.PostLoginAsync(client, "third", "Wrong-password-1");
        statuses.Add(refused.StatusCode);

        // "target" has 3; its refused 4th attempt costs the address nothing, so "other" gets the address's 4th and 5th.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests,
            HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("登录尝试过于频繁，请稍后再试。", await refused.Content.ReadAsStringAsync(Ct));
        await using var db = await host.Database.CreateDbContextAsync(Ct);
        var throttled = await db.AuditEntries.Where(a => a.Action == AuditActions.SignInThrottled).OrderBy(a => a.Id).Select(a => a.Actor).ToListAsync(Ct);
        Assert.Equal(["TARGET", "THIRD"], throttled);
        // The sign-in page itself (a GET) is never limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login", Ct)).StatusCode);
    }

    private UserAdminService AdminService(string role) =>
        new UserAdminService(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(),
            new AccessGuard(FixedCurrentUser.For(SecuredAppFactory.UserNameFor(role), [role])), app.Services.GetRequiredService<TimeProvider>(),
            app.Services.GetRequiredService<UserSessions>());

    private async Task<AppUser> CreateUserAsync(string userName, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, DisplayName = userName };
        AccountFeature.ThrowIfFailed(await users.CreateAsync(user, SecuredAppFactory.Password));
        AccountFeature.ThrowIfFailed(await users.AddToRoleAsync(user, role));
        return user;
    }

    /// <summary>The sign-in page's "why you are here" sentence at <paramref name="location"/> (null: none shown).</summary>
    private async Task<string?> NoticeAtAsync(Uri location)
    {
        using var client = app.CreateBrowserlessClient();
        var html = WebUtility.HtmlDecode(await client.GetStringAsync(location, Ct));
        var match = System.Text.RegularExpressions.Regex.Match(html, "<div class=\"account-notice\" role=\"status\" id=\"session-end-notice\"[^>]*>(?<text>[^<]*)</div>");
        return match.Success ? match.Groups["text"].Value : null;
    }

    /// <summary>The text of the sign-in page's error after a failed attempt.</summary>
    private async Task<string> LoginErrorAsync(string userName, string password)
    {
        using var client = app.CreateBrowserlessClient();
        var response = await SecuredAppFactory.PostLoginAsync(client, userName, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        var match = System.Text.RegularExpressions.Regex.Match(html, "<div class=\"account-error\" role=\"alert\">(?<text>[^<]*)</div>");
        Assert.True(match.Success, $"{userName}: no error shown");
        return match.Groups["text"].Value;
    }

    private static async Task<string> ChangePasswordAsync(CookieJar browser, string current, string next)
    {
        var page = await (await browser.GetAsync(AccountFeature.ChangePasswordPath)).Content.ReadAsStringAsync(Ct);
        var fields = SecuredAppFactory.HiddenFields(page);
        fields["Input.CurrentPassword"] = current;
        fields["Input.NewPassword"] = next;
        fields["Input.ConfirmPassword"] = next;
        var response = await browser.PostAsync(AccountFeature.ChangePasswordPath, fields);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>An HTTP client whose cookies the test holds itself, so it can hand a copy to a second client.</summary>
    private sealed class CookieJar(HttpClient client, Dictionary<string, string>? cookies = null)
    {
        private readonly Dictionary<string, string> _cookies = cookies ?? new(StringComparer.Ordinal);

        public CookieJar Copy() => new(client, new Dictionary<string, string>(_cookies, StringComparer.Ordinal));

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) });

        public async Task<HttpResponseMessage> SignInAsync(string userName, string password)
        {
            var fields = SecuredAppFactory.HiddenFields(await (await GetAsync("/account/login")).Content.ReadAsStringAsync(Ct));
            fields["Input.UserName"] = userName;
            fields["Input.Password"] = password;
            return await PostAsync("/account/login", fields);
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await client.SendAsync(request, Ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var header in set)
                {
                    var pair = header.Split(';')[0];
                    var eq = pair.IndexOf('=');
                    var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                    if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) _cookies.Remove(name);
                    else _cookies[name] = value;
                }
            return response;
        }
    }
}

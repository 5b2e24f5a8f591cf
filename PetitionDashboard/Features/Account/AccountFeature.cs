using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

/// <summary>The account feature: sign-in, roles and policies, the security middleware, the sign-out endpoint.</summary>
public static class AccountFeature
{
    /// <summary>Every node must use the same name, or they cannot read each other's cookies.</summary>
    public const string DataProtectionApplicationName = "PetitionDashboard";

    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string AccessDeniedPath = "/account/access-denied";

    /// <summary>Sign-in (Identity with cookies), roles, the policy table, the current user and personal-data views.</summary>
    public static IHostApplicationBuilder AddAccount(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var isDevelopment = builder.Environment.IsDevelopment();
        services.AddRuleOptions<AccountOptions>(AccountOptions.Section);

        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<CurrentUser>());
        services.AddScoped<AccessGuard>();
        services.AddScoped<SessionEndNotice>();
        services.AddScoped<CircuitHandler, CurrentUserCircuitHandler>();
        services.AddSingleton<UserSessions>();
        services.AddScoped<AccountSignIn>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, AccountRevalidatingAuthenticationStateProvider>();

        services.AddAuthorization(Policies.Configure);
        services.AddAuthentication(o =>
        {
            o.DefaultScheme = IdentityConstants.ApplicationScheme;
            o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        }).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = LoginPath;
            o.LogoutPath = LogoutPath;
            o.AccessDeniedPath = AccessDeniedPath;
            o.Cookie.Name = "pd.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.SlidingExpiration = true;
            // Every request first asks the server-side session (idle, lifetime, ended by sign-out or an administrator), then
            // Identity's security stamp check.
            var stampCheck = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<UserSessions>();
                var check = await sessions.CheckAsync(context.Principal?.SessionId(), activity: true, context.HttpContext.RequestAborted);
                if (!check.Valid)
                {
                    // The redirect to sign-in this request may lead to says why (SessionEndNotice).
                    context.HttpContext.Items[SessionEndNotice.HttpItem] = check.EndReason;
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await stampCheck(context);
            };
            var redirectToLogin = o.Events.OnRedirectToLogin;
            o.Events.OnRedirectToLogin = context =>
            {
                context.RedirectUri = SessionEndNotice.WithReason(context.RedirectUri, context.HttpContext.Items[SessionEndNotice.HttpItem] as string);
                return redirectToLogin(context);
            };
        });
        // The cookie cannot outlive the session's absolute lifetime; the session row decides everything shorter.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AccountOptions>>((o, account) => o.ExpireTimeSpan = TimeSpan.FromHours(account.Value.SessionHours));
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // The refreshed cookie keeps its session and its "must change the password" mark.
            o.OnRefreshingPrincipal = context =>
            {
                var kept = context.CurrentPrincipal?.Claims
                    .Where(c => c.Type is AccountClaims.SessionId or AccountClaims.MustChangePassword).ToList() ?? [];
                if (context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity) identity.AddClaims(kept);
                return Task.CompletedTask;
            };
        });

        // Identity's stores want a scoped context; it comes from the same factory (with the audit interceptor).
        services.TryAddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddIdentityCore<AppUser>(o =>
            {
                // The rules themselves are PasswordPolicyValidator's (one place, messages naming each rule).
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Password.RequiredLength = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.SignIn.RequireConfirmedAccount = true; // "confirmed" = not disabled, see EnabledUserConfirmation
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserStore<AppUserStore>()
            .AddPasswordValidator<PasswordPolicyValidator>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<ChineseIdentityErrorDescriber>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((o, account) =>
        {
            o.Lockout.MaxFailedAccessAttempts = account.Value.LockoutFailures;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(account.Value.LockoutMinutes);
        });
        services.AddScoped<IUserConfirmation<AppUser>, EnabledUserConfirmation>();

        services.AddRateLimiter(ConfigureSignInRateLimits);

        services.AddHsts(o => { o.MaxAge = TimeSpan.FromDays(365); o.IncludeSubDomains = true; });

        // Keys in the database and one application name: a cookie issued by one node is valid on every other, and after
        // a restart (docs/deploy.md).
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IDbContextFactory<AppDbContext>>(
            (o, dbs) => o.XmlRepository = new DatabaseKeyRepository(dbs));

        // Behind nginx: scheme and client address from X-Forwarded-*, trusted only from the configured proxies.
        services.AddRuleOptions<ProxyOptions>(ProxyOptions.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxy) => proxy.Value.ApplyTo(o));

        services.AddScoped<PersonalDataView>();
        services.AddSingleton<IDemoSeedStep, DemoAccountsSeedStep>();
        return builder;
    }

    /// <summary>HTTPS (outside Development), security headers, authentication, authorization, and the audit actor per request.</summary>
    public static WebApplication UseAccountSecurity(this WebApplication app)
    {
        // First, so HTTPS redirection, HSTS, cookies and the audit see the client's scheme and address.
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseSecurityHeaders();
        app.UseSignInRateLimits();
        app.UseAuthentication();
        app.UsePasswordChangeFirst();
        app.UseAuthorization();
        var actor = app.Services.GetRequiredService<AuditActorAccessor>();
        app.Use(async (context, next) =>
        {
            using (actor.Use(() => context.RequestServices.GetRequiredService<ICurrentUser>().UserName))
                await next(context);
        });
        return app;
    }

    /// <summary>Sign-out: a POST with the antiforgery token (a GET cannot sign anybody out).</summary>
    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder app)
    {
        app.MapPost(LogoutPath, async (HttpContext context, [FromServices] AccountSignIn signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync(context.User, context.RequestAborted);
            return TypedResults.LocalRedirect(LoginPath);
        });
        return app;
    }

    public const string ChangePasswordPath = "/account/change-password";
    private const string SignInUserNameItem = "pd.signin-user";

    /// <summary>
    /// ASP.NET Core's rate limiter on the sign-in form's POST only: per client address (behind nginx: the forwarded one) and
    /// per user name from any address, each <c>SignInPer…</c> attempts per <c>SignInWindowMinutes</c>. A refused attempt
    /// answers 429 with a Chinese message and is audited.
    /// </summary>
    private static void ConfigureSignInRateLimits(Microsoft.AspNetCore.RateLimiting.RateLimiterOptions o)
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        // User name first: an attempt refused for its name then costs its address nothing (the middleware asks a refusing
        // limiter twice, and every limiter of the chain before it pays each time).
        o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignInPost(context)
                ? SignInWindow("user:" + (context.Items[SignInUserNameItem] as string ?? ""), context, a => a.SignInPerUserName)
                : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(context => IsSignInPost(context)
                ? SignInWindow("address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), context, a => a.SignInPerAddress)
                : RateLimitPartition.GetNoLimiter("")));
        o.OnRejected = async (rejected, ct) =>
        {
            var context = rejected.HttpContext;
            var userName = context.Items[SignInUserNameItem] as string;
            await context.RequestServices.GetRequiredService<AuditLog>().RecordAsync(AuditActions.SignInThrottled,
                detail: $"来源 {context.Connection.RemoteIpAddress}", actorName: string.IsNullOrEmpty(userName) ? "（未填用户名）" : userName, ct: ct);
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("登录尝试过于频繁，请稍后再试。", ct);
        };
    }

    private static RateLimitPartition<string> SignInWindow(string key, HttpContext context, Func<AccountOptions, int> limit)
    {
        var account = context.RequestServices.GetRequiredService<IOptions<AccountOptions>>().Value;
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(limit(account), 1), Window = TimeSpan.FromMinutes(Math.Max(account.SignInWindowMinutes, 1)), QueueLimit = 0,
        });
    }

    private static bool IsSignInPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>The user name of a sign-in POST (read from the buffered form, which the page reads again), then the limiter.</summary>
    private static void UseSignInRateLimits(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsSignInPost(context) && context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                context.Items[SignInUserNameItem] = form["Input.UserName"].ToString().Trim().ToUpperInvariant();
            }
            await next(context);
        });
        app.UseRateLimiter();
    }

    /// <summary>
    /// While a generated, reset or expired password is not yet changed, the user reaches nothing but the change-password
    /// page and sign-out: pages redirect there, everything else (circuits, downloads) is refused.
    /// </summary>
    private static void UsePasswordChangeFirst(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.User.MustChangePassword())
        {
            var path = context.Request.Path;
            var open = path.Equals(ChangePasswordPath, StringComparison.OrdinalIgnoreCase) || path.Equals(LogoutPath, StringComparison.OrdinalIgnoreCase)
                || context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
            if (!open)
            {
                var isPage = HttpMethods.IsGet(context.Request.Method)
                    && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null;
                if (isPage) context.Response.Redirect(ChangePasswordPath);
                else context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
        }
        await next(context);
    });

    internal static void ThrowIfFailed(IdentityResult result)
    {
        if (!result.Succeeded) throw new ActionRefusedException(string.Join("；", result.Errors.Select(e => e.Description)));
    }
}

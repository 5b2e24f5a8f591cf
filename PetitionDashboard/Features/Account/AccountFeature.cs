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
        services.AddScoped<CircuitHandler, CurrentUserCircuitHandler>();
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
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AccountOptions>>((o, account) => o.ExpireTimeSpan = TimeSpan.FromHours(account.Value.SessionHours));
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        // Identity's stores want a scoped context; it comes from the same factory (with the audit interceptor).
        services.TryAddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.AllowedForNewUsers = true;
                o.SignIn.RequireConfirmedAccount = true; // "confirmed" = not disabled, see EnabledUserConfirmation
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<ChineseIdentityErrorDescriber>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((o, account) =>
        {
            o.Password.RequiredLength = account.Value.PasswordMinLength;
            o.Lockout.MaxFailedAccessAttempts = account.Value.LockoutFailures;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(account.Value.LockoutMinutes);
        });
        services.AddScoped<IUserConfirmation<AppUser>, EnabledUserConfirmation>();

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
        app.UseAuthentication();
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
        app.MapPost(LogoutPath, async (HttpContext context, [FromServices] SignInManager<AppUser> signIn, [FromServices] AuditLog audit,
            [FromForm] string? returnUrl) =>
        {
            var name = context.User.Identity?.Name;
            await signIn.SignOutAsync();
            if (name is not null) await audit.RecordAsync(AuditActions.SignOut, actorName: name, ct: context.RequestAborted);
            return TypedResults.LocalRedirect(LoginPath);
        });
        return app;
    }

    internal static void ThrowIfFailed(IdentityResult result)
    {
        if (!result.Succeeded) throw new ActionRefusedException(string.Join("；", result.Errors.Select(e => e.Description)));
    }
}

using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Admin;
using PetitionDashboard.Features.Audit;

namespace PetitionDashboard.Features.Account;

/// <summary>Composition of sign-in, roles, the audit trail and the security middleware; Program.cs calls these three.</summary>
public static class AccountServices
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string AccessDeniedPath = "/account/access-denied";

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddAccounts(builder.Configuration, builder.Environment.IsDevelopment());
        return builder;
    }

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration, bool isDevelopment)
    {
        var section = configuration.GetSection(AccountOptions.Section);
        services.Configure<AccountOptions>(section);
        var options = section.Get<AccountOptions>() ?? new AccountOptions();

        services.AddPetitionAudit();
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
            o.ExpireTimeSpan = TimeSpan.FromHours(options.SessionHours);
            o.SlidingExpiration = true;
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        // Identity's stores want a scoped context; it comes from the same factory (with the audit interceptor).
        services.TryAddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = options.PasswordMinLength;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = options.LockoutFailures;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(options.LockoutMinutes);
                o.SignIn.RequireConfirmedAccount = true; // "confirmed" = not disabled, see EnabledUserConfirmation
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<ChineseIdentityErrorDescriber>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>();
        services.AddScoped<IUserConfirmation<AppUser>, EnabledUserConfirmation>();

        services.AddHsts(o => { o.MaxAge = TimeSpan.FromDays(365); o.IncludeSubDomains = true; });

        services.AddScoped<AuditLog>();
        services.AddScoped<AuditQueryService>();
        services.AddScoped<PersonalDataView>();
        services.AddScoped<UserAdminService>();
        return services;
    }

    /// <summary>HTTPS (outside Development), security headers, authentication, authorization, and the audit actor per request.</summary>
    public static WebApplication UseAccountSecurity(this WebApplication app)
    {
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
    public static WebApplication MapAccountEndpoints(this WebApplication app)
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

    /// <summary>The four roles exist in every database (created at start-up, idempotent).</summary>
    public static async Task EnsureRolesAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            ct.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(role))
                ThrowIfFailed(await roles.CreateAsync(new IdentityRole(role)));
        }
    }

    internal static void ThrowIfFailed(IdentityResult result)
    {
        if (!result.Succeeded) throw new ActionRefusedException(string.Join("；", result.Errors.Select(e => e.Description)));
    }
}

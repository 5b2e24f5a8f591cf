using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Audit;

namespace PetitionDashboard.Tests.Support;

/// <summary>Signs a fixed user into a bUnit or service container: the guard, masking and audit services see that user.</summary>
public static class TestUsers
{
    public static IServiceCollection AddTestUser(this IServiceCollection services, string role, int? leaderId = null) =>
        services.AddTestUser(FixedCurrentUser.For($"test-{role.ToLowerInvariant()}", [role], leaderId));

    public static IServiceCollection AddTestUser(this IServiceCollection services, ICurrentUser user)
    {
        services.AddSingleton(user);
        services.AddSingleton<AuditActorAccessor>();
        services.AddScoped<AccessGuard>();
        services.AddScoped<AuditLog>();
        services.AddScoped<PersonalDataView>();
        return services;
    }

    /// <summary>
    /// A bUnit context signed in as <paramref name="role"/>: AuthorizeView and [Authorize] see the role and the policies the
    /// one policy table grants it, and the services see the same user.
    /// </summary>
    public static void SignIn(this BunitContext context, string role, int? leaderId = null)
    {
        var auth = context.AddAuthorization();
        auth.SetAuthorized($"test-{role.ToLowerInvariant()}");
        auth.SetRoles(role);
        auth.SetPolicies([.. Policies.Table.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
        context.Services.AddTestUser(role, leaderId);
    }

    public static AccessGuard Guard(string role, int? leaderId = null) =>
        new(FixedCurrentUser.For($"test-{role.ToLowerInvariant()}", [role], leaderId));

    public static readonly AccessGuard Leader = Guard(Roles.Leader);
}

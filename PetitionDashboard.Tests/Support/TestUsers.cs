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

    public static AccessGuard Guard(string role, int? leaderId = null) =>
        new(FixedCurrentUser.For($"test-{role.ToLowerInvariant()}", [role], leaderId));

    public static readonly AccessGuard Leader = Guard(Roles.Leader);
}

using System.Security.Claims;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

/// <summary>
/// The signed-in user as the statistics services see it. Services check these rules themselves (DOMAIN.md §10:
/// enforced on the server, not by hiding buttons).
/// </summary>
public sealed record StatisticsActor(string Name, IReadOnlyCollection<string> Roles)
{
    public static StatisticsActor From(ClaimsPrincipal? user) =>
        new(user?.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "" : "",
            user is null ? [] : Domain.Roles.All.Where(user.IsInRole).ToList());

    public bool CanRead => Has(Domain.Roles.Leader) || Has(Domain.Roles.Supervisor) || Has(Domain.Roles.Admin);

    /// <summary>重新计算: Supervisor and Admin.</summary>
    public bool CanRecompute => Has(Domain.Roles.Supervisor) || Has(Domain.Roles.Admin);

    /// <summary>发布: Supervisor only.</summary>
    public bool CanPublish => Has(Domain.Roles.Supervisor);

    private bool Has(string role) => Roles.Contains(role);

    public void Require(bool allowed, string action)
    {
        if (!allowed) throw new StatisticsAccessDeniedException($"当前用户无权{action}");
    }
}

public sealed class StatisticsAccessDeniedException(string message) : Exception(message);

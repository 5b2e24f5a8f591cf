using System.Security.Claims;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Statistics;

/// <summary>
/// The signed-in user as the statistics services see it. Services check these rules themselves (docs/rules.md §10:
/// enforced on the server, not by hiding buttons).
/// </summary>
public sealed record StatisticsActor(string Name, IReadOnlyCollection<string> Roles)
{
    public static StatisticsActor From(ClaimsPrincipal? user) =>
        new(user?.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "" : "",
            user is null ? [] : Domain.Roles.All.Where(user.IsInRole).ToList());

    public bool CanRead => Allows(Policies.CanViewStatistics);

    public bool CanRecompute => Allows(Policies.CanRecomputeStatistics);

    /// <summary>发布 freezes a week: the supervisors' call, like supervision levels.</summary>
    public bool CanPublish => Allows(Policies.CanManageLevels);

    // The one policy table (Policies) decides; this record only carries the user into singleton job code.
    private bool Allows(string policy) => !string.IsNullOrEmpty(Name) && Policies.RolesFor(policy).Any(Roles.Contains);

    public void Require(bool allowed, string action)
    {
        if (!allowed) throw new StatisticsAccessDeniedException($"当前用户无权{action}");
    }
}

public sealed class StatisticsAccessDeniedException(string message) : Exception(message);

using Hangfire.Dashboard;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Jobs;

/// <summary>
/// The jobs dashboard is for signed-in Admins only. Hangfire answers 401 to an anonymous request and 403 to a
/// signed-in user without the role.
/// </summary>
public sealed class AdminDashboardAuthorizationFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => IsAdmin(context.GetHttpContext().User);

    public static bool IsAdmin(System.Security.Claims.ClaimsPrincipal user) => Policies.Allows(user, Policies.CanViewJobs);
}

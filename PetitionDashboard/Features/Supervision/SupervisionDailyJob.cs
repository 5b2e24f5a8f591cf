using System.ComponentModel;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Supervision;

/// <summary>
/// The recurring job "supervision-daily" (schedule in Features/Jobs/RecurringJobs): recomputes the 督办 levels as of today's
/// Shanghai date, as the system user (<see cref="SystemScope"/>). Hangfire retries it on failure and shows failures on the /jobs dashboard.
/// </summary>
public sealed class SupervisionDailyJob(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string Id = "supervision-daily";


    [DisplayName("每日重算督办等级")]
    public async Task<SupervisionRecomputeResult> RunAsync(CancellationToken ct)
    {
        await using var system = SystemScope.Begin(scopes);
        return await system.Services.GetRequiredService<SupervisionService>().RecomputeAsync(clock.Today(), ct);
    }
}

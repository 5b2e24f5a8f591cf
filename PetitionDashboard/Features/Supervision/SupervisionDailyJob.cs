using System.ComponentModel;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Supervision;

/// <summary>
/// The recurring job "supervision-daily" (schedule in Features/Jobs/RecurringJobs): recomputes the 督办 levels as of today's
/// Shanghai date, after closing the replied petitions whose 复查 window lapsed, as the system user (<see cref="SystemScope"/>). Hangfire retries it on failure and shows failures on the /jobs dashboard.
/// </summary>
public sealed class SupervisionDailyJob(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string Id = "supervision-daily";


    [DisplayName("每日重算督办等级")]
    public async Task<SupervisionRecomputeResult> RunAsync(CancellationToken ct)
    {
        await using var system = SystemScope.Begin(scopes);
        // First close what the petitioner let lapse (§4): a closed petition needs no 督办 level.
        await system.Services.GetRequiredService<PetitionerWindowService>().CloseLapsedAsync(clock.Today(), ct);
        return await system.Services.GetRequiredService<SupervisionService>().RecomputeAsync(clock.Today(), ct);
    }
}

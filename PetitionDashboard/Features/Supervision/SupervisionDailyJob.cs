using System.ComponentModel;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Supervision;

/// <summary>
/// The recurring job "supervision-daily" (schedule in Features/Jobs/RecurringJobs): recomputes the 督办 levels as of today's Shanghai date. Hangfire resolves it
/// from DI in a scope per run, retries it on failure and shows failures on the /jobs dashboard.
/// </summary>
public sealed class SupervisionDailyJob(SupervisionService supervision, TimeProvider clock)
{
    public const string Id = "supervision-daily";


    [DisplayName("每日重算督办等级")]
    public Task<SupervisionRecomputeResult> RunAsync(CancellationToken ct) => supervision.RecomputeAsync(clock.Today(), ct);
}

using Hangfire;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.Features.Statistics;

/// <summary>
/// The Hangfire job of docs/rules.md §8: weekly (schedule in Features/Jobs/RecurringJobs), and on demand. Failed runs are retried and
/// stay listed on the (Admin-only) jobs dashboard; the statistics page shows the last failure too.
/// </summary>
public sealed class WeeklyStatisticsJob(RecomputeCoordinator coordinator, IServiceScopeFactory scopes)
{
    public const string RecurringJobId = "weekly-statistics";

    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    // No DisableConcurrentExecution: its distributed lock is per storage, and the run slot in the database (RecomputeRuns)
    // already keeps one run per cluster, also across a killed node.
    [JobDisplayName("每周统计重新计算（{0}）")]
    public async Task RunAsync(string requestedBy, long? runId, CancellationToken cancellationToken)
    {
        // As the system user, like every job; requestedBy is who asked (定时任务, or the user who pressed the button), and
        // runId the queued run a click made (none for the weekly schedule).
        await using var system = SystemScope.Begin(scopes);
        await coordinator.ExecuteAsync(requestedBy, runId, cancellationToken);
    }
}

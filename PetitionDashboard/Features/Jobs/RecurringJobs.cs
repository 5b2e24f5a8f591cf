using Hangfire;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Features.Supervision;

namespace PetitionDashboard.Features.Jobs;

/// <summary>
/// Every recurring job of the app, with its schedule — the one place to read "what runs when". All times are
/// Asia/Shanghai. Called once at web start-up (never by a command); AddOrUpdate makes a restart idempotent.
/// </summary>
public static class RecurringJobs
{
    /// <summary>Every day 00:30: the 督办 levels of open petitions.</summary>
    public const string SupervisionDailyCron = "30 0 * * *";

    /// <summary>Monday 02:00: the weekly statistics of the last unpublished weeks.</summary>
    public const string WeeklyStatisticsCron = "0 2 * * 1";

    public static void Schedule(IRecurringJobManager jobs)
    {
        var shanghai = new RecurringJobOptions { TimeZone = ShanghaiTime.Zone };
        jobs.AddOrUpdate<SupervisionDailyJob>(SupervisionDailyJob.Id, j => j.RunAsync(CancellationToken.None),
            SupervisionDailyCron, shanghai);
        jobs.AddOrUpdate<WeeklyStatisticsJob>(WeeklyStatisticsJob.RecurringJobId,
            j => j.RunAsync(RecomputeCoordinator.ScheduledBy, null, CancellationToken.None), WeeklyStatisticsCron, shanghai);
    }
}

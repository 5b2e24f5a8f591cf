using Hangfire;
using PetitionDashboard.Features.Risk;
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

    /// <summary>Sunday 03:00: the 初转重 risk model is retrained on the week's history, then the open 初件 are scored.</summary>
    public const string RiskTrainCron = "0 3 * * 0";

    /// <summary>Every day 01:00 (after the 督办 levels): the open 初件 are scored again (their age and lateness changed).</summary>
    public const string RiskRescoreCron = "0 1 * * *";

    /// <summary>Every 5 minutes: 初件 registered or imported since are scored (a cheap check when there are none).</summary>
    public const string RiskScoreNewCron = "*/5 * * * *";

    public static void Schedule(IRecurringJobManager jobs)
    {
        var shanghai = new RecurringJobOptions { TimeZone = ShanghaiTime.Zone };
        jobs.AddOrUpdate<SupervisionDailyJob>(SupervisionDailyJob.Id, j => j.RunAsync(CancellationToken.None),
            SupervisionDailyCron, shanghai);
        jobs.AddOrUpdate<WeeklyStatisticsJob>(WeeklyStatisticsJob.RecurringJobId,
            j => j.RunAsync(RecomputeCoordinator.ScheduledBy, null, CancellationToken.None), WeeklyStatisticsCron, shanghai);
        jobs.AddOrUpdate<RiskJobs>(RiskJobs.TrainId, j => j.TrainAsync(CancellationToken.None), RiskTrainCron, shanghai);
        jobs.AddOrUpdate<RiskJobs>(RiskJobs.RescoreId, j => j.RescoreAsync(CancellationToken.None), RiskRescoreCron, shanghai);
        jobs.AddOrUpdate<RiskJobs>(RiskJobs.ScoreNewId, j => j.ScoreNewAsync(CancellationToken.None), RiskScoreNewCron, shanghai);
    }
}

using Microsoft.Extensions.Options;
using Hangfire;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Statistics;

public static class StatisticsFeature
{
    /// <summary>Options, the calculator, the recompute coordinator and the page's service.</summary>
    public static IServiceCollection AddStatistics(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StatisticsOptions>(configuration.GetSection(StatisticsOptions.Section));
        services.Configure<ReportOptions>(configuration.GetSection(ReportOptions.Section));
        // The calendar in force for every week computed: an Admin may add or correct a year while the app runs.
        services.AddSingleton(sp => new WeeklyStatisticsCalculator(
            sp.GetRequiredService<DeadlineCalculator>, sp.GetRequiredService<IOptions<BacklogOptions>>(),
            sp.GetRequiredService<IOptions<PetitionOptions>>()));
        services.AddSingleton<StatisticsRecomputer>();
        services.AddSingleton<RecomputeCoordinator>();
        services.AddScoped<StatisticsService>();
        services.AddTransient<WeeklyStatisticsJob>();
        return services;
    }

    /// <summary>
    /// Registers the recurring job when Hangfire is configured (AddHangfire); without it the page's "recompute now"
    /// still works, on the thread pool.
    /// </summary>
    public static IHost MapStatisticsJobs(this IHost app)
    {
        if (app.Services.GetService<IRecurringJobManagerV2>() is { } jobs) ScheduleWeeklyStatistics(jobs);
        return app;
    }

    public static void ScheduleWeeklyStatistics(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<WeeklyStatisticsJob>(
            WeeklyStatisticsJob.RecurringJobId,
            j => j.RunAsync(RecomputeCoordinator.ScheduledBy, CancellationToken.None),
            WeeklyStatisticsJob.Cron,
            new RecurringJobOptions { TimeZone = WeeklyStatisticsJob.ShanghaiTimeZone });
}

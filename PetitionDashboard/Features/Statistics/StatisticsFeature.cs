using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Statistics;

public static class StatisticsFeature
{
    /// <summary>Options, the calculator, the recompute coordinator, the page's service and the weekly job.</summary>
    public static IHostApplicationBuilder AddStatistics(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRuleOptions<StatisticsOptions>(StatisticsOptions.Section);
        services.AddRuleOptions<ReportOptions>(ReportOptions.Section);
        // The calendar in force for every week computed: an Admin may add or correct a year while the app runs.
        services.AddSingleton(sp => new WeeklyStatisticsCalculator(
            sp.GetRequiredService<DeadlineCalculator>, sp.GetRequiredService<IOptions<BacklogOptions>>(),
            sp.GetRequiredService<IOptions<PetitionOptions>>()));
        services.AddSingleton<StatisticsRecomputer>();
        services.AddSingleton<RecomputeCoordinator>();
        builder.AddChangeFeed();
        // The breakdowns of /statistics, once per node for all viewers (recounted when the change counter moves).
        services.AddSingleton<WeekBreakdownCache>();
        services.AddScoped<StatisticsService>();
        services.AddTransient<WeeklyStatisticsJob>();
        services.AddSingleton<IDemoSeedStep, DemoStatisticsSeedStep>();
        return builder;
    }
}

/// <summary>
/// After the demo city is written: figures for its past weeks, computed in the background like the Monday job, so the
/// statistics page is not empty.
/// </summary>
public sealed class DemoStatisticsSeedStep(RecomputeCoordinator coordinator) : IDemoSeedStep
{
    public async Task RunAsync(CancellationToken ct) => await coordinator.RequestAsync(new AccessGuard(FixedCurrentUser.System), ct);
}

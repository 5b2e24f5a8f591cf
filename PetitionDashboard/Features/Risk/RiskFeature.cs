using Hangfire;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Risk;

public static class RiskFeature
{
    /// <summary>初转重 risk (docs/rules.md §15): options, trainer, scorer, the pages' service and the jobs.</summary>
    public static IHostApplicationBuilder AddRisk(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRuleOptions<RiskOptions>(RiskOptions.Section);
        // The calendar in force at each run (an Admin may correct a year while the app runs): a factory, not one instance.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RiskScorer>(sp, Deadlines(sp)));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RiskTrainer>(sp, Deadlines(sp)));
        services.AddScoped<RiskService>();
        services.AddTransient<RiskJobs>();
        services.AddSingleton<IDemoSeedStep, DemoRiskSeedStep>();
        return builder;
    }

    private static Func<DeadlineCalculator> Deadlines(IServiceProvider sp) => sp.GetRequiredService<DeadlineCalculator>;
}

/// <summary>After the demo city is written: a first training in the background, so the risk card and column are not empty.</summary>
public sealed class DemoRiskSeedStep(IServiceProvider services) : IDemoSeedStep
{
    public Task RunAsync(CancellationToken ct)
    {
        if (services.GetService<IBackgroundJobClient>() is { } jobs)
            jobs.Enqueue<RiskJobs>(j => j.TrainAsync(CancellationToken.None));
        return Task.CompletedTask;
    }
}

namespace PetitionDashboard.Features.Supervision;

public static class SupervisionFeature
{
    /// <summary>督办 levels: the service and the nightly job (scheduled in Features/Jobs/RecurringJobs).</summary>
    public static IHostApplicationBuilder AddSupervision(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SupervisionService>();
        builder.Services.AddScoped<SupervisionDailyJob>();
        builder.Services.AddScoped<PetitionerWindowService>();
        return builder;
    }
}

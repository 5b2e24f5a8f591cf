namespace PetitionDashboard.Features.Repeats;

public static class RepeatsFeature
{
    /// <summary>Repeat detection and linking (used by registration, import and the thread page) and the repeats page.</summary>
    public static IHostApplicationBuilder AddRepeats(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<RepeatDetectionService>();
        builder.Services.AddScoped<ThreadLinkingService>();
        builder.Services.AddScoped<RepeatReportService>();
        builder.Services.AddSingleton(typeof(RepeatPageCache<>));
        return builder;
    }
}

namespace PetitionDashboard.Features.Threads;

public static class ThreadsFeature
{
    /// <summary>The thread page's service (one timeline per 信访事项链).</summary>
    public static IHostApplicationBuilder AddThreads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ThreadService>();
        return builder;
    }
}

namespace PetitionDashboard.Features.Backlog;

public static class BacklogFeature
{
    /// <summary>The backlog page's service (one per circuit; it opens a DbContext per call).</summary>
    public static IHostApplicationBuilder AddBacklog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<BacklogService>();
        return builder;
    }
}

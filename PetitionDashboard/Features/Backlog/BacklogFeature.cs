using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Features.Backlog;

public static class BacklogFeature
{
    /// <summary>The backlog page's service (one per circuit; it opens a DbContext per call).</summary>
    public static IHostApplicationBuilder AddBacklog(this IHostApplicationBuilder builder)
    {
        builder.AddChangeFeed();
        // One set of KPI figures per node, shared by every viewer (refreshed when the change counter moves).
        builder.Services.AddSingleton<BacklogKpiCache>();
        builder.Services.AddScoped<BacklogService>();
        return builder;
    }
}

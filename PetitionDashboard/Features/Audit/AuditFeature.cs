namespace PetitionDashboard.Features.Audit;

public static class AuditFeature
{
    /// <summary>The audit trail page's query service; the trail itself is written by Data/Audit.</summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditQueryService>();
        return builder;
    }
}

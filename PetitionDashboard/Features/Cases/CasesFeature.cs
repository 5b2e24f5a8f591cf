namespace PetitionDashboard.Features.Cases;

public static class CasesFeature
{
    /// <summary>The case page's service (one per circuit; it opens a DbContext per call).</summary>
    public static IHostApplicationBuilder AddCases(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CaseService>();
        builder.Services.AddScoped<CaseHandlingService>();
        return builder;
    }
}

namespace PetitionDashboard.Features.Cases;

public static class CasesFeature
{
    /// <summary>The case page's service (one per circuit; it opens a DbContext per call).</summary>
    public static IServiceCollection AddCases(this IServiceCollection services) => services.AddScoped<CaseService>();
}

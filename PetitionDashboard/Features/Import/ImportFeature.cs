namespace PetitionDashboard.Features.Import;

public static class ImportFeature
{
    public static IServiceCollection AddLedgerImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ImportOptions>(configuration.GetSection(ImportOptions.Section));
        services.AddScoped<LedgerImportService>();
        return services;
    }
}

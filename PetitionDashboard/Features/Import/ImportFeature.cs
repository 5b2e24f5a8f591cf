using Microsoft.Extensions.DependencyInjection.Extensions;
using PetitionDashboard.Data;
using PetitionDashboard.Infrastructure.Downloads;

namespace PetitionDashboard.Features.Import;

public static class ImportFeature
{
    /// <summary>The ledger (台账) import: its options, the service, and the prepared error lists it offers for download.</summary>
    public static IHostApplicationBuilder AddImport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRuleOptions<ImportOptions>(ImportOptions.Section);
        builder.Services.AddScoped<LedgerImportService>();
        builder.Services.AddSingleton<ImportCheckpoints>();
        builder.Services.AddScoped<ImportErrorDownloads>();
        builder.Services.AddScoped<LedgerProfileService>();
        builder.Services.TryAddSingleton<PreparedDownloads>();
        return builder;
    }
}

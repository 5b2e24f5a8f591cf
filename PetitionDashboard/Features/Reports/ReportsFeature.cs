using PetitionDashboard.Features.Import;

using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Infrastructure.Excel;
using PetitionDashboard.Infrastructure.Progress;

namespace PetitionDashboard.Features.Reports;

public static class ReportsFeature
{
    /// <summary>The supervision report and the ledger import (the two Excel features), with their options.</summary>
    public static IServiceCollection AddReportsAndImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BureauOptions>(configuration.GetSection(BureauOptions.Section));
        services.AddSingleton<PreparedDownloads>();
        services.AddScoped<SupervisionReportSource>();
        services.AddScoped<SupervisionReportExporter>();
        services.AddLedgerImport(configuration);
        return services;
    }

    /// <summary>The authorized download endpoints: the report, an import's error list.</summary>
    public static IEndpointRouteBuilder MapReportsAndImport(this IEndpointRouteBuilder app)
    {
        app.MapReportEndpoints();
        app.MapImportEndpoints();
        return app;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.Downloads;

namespace PetitionDashboard.Features.Reports;

public static class ReportsFeature
{
    /// <summary>The weekly supervision report (督办通报): the bureau's name, the report's source and exporter.</summary>
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRuleOptions<BureauOptions>(BureauOptions.Section);
        builder.Services.TryAddSingleton<PreparedDownloads>();
        builder.Services.AddScoped<SupervisionReportSource>();
        builder.Services.AddScoped<SupervisionReportExporter>();
        builder.Services.AddRuleOptions<NoticeOptions>(NoticeOptions.Section);
        builder.Services.AddScoped<SupervisionNoticeService>();
        builder.Services.AddScoped<ReportHistoryService>();
        return builder;
    }
}

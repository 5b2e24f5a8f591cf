using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Reception;

public static class ReceptionFeature
{
    /// <summary>领导接访 / 下访 (docs/rules.md §11): the service, its options and pages.</summary>
    public static IHostApplicationBuilder AddReception(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRuleOptions<ReceptionOptions>(ReceptionOptions.Section);
        builder.Services.AddScoped<ReceptionService>();
        builder.Services.AddScoped<Cases.CaseReceptionsQuery>(); // the case page's 领导接访 panel
        return builder;
    }
}

using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Scoring;

public static class ScoringFeature
{
    /// <summary>Scoring schemes (考核方案, docs/rules.md §14): `Scoring:Scheme`, the store the statistics read, the editor's service.</summary>
    public static IHostApplicationBuilder AddScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRuleOptions<ScoringOptions>(ScoringOptions.Section);
        builder.Services.AddSingleton<ScoringSchemeStore>();
        builder.Services.AddScoped<ScoringService>();
        return builder;
    }
}

using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Instructions;

public static class InstructionsFeature
{
    /// <summary>领导批示 (docs/rules.md §12): the service, its options, the case panel, 我的批示 and the home page card.</summary>
    public static IHostApplicationBuilder AddInstructions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRuleOptions<InstructionOptions>(InstructionOptions.Section);
        builder.Services.AddScoped<InstructionService>();
        return builder;
    }
}

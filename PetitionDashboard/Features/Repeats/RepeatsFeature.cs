using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Threads;

namespace PetitionDashboard.Features.Repeats;

public static class RepeatsFeature
{
    /// <summary>Registration, repeat detection and linking, the repeats page and the thread page.</summary>
    public static IServiceCollection AddRepeatsFeature(this IServiceCollection services) => services
        .AddScoped<RepeatDetectionService>()
        .AddScoped<ThreadLinkingService>()
        .AddScoped<RegistrationService>()
        .AddScoped<RepeatReportService>()
        .AddScoped<ThreadService>();
}

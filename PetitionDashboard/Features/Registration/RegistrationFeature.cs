namespace PetitionDashboard.Features.Registration;

public static class RegistrationFeature
{
    /// <summary>登记: the registration page's service (repeat candidates come from the Repeats feature).</summary>
    public static IHostApplicationBuilder AddRegistration(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<RegistrationService>();
        return builder;
    }
}

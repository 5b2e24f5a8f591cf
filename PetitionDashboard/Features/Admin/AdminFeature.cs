namespace PetitionDashboard.Features.Admin;

public static class AdminFeature
{
    /// <summary>User administration (用户管理): the service behind the users page.</summary>
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<UserAdminService>();
        return builder;
    }
}

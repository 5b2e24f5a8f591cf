namespace PetitionDashboard.Features.Assignments;

public static class AssignmentsFeature
{
    /// <summary>领导包案: the service and who the current user is for it.</summary>
    public static IServiceCollection AddAssignments(this IServiceCollection services)
    {
        services.AddScoped<ICurrentAssignmentUser, SignedInAssignmentUser>();
        services.AddScoped<AssignmentService>();
        return services;
    }
}

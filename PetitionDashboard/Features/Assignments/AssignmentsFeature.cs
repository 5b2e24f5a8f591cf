namespace PetitionDashboard.Features.Assignments;

public static class AssignmentsFeature
{
    /// <summary>领导包案: the service and who the current user is for it.</summary>
    public static IHostApplicationBuilder AddAssignments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ICurrentAssignmentUser, SignedInAssignmentUser>();
        builder.Services.AddScoped<AssignmentService>();
        return builder;
    }
}

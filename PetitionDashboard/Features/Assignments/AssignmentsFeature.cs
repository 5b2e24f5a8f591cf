namespace PetitionDashboard.Features.Assignments;

public static class AssignmentsFeature
{
    /// <summary>领导包案: the service (who is acting comes from the accounts feature's AccessGuard).</summary>
    public static IHostApplicationBuilder AddAssignments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<AssignmentService>();
        builder.Services.AddSingleton<WorkloadCache>();
        return builder;
    }
}

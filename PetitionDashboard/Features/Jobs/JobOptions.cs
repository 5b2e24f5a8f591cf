namespace PetitionDashboard.Features.Jobs;

/// <summary>Section "Jobs" of appsettings.json.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Start the Hangfire server (the workers that run jobs) in this process. Web tests turn it off, so that a test
    /// host only starts workers when the test is about jobs.
    /// </summary>
    public bool RunServer { get; set; } = true;
}

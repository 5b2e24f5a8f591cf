namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// Where browser tests keep screenshots and logs: $PD_ARTIFACTS, else artifacts/ at the repository root (git-ignored).
/// </summary>
public static class Artifacts
{
    public static string Root { get; } = FindRoot();

    public static string Screenshots => Directory.CreateDirectory(Path.Combine(Root, "screenshots")).FullName;

    public static string Logs => Directory.CreateDirectory(Path.Combine(Root, "logs")).FullName;

    private static string FindRoot()
    {
        var configured = Environment.GetEnvironmentVariable("PD_ARTIFACTS");
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PetitionDashboard.sln"))) return Path.Combine(dir.FullName, "artifacts");
        return Path.Combine(Support.TestTempFolder.Machine, "pd-artifacts");
    }
}

namespace PetitionDashboard.Tests.Support;

/// <summary>
/// This test run's own temp folder: set as <c>TMPDIR</c> before any test runs (from the module initializer in
/// <see cref="TestPersonalData"/>), so every file a test, a host or a child process makes through
/// <see cref="Path.GetTempPath"/> — databases and their Hangfire job files, exports, ledgers, upload folders, the
/// runtime's diagnostic sockets of child processes — lives under it, and the folder goes when the test process ends,
/// whatever a test forgot to delete or could not delete because it failed.
/// </summary>
public static class TestTempFolder
{
    /// <summary>The machine's temp folder, for what should outlive the run (artifacts when PD_ARTIFACTS is not set).</summary>
    public static string Machine { get; } = Path.GetTempPath();

    public static string Run { get; } = Create();

    private static string Create()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Machine, $"pd-test-run-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        // Path.GetTempPath reads TMPDIR on every call (Unix); child processes inherit it.
        Environment.SetEnvironmentVariable("TMPDIR", folder + Path.DirectorySeparatorChar);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a child still writing: left for the OS
        };
        return folder;
    }
}

using System.Diagnostics;

namespace PetitionDashboard.Tests.Support;

/// <summary>What a run of the app's own executable printed and returned.</summary>
public sealed record AppRun(int ExitCode, string Out, string Error);

/// <summary>
/// Runs the built app (PetitionDashboard.dll beside the tests) as its own process, in Production, the way an operator
/// or a script would: for what only a real process shows (exit codes, what reaches stdout and stderr).
/// </summary>
public static class AppProcess
{
    public static async Task<AppRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8, StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PetitionDashboard.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new AppRun(process.ExitCode, await stdout, await stderr);
    }
}

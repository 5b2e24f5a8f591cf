using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// The runtime settings a command runs with. The app's runtimeconfig is tuned for the long-lived web server — server GC,
/// and methods recompiled optimized after 5 calls with no delay (PetitionDashboard.csproj) — and a command is the same
/// binary with the same runtimeconfig, which the runtime reads once, before any of the app's code runs. For a command that
/// lasts seconds both cost: server GC lets the heap grow (≈ 60–70 MB more peak for a 50,000-row import), and the eager
/// tier-up recompiles thousands of start-up methods (EF's model, the DI graph) that run a few times each (the JIT was a
/// fifth of the import command's CPU; bench/README.md, import.sh). So a command line started by the operator is run
/// again, once, in a child process with settings for a short process (workstation GC, tier-up only for methods called
/// often once start-up has settled); the parent only waits and returns the child's exit code. A setting the operator
/// gives in the environment (e.g. <c>DOTNET_gcServer=1</c>) is kept.
/// </summary>
public static class CommandRuntime
{
    /// <summary>Set in the child, so it runs the command instead of starting another child.</summary>
    private const string ChildMarker = "PETITIONDASHBOARD_COMMAND_RUNTIME";

    /// <summary>
    /// The runtime reads these variables as hexadecimal: tier-up after 0x30 = 48 calls, call counting after 0x100 = 256 ms
    /// without new start-up methods — a little lazier than the runtime's defaults (30, 100 ms), the setting measured
    /// (bench/README.md, import.sh).
    /// </summary>
    private static readonly (string Name, string Value)[] Settings =
    [
        ("DOTNET_gcServer", "0"),
        ("DOTNET_TC_CallCountThreshold", "30"),
        ("DOTNET_TC_CallCountingDelayMs", "100"),
    ];

    /// <summary>
    /// When <paramref name="args"/> name a command and this process is the app started by the operator (not yet the child,
    /// not a host that called the entry point in-process, such as a benchmark): runs the command in a child process with
    /// the command's runtime settings and returns its exit code; otherwise null (run here).
    /// </summary>
    public static async Task<int?> RunInChildAsync(string[] args)
    {
        if (!CommandLineCommands.IsCommand(args) || Environment.GetEnvironmentVariable(ChildMarker) == "1") return null;
        if (Assembly.GetEntryAssembly() != typeof(CommandRuntime).Assembly || Environment.ProcessPath is not { } host) return null;

        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        // `dotnet PetitionDashboard.dll …` runs the shared host: the child needs the app's path; the app's own executable does not.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(CommandRuntime).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment[ChildMarker] = "1";
        foreach (var (name, value) in Settings)
            if (Environment.GetEnvironmentVariable(name) is null) start.Environment[name] = value;

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"无法启动命令进程“{host}”");
        // Ctrl+C reaches the child too (same console); the child cancels its command and the parent waits for its exit code.
        ConsoleCancelEventHandler onCancel = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += onCancel;
        // A service manager's SIGTERM goes to the parent only: passed on, so the child stops (and rolls back) rather than
        // being left running.
        using var terminate = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            try
            {
                if (!child.HasExited) _ = Kill(child.Id, 15);
            }
            catch (InvalidOperationException) { }
        });
        try
        {
            await child.WaitForExitAsync();
            return child.ExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

namespace PetitionDashboard.CommandLine;

/// <summary>
/// A command of the app's command line: <c>dotnet run --project PetitionDashboard -- NAME [--option value …]</c>.
/// It runs with the web app's services and configuration (appsettings, environment, <c>--Section:Key value</c> overrides),
/// but without starting the web host. Adding a command: implement this in one class, list it in <see cref="CommandLineCommands"/>.
/// </summary>
public interface ICommandLineCommand : IRunnableCommand
{
    /// <summary>The word after <c>--</c> that selects the command, e.g. <c>generate-demo</c>.</summary>
    static abstract string Name { get; }

    /// <summary>One zh-CN line for the help text.</summary>
    static abstract string Summary { get; }

    /// <summary>The command's own options (configuration overrides like <c>--Database:ConnectionString</c> are always accepted).</summary>
    static abstract IReadOnlyList<CommandOption> Options { get; }
}

/// <summary>The instance side of a command (an interface with static members cannot be a type argument).</summary>
public interface IRunnableCommand
{
    /// <summary>Runs the command; returns the process exit code (<see cref="ExitCodes"/>).</summary>
    Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct);
}

/// <summary>An option of a command: <c>--name value</c>.</summary>
public sealed record CommandOption(string Name, string ValueName, string Description);

public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command ran and refused or failed; the reasons are on stderr.</summary>
    public const int Failed = 1;
    /// <summary>The command line itself is wrong (unknown command or option, bad value).</summary>
    public const int Usage = 2;
}

/// <summary>Where a command writes: progress and results to stdout, reasons for failure to stderr.</summary>
public sealed record CommandOutput(TextWriter Out, TextWriter Error);

/// <summary>The command line is wrong; the message says how, in zh-CN.</summary>
public sealed class CommandUsageException(string message) : Exception(message);

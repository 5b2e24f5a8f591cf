using PetitionDashboard.Features.Account;
using System.Text;
using PetitionDashboard.Domain;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// The registry of command-line commands and the runner Program.cs hands the arguments to when the first one names a
/// command. Each command is one class plus one line in <see cref="All"/>.
/// </summary>
public static class CommandLineCommands
{
    private const string Help = "help";

    private static readonly CommandRegistration[] All =
    [
        CommandRegistration.For<GenerateDemoCommand>(),
        CommandRegistration.For<ImportCommand>(),
        CommandRegistration.For<RecomputeStatisticsCommand>(),
        CommandRegistration.For<TrainRiskCommand>(),
        CommandRegistration.For<ExportReportCommand>(),
        CommandRegistration.For<ExportNoticesCommand>(),
        CommandRegistration.For<CreateAdminCommand>(),
        CommandRegistration.For<CreateKeyCommand>(),
        CommandRegistration.For<RotateKeysCommand>(),
    ];

    /// <summary>
    /// The first argument is a command word — a known command, <c>help</c>, or a misspelt one — rather than a setting
    /// (<c>--key value</c>, <c>key=value</c>): run the command line instead of the web app. A misspelt command is answered
    /// with the list of commands; it must not start the web app and load demo data into the default database.
    /// </summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && args[0].Length > 0 && args[0][0] is not ('-' or '/') && !args[0].Contains('=');

    /// <summary>
    /// The arguments the host's configuration should see. For a command line they are only the <c>--key value</c> and
    /// <c>key=value</c> settings: the command word and a bare argument such as <c>import /data/台账.xlsx</c> are the
    /// command's, and .NET's command-line configuration would read a path starting with "/" as a switch and swallow the
    /// setting after it (<c>--Database:ConnectionString</c> would silently fall back to the default database).
    /// </summary>
    public static string[] HostArguments(string[] args)
    {
        if (!IsCommand(args)) return args;
        var kept = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var token = args[i];
            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                kept.Add(token);
                if (!token.Contains('=') && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) kept.Add(args[++i]);
            }
            else if (token.Contains('=') && !token.StartsWith('/')) kept.Add(token);
        }
        return [.. kept];
    }

    /// <summary>
    /// Registers the commands; when the arguments name a command, logs go to stderr and only warnings and errors are
    /// logged, so that stdout carries the command's own progress and results.
    /// </summary>
    public static IHostApplicationBuilder AddCommandLineCommands(this IHostApplicationBuilder builder, string[] args)
    {
        foreach (var command in All) command.Register(builder.Services);
        if (IsCommand(args))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            // A provider-specific rule outranks the configuration's LogLevel section.
            builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);
        }
        return builder;
    }

    /// <summary>Runs the command named by args[0] with the app's services; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CommandOutput? output = null)
    {
        if (output is null)
        {
            if (OperatingSystem.IsWindows()) Console.OutputEncoding = Encoding.UTF8;
            output = new CommandOutput(Console.Out, Console.Error);
        }
        if (args.Length == 0 || args[0] == Help)
        {
            WriteHelp(output.Out);
            return ExitCodes.Success;
        }
        var registration = All.FirstOrDefault(c => c.Name == args[0]);
        if (registration is null)
        {
            output.Error.WriteLine($"未知命令“{args[0]}”。");
            WriteHelp(output.Error);
            return ExitCodes.Usage;
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var arguments = CommandArguments.Parse(args[1..], registration.Options, registration.Argument);
            // The operator at the console is trusted with every role: the command acts as the system user; services still
            // check, and the audit trail records 系统.
            await using var scope = SystemScope.Begin(services);
            var command = registration.Resolve(scope.Services);
            return await command.RunAsync(arguments, output, cancel.Token);
        }
        catch (CommandUsageException e)
        {
            output.Error.WriteLine($"{registration.Name}：{e.Message}");
            output.Error.WriteLine($"用法：{registration.Usage}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            output.Error.WriteLine($"{registration.Name}：已取消");
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            output.Error.WriteLine($"{registration.Name} 执行失败：{e.Message}");
            if (e is ActionRefusedException refusal && refusal.Message != string.Join("；", refusal.Problems))
                foreach (var problem in refusal.Problems) output.Error.WriteLine($"  {problem}");
            return ExitCodes.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static void WriteHelp(TextWriter w)
    {
        w.WriteLine("用法：dotnet run --project PetitionDashboard -- <命令> [选项] [--节:键 值 …]");
        w.WriteLine("不带命令时启动网站；带命令时只执行该命令，不启动网站。");
        w.WriteLine();
        w.WriteLine("命令：");
        foreach (var c in All)
        {
            w.WriteLine($"  {(c.Argument is null ? c.Name : $"{c.Name} <{c.Argument}>"),-24}{c.Summary}");
            foreach (var o in c.Options) w.WriteLine($"      --{o.Name} <{o.ValueName}>  {o.Description}");
        }
        w.WriteLine($"  {Help,-24}显示本帮助");
        w.WriteLine();
        w.WriteLine("任何配置项都可以在命令行覆盖，例如 --Database:ConnectionString \"Data Source=/tmp/demo.db\"；");
        w.WriteLine("也可以用环境变量，例如 Database__ConnectionString。");
    }

    private sealed record CommandRegistration(
        string Name, string Summary, IReadOnlyList<CommandOption> Options, string? Argument,
        Action<IServiceCollection> Register, Func<IServiceProvider, IRunnableCommand> Resolve)
    {
        public string Usage => $"dotnet run --project PetitionDashboard -- {Name}"
            + (Argument is null ? "" : $" <{Argument}>")
            + string.Concat(Options.Select(o => $" [--{o.Name} <{o.ValueName}>]"));

        public static CommandRegistration For<T>() where T : class, ICommandLineCommand => new(
            T.Name, T.Summary, T.Options, T.Argument,
            services => services.AddTransient<T>(),
            sp => sp.GetRequiredService<T>());
    }
}

using Hangfire;
using Microsoft.Extensions.Options;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Data;
using PetitionDashboard.Features.Jobs;

namespace PetitionDashboard;

/// <summary>
/// What happens once Program.cs has listed the parts and features: the app is built; a command line runs its command
/// (no pipeline, no jobs); otherwise the pipeline is set up, the database initialized (with the demo city), the
/// recurring jobs scheduled and the web app served. A configuration the options refuse (a wrong
/// <c>Database:Provider</c>, …) ends the process with the Chinese reasons and exit code 1, never a stack trace.
/// </summary>
public static class AppStart
{
    public static async Task<int> RunAsync(WebApplicationBuilder builder, string[] args, Action<WebApplication> pipeline)
    {
        try
        {
            var app = builder.Build();
            if (CommandLineCommands.IsCommand(args)) return await CommandLineCommands.RunAsync(app.Services, args);
            pipeline(app);
            // Creates the private temp folder and sweeps what an earlier run left behind (a crash mid-import).
            app.Services.GetRequiredService<Infrastructure.Files.PrivateTempFiles>();
            await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(loadDemo: true);
            RecurringJobs.Schedule(app.Services.GetRequiredService<IRecurringJobManagerV2>());
            await app.RunAsync();
            return ExitCodes.Success;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"配置有误，程序未启动：{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", e.Failures)}");
            return ExitCodes.Failed;
        }
    }
}

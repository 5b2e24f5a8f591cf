using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.CommandLine;

namespace PetitionDashboard.Tests.Data;

/// <summary>
/// The command line as an operator uses it: the app's own executable, a command word, options and configuration
/// overrides; the exit code and the two output streams are the contract.
/// </summary>
public sealed class GenerateDemoCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Run(int ExitCode, string Out, string Error);

    private static async Task<Run> RunAppAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PetitionDashboard.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return new Run(process.ExitCode, await stdout, await stderr);
    }

    private static async Task<long> CountAsync(string file, string table)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static void Delete(string file)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(file + suffix)) File.Delete(file + suffix);
    }

    [Fact]
    public async Task GenerateDemo_IntoANewFile_Succeeds_ThenRefusesTheSameFileBecauseItHoldsData()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pd-cli-{Guid.NewGuid():N}.db");
        try
        {
            var first = await RunAppAsync("generate-demo", "--petitions", "250", "--seed", "5", "--Database:ConnectionString", $"Data Source={file}");

            Assert.True(first.ExitCode == ExitCodes.Success, first.Error);
            Assert.Contains("完成", first.Out);
            Assert.Contains("信访件 250 件", first.Out);
            Assert.Equal(250, await CountAsync(file, "Petitions"));

            var second = await RunAppAsync("generate-demo", "--petitions", "250", "--Database:ConnectionString", $"Data Source={file}");

            Assert.Equal(ExitCodes.Failed, second.ExitCode);
            Assert.Contains("已有数据", second.Error);
            Assert.Contains("信访件 250 件", second.Error);
            Assert.Equal(250, await CountAsync(file, "Petitions"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Delete(file);
        }
    }

    [Fact]
    public async Task GenerateDemo_WithABadCount_IsAUsageError_AndWritesNothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pd-cli-{Guid.NewGuid():N}.db");
        try
        {
            var run = await RunAppAsync("generate-demo", "--petitions", "2000000", "--Database:ConnectionString", $"Data Source={file}");

            Assert.Equal(ExitCodes.Usage, run.ExitCode);
            Assert.Contains("--petitions", run.Error);
            Assert.Contains("1000000", run.Error);
            Assert.False(File.Exists(file));
        }
        finally
        {
            Delete(file);
        }
    }

    [Theory]
    [InlineData(new[] { "generate-demo", "--rows", "10" }, "未知选项 --rows")]
    [InlineData(new[] { "generate-demo", "--seed" }, "缺少取值")]
    [InlineData(new[] { "generate-demo", "extra" }, "无法识别的参数")]
    public async Task BadOptions_ExitWithTheUsageCode_AndSayWhatIsWrong(string[] args, string reason)
    {
        var output = new CommandOutput(new StringWriter(), new StringWriter());
        await using var services = new ServiceCollection().BuildServiceProvider();

        var code = await CommandLineCommands.RunAsync(services, args, output);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(reason, output.Error.ToString());
        Assert.Contains("用法", output.Error.ToString());
    }

    [Fact]
    public void ConfigurationOverrides_AreNotTakenForCommandOptions()
    {
        var options = new[] { new CommandOption("petitions", "件数", "") };

        var parsed = CommandArguments.Parse(
            ["--Database:ConnectionString", "Data Source=x.db", "--petitions=12", "--environment", "Production"], options);

        Assert.Equal(12, parsed.Integer("petitions", 1, 1, 100));
        Assert.False(parsed.Has("Database:ConnectionString"));
    }

    [Fact]
    public void AValueThatIsNotAWholeNumber_IsRefusedWithTheOptionNamed()
    {
        var parsed = CommandArguments.Parse(["--petitions", "abc"], [new CommandOption("petitions", "件数", "")]);

        var refused = Assert.Throws<CommandUsageException>(() => parsed.Integer("petitions", 1, 1, 100));

        Assert.Equal("选项 --petitions 的值“abc”不是整数", refused.Message);
    }

    [Fact]
    public void ACommandWord_SwitchesTheAppToTheCommandLine_SettingsDoNot()
    {
        Assert.True(CommandLineCommands.IsCommand(["generate-demo", "--petitions", "5"]));
        Assert.True(CommandLineCommands.IsCommand(["help"]));
        Assert.True(CommandLineCommands.IsCommand(["generate-dmo"]));
        Assert.False(CommandLineCommands.IsCommand([]));
        Assert.False(CommandLineCommands.IsCommand(["--urls", "http://127.0.0.1:5000"]));
        Assert.False(CommandLineCommands.IsCommand(["urls=http://127.0.0.1:5000"]));
        Assert.False(CommandLineCommands.IsCommand(["/environment", "Development"]));
    }

    [Fact]
    public async Task AMisspeltCommand_IsAUsageError_ListingTheCommands()
    {
        var output = new CommandOutput(new StringWriter(), new StringWriter());
        await using var services = new ServiceCollection().BuildServiceProvider();

        var code = await CommandLineCommands.RunAsync(services, ["generate-dmo"], output);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("未知命令“generate-dmo”", output.Error.ToString());
        Assert.Contains("generate-demo", output.Error.ToString());
    }
}

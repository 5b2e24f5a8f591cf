using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Data;

namespace PetitionDashboard.Tests.Data;

/// <summary>A wrong <c>Database:Provider</c> is refused at start-up with a Chinese message that names the key.</summary>
public sealed class DatabaseOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DatabaseOptions Bind(string provider)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = provider });
        builder.AddPetitionData();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
    }

    [Theory]
    [InlineData("Sqlite", DatabaseProvider.Sqlite)]
    [InlineData("sqlserver", DatabaseProvider.SqlServer)]
    [InlineData(" SqlServer ", DatabaseProvider.SqlServer)]
    public void KnownProviderNames_Bind_IgnoringCase(string text, DatabaseProvider expected) =>
        Assert.Equal(expected, Bind(text).Provider);

    [Theory]
    [InlineData("Oracle")]
    [InlineData("1")]
    public void AnUnknownProvider_IsRefused_InChinese_NamingTheKeyAndTheChoices(string text)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Bind(text));

        var message = Assert.Single(refused.Failures);
        Assert.Contains("Database:Provider", message);
        Assert.Contains("Sqlite、SqlServer", message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheWebAppAndACommand_WithAnUnknownProvider_ExitWithAChineseMessage_NotAStackTrace(bool asCommand)
    {
        string[] args = asCommand ? ["recompute-statistics", "--Database:Provider", "Oracle"] : ["--Database:Provider", "Oracle"];
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8, StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PetitionDashboard.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Never the default database: the refusal must come before anything is opened.
        start.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"pd-never-{Guid.NewGuid():N}.db")}";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        var error = await stderr + await stdout;

        Assert.Equal(ExitCodes.Failed, process.ExitCode);
        Assert.Contains("配置项 Database:Provider 的值无效", error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Exception", error);
    }
}

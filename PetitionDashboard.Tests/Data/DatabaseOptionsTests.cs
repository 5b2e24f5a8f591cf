using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Data;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Data;

/// <summary>A wrong <c>Database:Provider</c> is refused at start-up with a Chinese message that names the key.</summary>
public sealed class DatabaseOptionsTests
{
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
    [InlineData("postgresql", DatabaseProvider.PostgreSql)]
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
        Assert.Contains("Sqlite、SqlServer、PostgreSql", message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheWebAppAndACommand_WithAnUnknownProvider_ExitWithAChineseMessage_NotAStackTrace(bool asCommand)
    {
        string[] args = asCommand ? ["recompute-statistics", "--Database:Provider", "Oracle"] : ["--Database:Provider", "Oracle"];
        // Never the default database: the refusal comes before anything is opened.
        var file = Path.Combine(Path.GetTempPath(), $"pd-never-{Guid.NewGuid():N}.db");
        var run = await AppProcess.RunAsync(args, new Dictionary<string, string> { ["Database__ConnectionString"] = $"Data Source={file}" });
        var error = run.Error + run.Out;

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("配置项 Database:Provider 的值无效", error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Exception", error);
        Assert.False(File.Exists(file));
    }
}

using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Features.Account;

/// <summary>The first Admin of a database without demo data comes from the command line.</summary>
public sealed class CreateAdminCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAdmin_MakesAnAdminWhosePrintedPasswordWorks_AndRefusesTheSameNameTwice()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var command = new CreateAdminCommand(s.Services.GetRequiredService<DatabaseInitializer>(), s.Services);
        var output = new CommandOutput(new StringWriter(), new StringWriter());

        var code = await command.RunAsync(CommandArguments.Parse(["--user", "ops", "--name", "运维管理员"], CreateAdminCommand.Options), output, Ct);

        Assert.Equal(ExitCodes.Success, code);
        var password = Regex.Match(output.Out.ToString()!, "初始密码 ([A-Za-z0-9]+)").Groups[1].Value;
        await using var scope = s.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync("ops");
        Assert.NotNull(user);
        Assert.Equal("运维管理员", user.DisplayName);
        Assert.True(await users.CheckPasswordAsync(user, password));
        Assert.Equal([Roles.Admin], await users.GetRolesAsync(user));

        var again = new CommandOutput(new StringWriter(), new StringWriter());
        Assert.Equal(ExitCodes.Failed, await command.RunAsync(CommandArguments.Parse(["--user", "ops"], CreateAdminCommand.Options), again, Ct));
        Assert.Contains("已存在", again.Error.ToString());
    }

    [Fact]
    public async Task CreateAdmin_WithoutAUserName_IsAUsageError()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var command = new CreateAdminCommand(s.Services.GetRequiredService<DatabaseInitializer>(), s.Services);

        var refused = await Assert.ThrowsAsync<CommandUsageException>(() =>
            command.RunAsync(CommandArguments.Parse([], CreateAdminCommand.Options), new CommandOutput(new StringWriter(), new StringWriter()), Ct));

        Assert.Contains("--user", refused.Message);
    }
}

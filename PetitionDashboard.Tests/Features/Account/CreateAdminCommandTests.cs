using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Features.Account;

/// <summary>The three administrators of a database without demo data come from the command line.</summary>
public sealed class CreateAdminCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateAdmin_MakesTheThreeSeparatedAdministrators_WhosePrintedPasswordsWork_AndNotTwice()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var command = new CreateAdminCommand(s.Services.GetRequiredService<DatabaseInitializer>(), s.Services);
        var output = new CommandOutput(new StringWriter(), new StringWriter());

        var code = await command.RunAsync(CommandArguments.Parse(["--system", "ops", "--audit", "shenji"], CreateAdminCommand.Options), output, Ct);

        Assert.Equal(ExitCodes.Success, code);
        await using var scope = s.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var (name, role) in new[] { ("ops", Roles.SystemAdmin), ("secadmin", Roles.SecurityAdmin), ("shenji", Roles.AuditAdmin) })
        {
            var password = Regex.Match(output.Out.ToString()!, $"{name}，初始密码 ([A-Za-z0-9]+)").Groups[1].Value;
            var user = await users.FindByNameAsync(name);
            Assert.NotNull(user);
            Assert.Equal(Roles.ToChinese(role), user.DisplayName);
            Assert.True(await users.CheckPasswordAsync(user, password));
            Assert.Equal([role], await users.GetRolesAsync(user));
            Assert.True(user.MustChangePassword);
        }

        var again = new CommandOutput(new StringWriter(), new StringWriter());
        Assert.Equal(ExitCodes.Failed, await command.RunAsync(CommandArguments.Parse(["--system", "ops"], CreateAdminCommand.Options), again, Ct));
        Assert.Contains("均已存在", again.Error.ToString());
    }

    [Fact]
    public async Task CreateAdmin_Reset_GivesANewPasswordToBeChanged()
    {
        await using var s = await AccountTestServices.CreateAsync();
        await s.CreateUserAsync("shenji", "Secret1234abc", Roles.AuditAdmin);
        var command = new CreateAdminCommand(s.Services.GetRequiredService<DatabaseInitializer>(), s.Services);
        var output = new CommandOutput(new StringWriter(), new StringWriter());

        Assert.Equal(ExitCodes.Success, await command.RunAsync(CommandArguments.Parse(["--reset", "shenji"], CreateAdminCommand.Options), output, Ct));

        var password = Regex.Match(output.Out.ToString()!, "新密码 ([A-Za-z0-9]+)").Groups[1].Value;
        await using var scope = s.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByNameAsync("shenji"))!;
        Assert.True(await users.CheckPasswordAsync(user, password));
        Assert.False(await users.CheckPasswordAsync(user, "Secret1234abc"));
        Assert.True(user.MustChangePassword);
    }

    [Fact]
    public async Task CreateAdmin_TheSameNameForTwoAdministrators_IsAUsageError()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var command = new CreateAdminCommand(s.Services.GetRequiredService<DatabaseInitializer>(), s.Services);

        var refused = await Assert.ThrowsAsync<CommandUsageException>(() => command.RunAsync(
            CommandArguments.Parse(["--system", "ops", "--audit", "OPS"], CreateAdminCommand.Options), new CommandOutput(new StringWriter(), new StringWriter()), Ct));

        Assert.Contains("三个不同的账户", refused.Message);
    }
}

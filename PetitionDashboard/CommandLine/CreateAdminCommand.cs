using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// <c>create-admin --user NAME</c>: the first system administrator of a database without demo data (no self-registration
/// exists, and every other user is created by an Admin). The password is generated and shown once on the console.
/// </summary>
public sealed class CreateAdminCommand(DatabaseInitializer initializer, IServiceProvider services) : ICommandLineCommand
{
    public static string Name => "create-admin";

    public static string Summary => "创建系统管理员账户（密码随机生成，只显示一次）";

    public static IReadOnlyList<CommandOption> Options { get; } =
    [
        new("user", "用户名", "新管理员的用户名（必填）"),
        new("name", "姓名", "显示的姓名（默认同用户名）"),
    ];

    public async Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        var userName = arguments.Text("user")?.Trim();
        if (string.IsNullOrEmpty(userName)) throw new CommandUsageException("缺少 --user：请给出新管理员的用户名");
        await initializer.InitializeAsync(loadDemo: false, ct);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByNameAsync(userName) is not null)
        {
            output.Error.WriteLine($"create-admin：用户名“{userName}”已存在；如需重置密码，请由系统管理员在“用户管理”页面操作");
            return ExitCodes.Failed;
        }
        var password = PasswordGenerator.Generate();
        var user = new AppUser { UserName = userName, DisplayName = arguments.Text("name")?.Trim() is { Length: > 0 } n ? n : userName };
        AccountFeature.ThrowIfFailed(await users.CreateAsync(user, password));
        AccountFeature.ThrowIfFailed(await users.AddToRoleAsync(user, Roles.Admin));
        output.Out.WriteLine($"已创建系统管理员 {userName}，初始密码 {password}（只显示这一次，请登录后在“修改密码”中更改）");
        return ExitCodes.Success;
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Admin;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// <c>create-admin</c>: the three separated administrators of 三员分立 (系统管理员, 安全管理员, 审计管理员) of a fresh
/// installation — each role that has no account yet gets one (no self-registration exists, and the security administrator
/// grants every other role). <c>--reset NAME</c> gives an account a new password on the server, the only way for another
/// administrator's password (the web page refuses it). Passwords are generated, printed once on the console (never to a
/// log) and must be changed at the first sign-in.
/// </summary>
public sealed class CreateAdminCommand(DatabaseInitializer initializer, IServiceProvider services) : ICommandLineCommand
{
    public static string Name => "create-admin";

    public static string Summary => "创建三员（系统管理员、安全管理员、审计管理员）账户，或在服务器上重置某账户密码（密码随机生成，只显示一次）";

    public static IReadOnlyList<CommandOption> Options { get; } =
    [
        new("system", "用户名", $"系统管理员的用户名（默认 {DefaultNames[Roles.SystemAdmin]}）"),
        new("security", "用户名", $"安全管理员的用户名（默认 {DefaultNames[Roles.SecurityAdmin]}）"),
        new("audit", "用户名", $"审计管理员的用户名（默认 {DefaultNames[Roles.AuditAdmin]}）"),
        new("reset", "用户名", "不创建账户，而是为该账户生成新密码（首次登录须修改）"),
    ];

    private static IReadOnlyDictionary<string, string> DefaultNames => new Dictionary<string, string>
    {
        [Roles.SystemAdmin] = "sysadmin", [Roles.SecurityAdmin] = "secadmin", [Roles.AuditAdmin] = "auditadmin",
    };

    private static readonly (string Role, string Option)[] Administrators =
        [(Roles.SystemAdmin, "system"), (Roles.SecurityAdmin, "security"), (Roles.AuditAdmin, "audit")];

    public async Task<int> RunAsync(CommandArguments arguments, CommandOutput output, CancellationToken ct)
    {
        await initializer.InitializeAsync(loadDemo: false, ct);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (arguments.Text("reset") is { } resetName) return await ResetAsync(scope.ServiceProvider, users, resetName.Trim(), output, ct);

        var names = Administrators.ToDictionary(a => a.Role, a => arguments.Text(a.Option)?.Trim() is { Length: > 0 } n ? n : DefaultNames[a.Role]);
        if (names.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count() < names.Count)
            throw new CommandUsageException("三员必须是三个不同的账户：--system、--security、--audit 的用户名不能相同");

        var created = 0;
        foreach (var (role, _) in Administrators)
        {
            if ((await users.GetUsersInRoleAsync(role)).Count > 0)
            {
                output.Out.WriteLine($"{Roles.ToChinese(role)}已存在，未创建。");
                continue;
            }
            var userName = names[role];
            if (await users.FindByNameAsync(userName) is not null)
            {
                output.Error.WriteLine($"create-admin：用户名“{userName}”已存在；请用 --{Administrators.First(a => a.Role == role).Option} 另取一个用户名");
                return ExitCodes.Failed;
            }
            var password = PasswordGenerator.GenerateFor(userName);
            var user = new AppUser { UserName = userName, DisplayName = Roles.ToChinese(role), MustChangePassword = true };
            AccountFeature.ThrowIfFailed(await users.CreateAsync(user, password));
            AccountFeature.ThrowIfFailed(await users.AddToRoleAsync(user, role));
            output.Out.WriteLine($"已创建{Roles.ToChinese(role)} {userName}，初始密码 {password}（只显示这一次，首次登录须修改）");
            created++;
        }
        if (created == 0)
        {
            output.Error.WriteLine("create-admin：三员账户均已存在；如需重置某个账户的密码，请运行 create-admin --reset <用户名>");
            return ExitCodes.Failed;
        }
        return ExitCodes.Success;
    }

    private static async Task<int> ResetAsync(IServiceProvider scope, UserManager<AppUser> users, string userName, CommandOutput output, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            output.Error.WriteLine($"create-admin：找不到用户“{userName}”");
            return ExitCodes.Failed;
        }
        var password = await UserAdminService.ResetAsync(users, user, scope.GetRequiredService<UserSessions>(), ct);
        output.Out.WriteLine($"已重置 {userName} 的密码，新密码 {password}（只显示这一次，首次登录须修改）");
        return ExitCodes.Success;
    }
}

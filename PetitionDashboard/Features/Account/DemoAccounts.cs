using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

/// <summary>A demo account and its password, generated at first start; shown once on the console, stored only as a hash.</summary>
public sealed record DemoAccount(string UserName, string DisplayName, string Role, string Password);

/// <summary>
/// One account per role, created together with the demo data (never otherwise): the three business roles and the three
/// separated administrators (<c>admin</c> is the system administrator). The Leader account stands for the first Leader
/// row. Accounts that already exist are left alone (their passwords cannot be shown again). Unlike a generated password
/// of a real installation, a demo password need not be changed at the first sign-in: the demo is for trying the roles.
/// </summary>
public static class DemoAccounts
{
    private static readonly (string UserName, string DisplayName, string Role)[] Accounts =
    [
        ("leader", "演示局领导", Roles.Leader),
        ("supervisor", "演示督查", Roles.Supervisor),
        ("duty", "演示值班员", Roles.DutyOfficer),
        ("admin", "演示系统管理员", Roles.SystemAdmin),
        ("security", "演示安全管理员", Roles.SecurityAdmin),
        ("auditor", "演示审计管理员", Roles.AuditAdmin),
    ];

    public static async Task<IReadOnlyList<DemoAccount>> EnsureAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        int? firstLeader;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            firstLeader = await db.Leaders.OrderBy(l => l.Id).Select(l => (int?)l.Id).FirstOrDefaultAsync(ct);

        var created = new List<DemoAccount>();
        foreach (var (userName, displayName, role) in Accounts)
        {
            if (await users.FindByNameAsync(userName) is not null) continue;
            var password = PasswordGenerator.GenerateFor(userName);
            var user = new AppUser { UserName = userName, DisplayName = displayName, LeaderId = role == Roles.Leader ? firstLeader : null };
            AccountFeature.ThrowIfFailed(await users.CreateAsync(user, password));
            AccountFeature.ThrowIfFailed(await users.AddToRoleAsync(user, role));
            created.Add(new DemoAccount(userName, displayName, role, password));
        }
        return created;
    }

    /// <summary>The console block that shows the new demo passwords (console only, never the log).</summary>
    public static void Print(IReadOnlyList<DemoAccount> accounts, TextWriter output)
    {
        if (accounts.Count == 0) return;
        output.WriteLine("==== 演示账户（密码只显示这一次，请妥善保存）====");
        foreach (var a in accounts)
            output.WriteLine($"  {Roles.ToChinese(a.Role),-8} 用户名 {a.UserName,-12} 密码 {a.Password}");
        output.WriteLine("================================================");
    }
}

/// <summary>After the demo city is written at web start-up: its accounts, passwords shown once on the console.</summary>
public sealed class DemoAccountsSeedStep(IServiceProvider services) : IDemoSeedStep
{
    public async Task RunAsync(CancellationToken ct) => DemoAccounts.Print(await DemoAccounts.EnsureAsync(services, ct), Console.Out);
}

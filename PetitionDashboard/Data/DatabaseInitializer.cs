using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data.Demo;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

/// <summary>
/// Work a feature adds to a freshly written demo city (the demo accounts, the demo's weekly figures). Data cannot call
/// the features; they register a step here instead, and the steps run in registration order.
/// </summary>
public interface IDemoSeedStep
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>
/// The one place that prepares the database, for the web app and every command alike: applies the migrations of the
/// configured provider, makes sure the roles and the shipped holiday calendars exist, and — for the web app only — loads the demo city into an empty
/// database (<see cref="DemoDataLoader"/> decides whether) followed by the features' <see cref="IDemoSeedStep"/>s.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<AppDbContext> contexts, IServiceScopeFactory scopes, DemoDataLoader demo, IEnumerable<IDemoSeedStep> demoSteps,
    CalendarStore calendars, PersonalDataRewrap personalData, ILogger<DatabaseInitializer> log)
{
    /// <summary>
    /// Migrations and roles; with <paramref name="loadDemo"/> (the web app) also the demo city — or, when no demo is loaded
    /// and nobody can sign in yet, a log line saying how to create the administrator. True when demo data was written.
    /// </summary>
    public async Task<bool> InitializeAsync(bool loadDemo, CancellationToken ct = default)
    {
        await contexts.MigrateAsync(ct);
        // Rows written in clear by an earlier version are encrypted before anything reads them (the keys are not in the
        // database, so this is a start-up step rather than a migration).
        await personalData.ProtectClearRowsAsync(ct);
        await EnsureRolesAsync(ct);
        await calendars.SeedAsync(ct);
        if (!loadDemo) return false;
        if (!await demo.LoadIfEmptyAsync(ct))
        {
            await TellHowToCreateAdministratorAsync(ct);
            return false;
        }
        foreach (var step in demoSteps) await step.RunAsync(ct);
        return true;
    }

    /// <summary>A database without any account (a fresh production installation) gets its three administrators from the command line.</summary>
    private async Task TellHowToCreateAdministratorAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await db.Users.AnyAsync(ct)) return;
        log.LogWarning(
            "数据库中还没有任何账户，无法登录。请在服务器上用本程序的命令创建系统管理员、安全管理员、审计管理员（三员分立；密码随机生成，只在控制台显示一次）：" +
            "dotnet PetitionDashboard.dll create-admin（源码目录中：dotnet run --project PetitionDashboard -- create-admin）");
    }

    /// <summary>Every role exists in every database (idempotent).</summary>
    private async Task EnsureRolesAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            ct.ThrowIfCancellationRequested();
            if (await roles.RoleExistsAsync(role)) continue;
            var result = await roles.CreateAsync(new IdentityRole(role));
            if (!result.Succeeded) throw new InvalidOperationException($"无法创建角色 {role}：{string.Join("；", result.Errors.Select(e => e.Description))}");
        }
    }
}

public static class DatabaseMigrations
{
    /// <summary>
    /// Applies pending migrations of the configured provider. The app calls it only through
    /// <see cref="DatabaseInitializer"/>; tests and benchmarks call it on their own databases.
    /// </summary>
    public static async Task MigrateAsync(this IDbContextFactory<AppDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // An up-to-date database (every start but the first after an upgrade) skips EF's Migrate: it also diffs the model
        // against the migrations' snapshot, which costs a command ≈ 0.2–0.4 s of CPU at every start (issue 12, import.sh);
        // that check is the developer's, made by `dotnet ef migrations has-pending-model-changes` (db/README.md).
        if ((await db.Database.GetPendingMigrationsAsync(ct)).Any()) await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets the dashboard read while a job or an import writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}

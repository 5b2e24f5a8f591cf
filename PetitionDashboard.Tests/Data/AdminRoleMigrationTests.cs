using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Data;

/// <summary>三员分立's data step (Data/Migrations/Steps/SessionsSteps.cs): a database of the single Admin role, migrated, has its Admins as SystemAdmins.</summary>
public sealed class AdminRoleMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExistingAdmins_BecomeSystemAdministrators_KeepingTheirOtherRoles()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pd-mig-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteDbContext>()
                .UseSqlite(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()).Options;
            await using var db = new SqliteDbContext(options);
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_SessionsAndSeparatedAdministrators", StringComparison.Ordinal)) - 1];
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(before, Ct);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "AspNetRoles" ("Id", "Name", "NormalizedName") VALUES ('r-admin', 'Admin', 'ADMIN'), ('r-sup', 'Supervisor', 'SUPERVISOR');
                INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "DisplayName", "Disabled", "EmailConfirmed", "PhoneNumberConfirmed",
                    "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount") VALUES ('u-1', 'ops', 'OPS', '运维', 0, 0, 0, 0, 1, 0);
                INSERT INTO "AspNetUserRoles" ("UserId", "RoleId") VALUES ('u-1', 'r-admin'), ('u-1', 'r-sup');
                """, Ct);

            await migrator.MigrateAsync(cancellationToken: Ct);

            var roles = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               where ur.UserId == "u-1"
                               orderby r.Name
                               select r.Name + "/" + r.NormalizedName).ToListAsync(Ct);
            Assert.Equal([$"{Roles.Supervisor}/SUPERVISOR", $"{Roles.SystemAdmin}/SYSTEMADMIN"], roles);
            Assert.False(await db.Roles.AnyAsync(r => r.Name == "Admin", Ct));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }
}

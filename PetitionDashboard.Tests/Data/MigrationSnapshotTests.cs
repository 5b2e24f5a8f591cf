using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PetitionDashboard.Data;

namespace PetitionDashboard.Tests.Data;

/// <summary>
/// Every model change has its migration, for every provider. Start-up runs EF's Migrate (which refuses a model its
/// migrations do not describe) only when a migration is pending, so an up-to-date database no longer reports a forgotten
/// migration: this test does, for the three providers, without a server.
/// </summary>
public sealed class MigrationSnapshotTests
{
    public static TheoryData<string> Providers => [nameof(SqliteDbContext), nameof(SqlServerDbContext), nameof(PostgresDbContext)];

    [Theory]
    [MemberData(nameof(Providers))]
    public void TheModel_HasNoChangeItsMigrationsLeaveOut(string context)
    {
        using DbContext db = context switch
        {
            nameof(SqliteDbContext) => Create(new SqliteDesignTimeFactory()),
            nameof(SqlServerDbContext) => Create(new SqlServerDesignTimeFactory()),
            _ => Create(new PostgresDesignTimeFactory()),
        };
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"{context} 的模型有未写入迁移的变更：请运行 bash db/add-migration.sh <名称>（三个数据库各一个迁移）");
    }

    private static TContext Create<TContext>(IDesignTimeDbContextFactory<TContext> factory) where TContext : DbContext =>
        factory.CreateDbContext([]);
}

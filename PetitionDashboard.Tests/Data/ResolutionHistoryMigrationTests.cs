using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Data;

/// <summary>
/// The dated-history migration's data step (Data/Migrations/Steps/HistorySteps.cs): every 包案 that was resolved gets the
/// resolution row the weekly figures read — holding while 已化解, ended by its relapse while 反弹 — and the figures of the
/// weeks around it are what they were before the migration.
/// </summary>
public sealed class ResolutionHistoryMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ResolvedAndRelapsed包案_GetTheirResolutionRows_ActiveOnesNone()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pd-mig-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteDbContext>()
                .UseSqlite(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()).Options;
            await using var db = new SqliteDbContext(options);
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_DatedHistoryForStatistics", StringComparison.Ordinal)) - 1];
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(before, Ct);
            // Status: 1 在办 (Active), 2 已化解 (Resolved), 3 反弹 (Relapsed) — checked below against the enum.
            Assert.Equal((1, 2, 3), ((int)AssignmentStatus.Active, (int)AssignmentStatus.Resolved, (int)AssignmentStatus.Relapsed));
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Units" ("Id", "Name", "Kind") VALUES (1, '甲县', 1);
                INSERT INTO "Leaders" ("Id", "Name", "Title") VALUES (1, '王五', '副市长');
                INSERT INTO "Threads" ("Id", "PetitionCount", "FirstReceivedOn", "LastReceivedOn") VALUES
                    (1, 1, '2026-01-05', '2026-01-05'), (2, 1, '2026-01-05', '2026-01-05'), (3, 1, '2026-01-05', '2026-01-05'), (4, 1, '2026-01-05', '2026-01-05');
                INSERT INTO "LeaderAssignments" ("Id", "ThreadId", "LeaderId", "LeadUnitId", "ResponsiblePerson", "Plan", "AssignedOn", "DueOn",
                    "ExtensionDays", "Status", "ResolvedOn", "RelapsedOn", "Version") VALUES
                    (1, 1, 1, 1, '李四', '方案', '2026-02-01', '2026-05-02', 0, 1, NULL, NULL, 0),
                    (2, 2, 1, 1, '李四', '方案', '2026-02-01', '2026-05-02', 0, 2, '2026-03-10', NULL, 0),
                    (3, 3, 1, 1, '李四', '方案', '2026-02-01', '2026-05-02', 0, 3, '2026-03-10', '2026-04-01', 0),
                    (4, 4, 1, 1, '李四', '方案', '2026-02-01', '2026-05-02', 0, 2, '2026-05-20', '2026-04-01', 0);
                """, Ct);

            await migrator.MigrateAsync(cancellationToken: Ct);

            var rows = await db.AssignmentResolutions.AsNoTracking().OrderBy(r => r.AssignmentId)
                .Select(r => new { r.AssignmentId, r.ResolvedOn, r.RelapsedOn }).ToListAsync(Ct);
            DateOnly D(int m, int d) => new(2026, m, d);
            // 2: resolved, holding. 3: resolved 03-10, ended by the relapse of 04-01. 4: resolved again 05-20 after a relapse of
            // 04-01 — the earlier resolution's date was never stored, so only the last one can be kept.
            Assert.Equal([(2, D(3, 10), (DateOnly?)null), (3, D(3, 10), (DateOnly?)D(4, 1)), (4, D(5, 20), (DateOnly?)null)],
                rows.Select(r => (r.AssignmentId, r.ResolvedOn, r.RelapsedOn)).ToList());
            // The weeks read the same as before the migration: 3 is 化解 in the week of 03-15, not in the week of 04-05.
            Assert.Equal([2, 3], await db.LeaderAssignments.Where(AssignmentLifecycle.ResolvedBy(D(3, 15))).Select(a => a.Id).OrderBy(i => i).ToListAsync(Ct));
            Assert.Equal([2], await db.LeaderAssignments.Where(AssignmentLifecycle.ResolvedBy(D(4, 5))).Select(a => a.Id).OrderBy(i => i).ToListAsync(Ct));
            Assert.Equal([2, 4], await db.LeaderAssignments.Where(AssignmentLifecycle.ResolvedBy(D(5, 24))).Select(a => a.Id).OrderBy(i => i).ToListAsync(Ct));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;
using SQLitePCL;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// The import's multi-row inserts write petitions with the connection's triggers off and then do the petitions' trigger work
/// set-wise — the full-text rows and the change counter (ImportInserts.PetitionTriggers; LedgerWritePassTests compares the
/// result with one INSERT per row through the triggers). Here: that it happens on the migrated schema, that the connection
/// gets its triggers back (a pooled connection would otherwise keep them off for every later write), and that a trigger it
/// does not know keeps every trigger on.
/// </summary>
public sealed class ImportPetitionTriggersTests
{
    private const int EnableTrigger = 1003; // SQLITE_DBCONFIG_ENABLE_TRIGGER

    private static int TriggersEnabled(SqliteConnection connection)
    {
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_db_config(connection.Handle!, EnableTrigger, -1, out var enabled));
        return enabled;
    }

    private static async Task<long> CounterAsync(AppDbContext db) =>
        await db.Database.SqlQueryRaw<long>("SELECT \"Value\" AS \"Value\" FROM \"ChangeCounters\" WHERE \"Id\" = 1").SingleAsync();

    /// <summary>Rows of the full-text index holding one trigram (detail=none: a longer text is a phrase, which it does not answer).</summary>
    private static async Task<int> SearchAsync(AppDbContext db, string trigram) =>
        await db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM \"PetitionSearch\" WHERE \"PetitionSearch\" MATCH {'"' + trigram + '"'}").SingleAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TriggersOff_WhileWriting_OnAgainAfter_WithTheirWorkDoneOnlyWhenAsked(bool writingEnds)
    {
        await using var w = await ImportWorld.CreateAsync();
        await using var connection = new SqliteConnection(w.Db.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>()
            .UseSqlite(connection, DataServices.SqliteProviderOptions).Options);
        var unitId = await db.Units.Select(u => u.Id).FirstAsync(TestContext.Current.CancellationToken);
        var counterBefore = await CounterAsync(db);

        await using (var tx = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            using (var inserts = new ImportInserts(db, rowsPerInsert: 3))
            {
                Assert.True(inserts.DefersPetitionTriggers, "the migrated schema's petition triggers are the ones the import replays");
                var on = new DateOnly(2026, 11, 2);
                for (var i = 1; i <= 4; i++)
                {
                    var thread = new PetitionThread { PetitionCount = 1, FirstReceivedOn = on, LastReceivedOn = on };
                    inserts.Thread(thread);
                    inserts.Petition(new Petition
                    {
                        CaseNumber = $"TRG-{i}", Locality = "城关区", Category = "其他", Demand = "要求修复漏水的屋顶", UnitId = unitId,
                        PetitionerNames = "李四", ReceivedOn = on, ThreadId = thread.Id,
                    });
                }
                inserts.Flush();
                Assert.Equal(0, TriggersEnabled(connection));
                Assert.Equal(4, await db.Petitions.CountAsync(p => p.CaseNumber.StartsWith("TRG-"), TestContext.Current.CancellationToken));
                Assert.Equal(counterBefore, await CounterAsync(db)); // not yet: the triggers are off
                if (writingEnds)
                {
                    inserts.TriggersOn();
                    Assert.Equal(1, TriggersEnabled(connection));
                    Assert.Equal(counterBefore + 4, await CounterAsync(db));
                    Assert.Equal(4, await SearchAsync(db, "漏水的"));
                }
            }
            // Disposed (the import's end, or its failure): the connection's triggers are on again either way.
            Assert.Equal(1, TriggersEnabled(connection));
            if (writingEnds) await tx.CommitAsync(TestContext.Current.CancellationToken);
        }
        var committed = writingEnds ? 4 : 0;
        Assert.Equal(committed, await db.Petitions.CountAsync(p => p.CaseNumber.StartsWith("TRG-"), TestContext.Current.CancellationToken));
        Assert.Equal(counterBefore + committed, await CounterAsync(db));
        Assert.Equal(committed, await SearchAsync(db, "漏水的"));
        await db.Database.ExecuteSqlRawAsync("INSERT INTO \"PetitionSearch\" (\"PetitionSearch\", rank) VALUES ('integrity-check', 1)",
            TestContext.Current.CancellationToken);

        // A petition written afterwards on the same connection goes through the triggers again.
        var after = new DateOnly(2026, 11, 3);
        db.Petitions.Add(new Petition
        {
            CaseNumber = "TRG-AFTER", Locality = "城关区", Category = "其他", Demand = "反映楼道堆放杂物", UnitId = unitId, PetitionerNames = "赵六",
            ReceivedOn = after, Thread = new PetitionThread { PetitionCount = 1, FirstReceivedOn = after, LastReceivedOn = after },
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, await SearchAsync(db, "堆放杂"));
        Assert.Equal(counterBefore + committed + 1, await CounterAsync(db));
    }

    /// <summary>A trigger the import does not replay (here one counting events) must still fire for every row the import writes.</summary>
    [Fact]
    public async Task AnUnknownTrigger_OnATableTheImportWrites_KeepsEveryTriggerOn()
    {
        await using var w = await ImportWorld.CreateAsync();
        await using (var db = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE \"EventLog\" (\"EventId\" INTEGER NOT NULL)", TestContext.Current.CancellationToken);
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER \"TR_Test_events\" AFTER INSERT ON \"PetitionEvents\" BEGIN INSERT INTO \"EventLog\" VALUES (new.\"Id\"); END;",
                TestContext.Current.CancellationToken);
        }
        var ledger = new LedgerFile();
        for (var i = 1; i <= 25; i++)
            ledger.Row($"EVT-{i:00}", (C.ReceivedOn, $"2026-10-{i:00}"), (C.Petitioners, "王五"), (C.Demand, "反映小区噪声扰民"),
                (C.AcceptedOn, $"2026-10-{i + 1:00}"));
        var result = await w.ImportAsync(ledger);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));

        await using var check = await w.Db.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var events = await check.PetitionEvents.CountAsync(TestContext.Current.CancellationToken);
        Assert.True(events >= 50, $"{events} events");
        Assert.Equal(events, await check.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM \"EventLog\"").SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal(25, await SearchAsync(check, "噪声扰"));
        Assert.Equal(25L, await CounterAsync(check));
    }
}

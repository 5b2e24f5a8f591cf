using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// The import's multi-row inserts written on another thread while the next rows are prepared (SQLite): every row handed
/// over is there, in order, with the keys it was given, once anything waits for it; a row the database refuses there is
/// not lost — its failure is thrown where the import next uses the connection, and the transaction rolls back.
/// </summary>
public sealed class ImportInsertsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PetitionThread NewThread(int day) =>
        new() { PetitionCount = 1, FirstReceivedOn = new DateOnly(2026, 1, 1).AddDays(day), LastReceivedOn = new DateOnly(2026, 1, 1).AddDays(day) };

    [Fact]
    public async Task RowsWrittenInBackground_AreAllThere_WithTheirKeys_AfterTheNextFlush()
    {
        await using var world = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = await world.CreateDbContextAsync(Ct);
        await using var tx = await db.Database.BeginTransactionAsync(Ct);
        var added = new List<PetitionThread>();
        using (var inserts = new ImportInserts(db, rowsPerInsert: 7))
        {
            for (var i = 0; i < 250; i++)
            {
                var thread = NewThread(i);
                inserts.Thread(thread);
                added.Add(thread);
                if (i % 40 == 39) inserts.WriteInBackground(); // 40 rows: five full statements and five single rows each time
            }
            inserts.Flush();
        }

        var stored = await db.Threads.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.Id, t.FirstReceivedOn }).ToListAsync(Ct);
        Assert.Equal(added.Select(t => (t.Id, t.FirstReceivedOn)), stored.Select(t => (t.Id, t.FirstReceivedOn)));
        Assert.Equal(Enumerable.Range(stored[0].Id, 250), stored.Select(t => t.Id));
    }

    [Fact]
    public async Task ARowRefusedInTheBackground_IsThrownAtTheNextFlush_AndNothingStays()
    {
        var stored = await ThreadsStoredAfterAsync(inserts =>
        {
            inserts.Thread(NewThread(0));
            // A link to a petition and a petitioner that do not exist: the foreign keys refuse it.
            inserts.Link(new PetitionPetitioner { PetitionId = 999_999, PetitionerId = 999_999 });
            inserts.WriteInBackground();
            inserts.Thread(NewThread(1)); // prepared meanwhile

            Assert.Throws<SqliteException>(inserts.Flush);
        });

        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task DisposedWhileWritingInBackground_WaitsForIt_ThenTheTransactionRollsBack()
    {
        var stored = await ThreadsStoredAfterAsync(inserts =>
        {
            for (var i = 0; i < 500; i++) inserts.Thread(NewThread(i));
            inserts.WriteInBackground();
            // Disposed here without a flush, as after a failure elsewhere: the statements and the transaction go only after it.
        });

        Assert.Equal(0, stored);
    }

    /// <summary>Runs <paramref name="use"/> on inserts inside a transaction that is never committed; the threads stored after.</summary>
    private static async Task<int> ThreadsStoredAfterAsync(Action<ImportInserts> use)
    {
        await using var world = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using (var db = await world.CreateDbContextAsync(Ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            using var inserts = new ImportInserts(db, rowsPerInsert: 7);
            use(inserts);
        }
        await using var check = await world.CreateDbContextAsync(Ct);
        return await check.Threads.CountAsync(Ct);
    }
}

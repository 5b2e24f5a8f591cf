using Microsoft.Data.Sqlite;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// On SQLite an import's commit leaves its pages in the WAL and the upload gets its result before they are copied into the
/// database file (LedgerImportService.SqliteWriteSettings, ImportCheckpoints): here, that the result does not wait for that
/// copy, that the copy then happens (else the next leader's save would pay for it), and that a refused import leaves nothing
/// to do. The main file is read alone — a copy without its WAL — to see what a checkpoint has put there.
/// </summary>
public sealed class ImportCheckpointTests
{
    private const int Rows = 300;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LedgerFile Ledger(string? lastRowReceivedOn = null)
    {
        var ledger = new LedgerFile();
        for (var i = 0; i < Rows - 1; i++)
            ledger.Row($"CP-{i:D4}", (C.Phones, $"139{i:D8}"), (C.Petitioners, $"李{i}"));
        if (lastRowReceivedOn is null) ledger.Row("CP-LAST", (C.Phones, "13900009999"), (C.Petitioners, "李末"));
        else ledger.Row("CP-LAST", (C.Phones, "13900009999"), (C.Petitioners, "李末"), (C.ReceivedOn, lastRowReceivedOn));
        return ledger;
    }

    /// <summary>The petitions in the database's main file alone (as of its last checkpoint).</summary>
    private static async Task<long> PetitionsInMainFileAsync(ImportWorld w)
    {
        var source = new SqliteConnectionStringBuilder(w.Db.ConnectionString).DataSource;
        var copy = Path.Combine(Path.GetTempPath(), $"pd-test-main-{Guid.NewGuid():N}.db");
        File.Copy(source, copy);
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM \"Petitions\"";
            return (long)(await command.ExecuteScalarAsync(Ct))!;
        }
        finally
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(copy + suffix);
        }
    }

    private static async Task CheckpointAsync(ImportWorld w)
    {
        await using var connection = new SqliteConnection(w.Db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task TheResult_DoesNotWaitForTheCheckpoint_WhichThenPutsTheRowsIntoTheDatabaseFile()
    {
        await using var w = await ImportWorld.CreateAsync();
        await CheckpointAsync(w); // the migrations' pages in the main file: it can be read alone
        // Open throughout, as the app's pool keeps connections: the import's connection is never the last to close (whose
        // closing would checkpoint by itself).
        await using var idle = new SqliteConnection(w.Db.ConnectionString);
        await idle.OpenAsync(Ct);
        await using (var read = idle.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM \"Units\""; // a read: the connection now has the WAL open
            await read.ExecuteScalarAsync(Ct);
        }
        // Work handed over before the import's holds its checkpoint back until released.
        var earlier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        w.Checkpoints.Run(() => earlier.Task);

        var result = await w.ImportAsync(Ledger());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        Assert.Equal(Rows, result.Added);
        Assert.False(w.Checkpoints.WhenDoneAsync().IsCompleted, "the import's checkpoint waits behind the earlier work");
        Assert.Equal(0, await PetitionsInMainFileAsync(w)); // committed: in the WAL only
        Assert.Equal(Rows, (await w.CountsAsync()).Petitions); // and every reader sees it

        earlier.SetResult();
        await w.Checkpoints.WhenDoneAsync().WaitAsync(Ct);

        Assert.Equal(Rows, await PetitionsInMainFileAsync(w));
    }

    [Fact]
    public async Task ARefusedImport_LeavesNothingToCheckpoint()
    {
        await using var w = await ImportWorld.CreateAsync();

        var result = await w.ImportAsync(Ledger(lastRowReceivedOn: "2026-13-01"));

        Assert.False(result.Succeeded);
        Assert.True(w.Checkpoints.WhenDoneAsync().IsCompleted);
        Assert.Equal((0, 0, 0, 0, 0), await w.CountsAsync());
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Import;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// On SQLite each write window's petitioners are looked up on a connection of their own, beside the import's (so the lookup
/// runs while the previous window is still being written). It must find what the import's own connection would: a stored
/// person met in a later window is that person, not a second one — which holds because no one else can commit while the
/// import writes (its transaction takes SQLite's write lock at BEGIN).
/// </summary>
public sealed class StoredPeopleLookupTests
{
    private const int Rows = 30;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string IdNumber = "36110219700101001" + ChineseIdNumber.CheckCharacter("36110219700101001");

    [Fact]
    public async Task AStoredPerson_MetInALaterWriteWindow_IsThatPerson()
    {
        await using var w = await ImportWorld.CreateAsync();
        var stored = new LedgerFile().Row("OLD-1", (C.ReceivedOn, "2026-09-01"), (C.Petitioners, "赵一"), (C.IdNumbers, IdNumber));
        Assert.True((await w.ImportAsync(stored)).Succeeded);
        w.Options.RowsPerWritePass = 7;
        var ledger = new LedgerFile();
        for (var i = 0; i < Rows; i++)
            if (i == 25) ledger.Row($"NEW-{i:00}", (C.Petitioners, "赵一"), (C.IdNumbers, IdNumber), (C.Demand, "要求解决小区停车位不足问题"));
            else ledger.Row($"NEW-{i:00}", (C.Phones, $"139{i:D8}"), (C.Petitioners, $"王{i}"));

        var result = await w.ImportAsync(ledger);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        await using var db = await w.Db.CreateDbContextAsync(Ct);
        var zhao = await db.Petitioners.Where(p => p.Name == "赵一").Select(p => p.Id).ToListAsync(Ct);
        Assert.Single(zhao);
        var linked = await db.PetitionPetitioners.Where(l => l.Petition.CaseNumber == "NEW-25").Select(l => l.PetitionerId).ToListAsync(Ct);
        Assert.Equal(zhao, linked);
    }

    [Fact]
    public async Task NoOneElseCanCommit_WhileTheImportWrites()
    {
        await using var w = await ImportWorld.CreateAsync();
        var ledger = new LedgerFile();
        for (var i = 0; i < Rows; i++) ledger.Row($"NEW-{i:00}", (C.Phones, $"139{i:D8}"), (C.Petitioners, $"王{i}"));
        var importer = w.Importer();
        var path = ledger.Save();
        string received;
        await using (var upload = File.OpenRead(path))
            received = await importer.ReceiveAsync(upload, "台账.xlsx", upload.Length, Ct);
        File.Delete(path);
        SqliteException? refused = null;
        var tried = false;

        var result = await importer.ImportAsync(received, "台账.xlsx", new ImmediateProgress(p =>
        {
            if (p is not { Stage: "写入", Done: > 0 } || tried) return; // "写入 0" comes before the transaction begins
            tried = true;
            // The import's thread waits here, inside its transaction: another writer gets SQLITE_BUSY.
            using var other = new SqliteConnection(w.Db.ConnectionString);
            other.Open();
            using var begin = other.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.CommandTimeout = 1;
            try { begin.ExecuteNonQuery(); }
            catch (SqliteException e) { refused = e; }
        }), Ct);
        File.Delete(received);

        Assert.True(result.Succeeded);
        Assert.True(tried);
        Assert.Equal(SQLitePCL.raw.SQLITE_BUSY, refused?.SqliteErrorCode);
    }
}

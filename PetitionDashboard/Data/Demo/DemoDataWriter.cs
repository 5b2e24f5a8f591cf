using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Demo;

/// <summary>Progress of a demo data run: petitions written so far out of the total.</summary>
public readonly record struct DemoProgress(int Petitions, int Total, TimeSpan Elapsed)
{
    public double Share => Total == 0 ? 1 : (double)Petitions / Total;
}

/// <summary>What a demo data run wrote.</summary>
public sealed record DemoWriteResult(
    int Units, int Leaders, int Categories, int Petitioners, int Threads, int Petitions, long Events, int Assignments,
    TimeSpan Elapsed);

/// <summary>
/// Writes generated demo rows with prepared INSERT commands, one transaction per batch, outside EF's change tracker.
/// </summary>
public sealed partial class DemoDataWriter(IDbContextFactory<AppDbContext> factory, PersonalDataProtector personalData)
{
    /// <summary>
    /// The kinds of data the database already holds, as zh-CN phrases ("单位 35 个"); empty when there is none.
    /// The category code table does not count: it may be seeded on its own.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExistingDataAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var found = new List<string>();
        async Task Check<T>(IQueryable<T> set, string what, string measure)
        {
            var n = await set.CountAsync(ct);
            if (n > 0) found.Add($"{what} {n} {measure}");
        }
        await Check(db.Units, "单位", "个");
        await Check(db.Petitions, "信访件", "件");
        await Check(db.Threads, "信访事项链", "条");
        await Check(db.Petitioners, "信访人", "人");
        await Check(db.Leaders, "领导", "人");
        await Check(db.LeaderAssignments, "领导包案", "件");
        return found;
    }

    public async Task<DemoWriteResult> WriteAsync(
        DemoMasterData master, IEnumerable<DemoBatch> batches, int total, Action<DemoProgress>? progress, CancellationToken ct = default)
    {
        var existing = await ExistingDataAsync(ct);
        if (existing.Count > 0) throw new ActionRefusedException(
            $"数据库中已有数据（{string.Join("、", existing)}），演示数据只写入空数据库，不会覆盖已有数据");

        var clock = Stopwatch.StartNew();
        await using var db = await factory.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var keys = db.Database.IsSqlServer() ? ExplicitKeys.SqlServer : db.Database.IsNpgsql() ? ExplicitKeys.Postgres : ExplicitKeys.Plain;
        if (db.Database.IsSqlite())
        {
            // WAL with NORMAL sync is durable at each commit point and several times faster for bulk writes; fewer,
            // larger checkpoints write each index page once instead of again and again.
            await db.Database.ExecuteSqlRawAsync(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=25000;", ct);
        }

        var existingCategories = await db.Categories.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync(ct);
        var nextCategoryId = existingCategories.Count == 0 ? 1 : existingCategories.Max(c => c.Id) + 1;
        var newCategories = master.Categories
            .Where(c => existingCategories.All(e => e.Name != c.Name))
            .Select(c => new Category { Id = nextCategoryId++, Name = c.Name, SortOrder = c.SortOrder, Version = c.Version, Active = c.Active })
            .ToList();

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var t = tx.GetDbTransaction();
            InsertAll(db, connection, t, master.Units, keys);
            InsertAll(db, connection, t, master.Leaders, keys);
            InsertAll(db, connection, t, newCategories, keys);
            await tx.CommitAsync(ct);
        }

        int petitioners = 0, threads = 0, petitions = 0, assignments = 0;
        long events = 0;
        await foreach (var batch in Prefetch(batches, ct))
        {
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                var t = tx.GetDbTransaction();
                // The generator makes people in clear (its rules read the numbers); they are stored like any other.
                // Parents before children, so that foreign keys hold at every statement.
                InsertAll(db, connection, t, batch.Petitioners.Select(personalData.StoredCopy).ToList(), keys);
                InsertAll(db, connection, t, batch.AssignmentBatches, keys);
                InsertAll(db, connection, t, batch.Threads, keys);
                InsertAll(db, connection, t, batch.Petitions, keys);
                InsertAll(db, connection, t, batch.PetitionPetitioners, keys);
                InsertAll(db, connection, t, batch.Events, keys);
                InsertAll(db, connection, t, batch.Assignments, keys);
                InsertAll(db, connection, t, batch.Progress, keys);
                InsertAll(db, connection, t, batch.Resolutions, keys);
                InsertAll(db, connection, t, batch.Instructions, keys);
                InsertAll(db, connection, t, batch.InstructionUnits, keys);
                await tx.CommitAsync(ct);
            }
            petitioners += batch.Petitioners.Count;
            threads += batch.Threads.Count;
            petitions += batch.Petitions.Count;
            events += batch.Events.Count;
            assignments += batch.Assignments.Count;
            progress?.Invoke(new DemoProgress(petitions, total, clock.Elapsed));
        }

        if (db.Database.IsSqlite())
        {
            // Fresh statistics let the query planner pick the backlog indexes on a large table.
            // and a checkpoint leaves the whole database in its main file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint=1000;", ct);
        }
        await db.Database.CloseConnectionAsync();
        return new DemoWriteResult(
            master.Units.Count, master.Leaders.Count, newCategories.Count, petitioners, threads, petitions, events, assignments,
            clock.Elapsed);
    }

    /// <summary>
    /// Generates the next batches on another thread while this one writes (at most two waiting, so memory stays flat);
    /// the batches still come out in order, so the data does not change.
    /// </summary>
    private static async IAsyncEnumerable<DemoBatch> Prefetch(
        IEnumerable<DemoBatch> batches, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<DemoBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var batch in batches)
                {
                    await channel.Writer.WriteAsync(batch, stop.Token);
                }
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct)) yield return batch;
        }
        finally
        {
            stop.Cancel();
            await producer;
        }
    }

    /// <summary>What a provider needs around explicit values in a database-generated key column.</summary>
    private enum ExplicitKeys { Plain, SqlServer, Postgres }

    private static void InsertAll<T>(AppDbContext db, DbConnection connection, DbTransaction transaction, IReadOnlyList<T> rows, ExplicitKeys keys)
        where T : class
    {
        if (rows.Count == 0) return;
        using var insert = BulkInsert<T>.Create(db, connection, transaction);
        // SQL Server accepts explicit values in an identity column only while IDENTITY_INSERT is on for that table.
        var identity = keys == ExplicitKeys.SqlServer && insert.HasGeneratedKey;
        if (identity) Execute(connection, transaction, $"SET IDENTITY_INSERT {insert.Table} ON");
        foreach (var row in rows) insert.Insert(row);
        if (identity) Execute(connection, transaction, $"SET IDENTITY_INSERT {insert.Table} OFF");
        // PostgreSQL accepts explicit keys but its identity sequence does not move: the next row the app adds would
        // collide. Move the sequence past the largest key.
        if (keys == ExplicitKeys.Postgres && insert.HasGeneratedKey)
            Execute(connection, transaction,
                $"SELECT setval(pg_get_serial_sequence('{insert.Table}', '{insert.KeyColumn}'), (SELECT MAX({insert.DelimitedKeyColumn}) FROM {insert.Table}))");
    }

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

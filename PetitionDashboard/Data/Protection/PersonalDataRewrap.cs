using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Protection;

/// <summary>Where a re-encryption run is: petitioners done of those that needed it when it started.</summary>
public readonly record struct RewrapProgress(int Done, int Total);

/// <summary>
/// Brings every petitioner row under the current key, in batches of <see cref="PersonalDataOptions.RotationBatchSize"/>, one
/// transaction each, in id order. Idempotent and resumable: it only ever selects rows that still need it, so a second run
/// (or a run after a crash) does the rest and nothing twice. Two uses:
/// <list type="bullet">
/// <item><see cref="ProtectClearRowsAsync"/> — the start-up step (DatabaseInitializer, after the migrations): rows written
/// in clear before encryption existed are encrypted and their identity keys hashed. A start-up step rather than a migration,
/// because a migration has no access to the keys (which are deliberately not in the database).</item>
/// <item><see cref="RotateAsync"/> — the <c>rotate-keys</c> command: rows under older keys re-encrypted and re-hashed.</item>
/// </list>
/// Not a change anybody made to a petitioner: the per-field audit is off; one audit entry records the run.
/// </summary>
public sealed class PersonalDataRewrap(
    IDbContextFactory<AppDbContext> contexts, PersonalDataProtector protector, IOptions<PersonalDataOptions> options,
    AuditActorAccessor actor, TimeProvider clock, ILogger<PersonalDataRewrap> log)
{
    public const string AuditAction = AuditActions.RotateKeys;

    /// <summary>
    /// Encrypts rows still in clear (written before this version); returns how many. Once none is left a
    /// <see cref="MaintenanceMarker"/> says so, and every later start-up reads that one row instead of scanning the
    /// petitioners (this version never writes a clear row, so none can appear again).
    /// </summary>
    public async Task<int> ProtectClearRowsAsync(CancellationToken ct = default)
    {
        if (await MarkedAsync(ct)) return 0;
        var done = await RunAsync(StillClear(), null, ct);
        if (done > 0)
        {
            log.LogInformation("已加密 {Count} 名信访人的身份证号和联系电话（升级前为明文）", done);
            await PurgeFreedSpaceAsync(ct);
        }
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            db.MaintenanceMarkers.Add(new MaintenanceMarker { Name = MaintenanceMarker.PersonalDataProtected, DoneAtUtc = clock.GetUtcNow().UtcDateTime });
            try { await db.SaveChangesAsync(ct); }
            // Two nodes starting at once may both get here: the other's marker is the same fact.
            catch (DbUpdateException) { if (!await MarkedAsync(ct)) throw; }
        }
        return done;
    }

    private async Task<bool> MarkedAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.MaintenanceMarkers.AnyAsync(m => m.Name == MaintenanceMarker.PersonalDataProtected, ct);
    }

    /// <summary>Re-encrypts and re-hashes every row not yet under the current key; returns how many.</summary>
    public Task<int> RotateAsync(IProgress<RewrapProgress>? progress = null, CancellationToken ct = default) =>
        RunAsync(NotUnder(protector.CurrentKeyId), progress, ct);

    /// <summary>Rows still needing <see cref="RotateAsync"/>.</summary>
    public async Task<int> RemainingAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Petitioners.CountAsync(NotUnder(protector.CurrentKeyId), ct);
    }

    private async Task<int> RunAsync(Expression<Func<Petitioner, bool>> needed, IProgress<RewrapProgress>? progress, CancellationToken ct)
    {
        int total;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            total = await db.Petitioners.CountAsync(needed, ct);
        if (total == 0) return 0;
        progress?.Report(new RewrapProgress(0, total));

        using var quiet = AuditSuppression.Begin();
        var batchSize = Math.Max(1, options.Value.RotationBatchSize);
        var lastId = 0;
        var done = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // SQLite leaves a rewritten row's old bytes in the page's free space: overwrite them with zeros as they are freed.
            if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON", ct);
            var batch = await db.Petitioners.Where(p => p.Id > lastId).Where(needed).OrderBy(p => p.Id).Take(batchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var p in batch)
                if (protector.Rewrap(p)) done++;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            lastId = batch[^1].Id;
            progress?.Report(new RewrapProgress(Math.Min(done, total), total));
        }

        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            db.AuditEntries.Add(AuditEntry.Create(clock.GetUtcNow().UtcDateTime, actor.Actor, AuditAction, nameof(Petitioner), null,
                detail: $"个人信息重新加密（密钥 {protector.CurrentKeyId}）：{done} 名信访人"));
            await db.SaveChangesAsync(ct);
        }
        return done;
    }

    /// <summary>
    /// Residual information: SQLite (whose freed bytes the batches zeroed) is compacted and its write-ahead log emptied; a
    /// database server is told what to run, since reclaiming its dead row versions is the DBA's to schedule.
    /// </summary>
    private async Task PurgeFreedSpaceAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("VACUUM", ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)", ct);
        }
        else
            log.LogWarning("升级前的明文身份证号和联系电话可能仍留在数据库的空闲空间中：请在维护时段整理信访人表" +
                           "（PostgreSQL：VACUUM FULL \"Petitioners\"；SQL Server：ALTER INDEX ALL ON Petitioners REBUILD），并处置升级前的备份");
    }

    /// <summary>A number without a key id, or an identity key in clear ("ID:" + 18 characters, or "NP:name|phone").</summary>
    private static Expression<Func<Petitioner, bool>> StillClear() => p =>
        (p.IdNumber != null && !p.IdNumber.Contains(":"))
        || (p.Phone != null && !p.Phone.Contains(":"))
        || (!p.IdentityKey.StartsWith(PersonalDataProtector.NoIdentityPrefix)
            && (p.IdentityKey.Contains("|") || p.IdentityKey.Length == 21 || p.IdentitySource == null));

    private static Expression<Func<Petitioner, bool>> NotUnder(string keyId)
    {
        var value = keyId + ":";
        var id = "ID:" + value;
        var np = "NP:" + value;
        return p =>
            (p.IdNumber != null && !p.IdNumber.StartsWith(value))
            || (p.Phone != null && !p.Phone.StartsWith(value))
            || (p.IdentitySource != null && !p.IdentitySource.StartsWith(value))
            || (!p.IdentityKey.StartsWith(PersonalDataProtector.NoIdentityPrefix) && !p.IdentityKey.StartsWith(id) && !p.IdentityKey.StartsWith(np));
    }
}

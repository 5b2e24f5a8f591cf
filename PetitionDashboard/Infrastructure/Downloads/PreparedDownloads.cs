using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Infrastructure.Files;

namespace PetitionDashboard.Infrastructure.Downloads;

/// <summary>A file generated in the background for one user, waiting to be downloaded through an authorized endpoint.</summary>
/// <param name="Path">The local temp file it is written to before <see cref="PreparedDownloads.PublishAsync"/>.</param>
public sealed record PreparedDownload(Guid Id, string Owner, string Kind, string Key, string DownloadName, string Path, DateTime CreatedUtc);

/// <summary>
/// Files a page generated off the circuit (a report, an import's error list), handed out only to the user who made them
/// for <see cref="Lifetime"/>. The page writes a private temp file (<see cref="PrivateTempFiles"/>: 0600 in a 0700 folder,
/// swept at start-up) on its node; publishing copies it into the database in chunks, so the browser's plain GET can land
/// on any node behind the proxy, and the bytes never travel through SignalR. Expired files are swept whenever a new one
/// is reserved, on whichever node that happens. A file that echoes personal data is published sealed
/// (<paramref name="personalData"/>: every chunk encrypted with the personal-data key ring), so the database never holds its
/// numbers in clear.
/// </summary>
public sealed class PreparedDownloads(
    IDbContextFactory<AppDbContext> dbs, TimeProvider clock, PrivateTempFiles temps, PersonalDataProtector personalData, ILogger<PreparedDownloads> log)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    /// <summary>1 MiB per row: small enough for every provider's parameter limits, large enough to be few rows.</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>Reserves a local temp file for <paramref name="owner"/>; write it, then <see cref="PublishAsync"/> it.</summary>
    public PreparedDownload Reserve(string owner, string kind, string key, string downloadName)
    {
        _ = SweepInBackground();
        var id = Guid.NewGuid();
        return new PreparedDownload(id, owner, kind, key, downloadName, temps.NewPath("download", Path.GetExtension(downloadName) is { Length: > 0 } ext ? ext : ".xlsx"), clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Copies the written temp file into the database (one transaction) and removes the temp file.</summary>
    /// <param name="keep">Keep it for good (reports history): never swept, found again by <see cref="FindKeptAsync"/>.</param>
    /// <param name="holdsPersonalData">The file quotes 身份证号 or phone numbers (an import's error list): its chunks are
    /// stored encrypted (<see cref="PreparedFile.KeyId"/>), and decrypted again by <see cref="CopyToAsync"/>.</param>
    public async Task PublishAsync(PreparedDownload file, CancellationToken ct = default, bool keep = false, bool holdsPersonalData = false)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await using var source = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            db.PreparedFiles.Add(new PreparedFile
            {
                Id = file.Id, Owner = file.Owner, Kind = file.Kind, Key = file.Key, DownloadName = file.DownloadName,
                Length = source.Length, CreatedUtc = file.CreatedUtc, Kept = keep, KeyId = holdsPersonalData ? personalData.CurrentKeyId : null,
            });
            await db.SaveChangesAsync(ct);
            var buffer = new byte[ChunkSize];
            for (var index = 0; ; index++)
            {
                var read = await source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
                if (read == 0) break;
                db.ChangeTracker.Clear();
                var bytes = holdsPersonalData ? personalData.ProtectBytes(buffer.AsSpan(0, read), ChunkPlace(file.Id, index), out _) : buffer[..read];
                db.PreparedFileChunks.Add(new PreparedFileChunk { FileId = file.Id, Index = index, Bytes = bytes });
                await db.SaveChangesAsync(ct);
                if (read < buffer.Length) break;
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            Discard(file);
        }
    }

    /// <summary>The file, if it exists, is still fresh, and belongs to <paramref name="owner"/>.</summary>
    public async Task<PreparedDownload?> FindAsync(Guid id, string? owner, string kind, CancellationToken ct = default)
    {
        var notBefore = clock.GetUtcNow().UtcDateTime - Lifetime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var file = await db.PreparedFiles.AsNoTracking()
            .FirstOrDefaultAsync(f => f.Id == id && f.Owner == owner && f.Kind == kind && f.CreatedUtc >= notBefore, ct);
        return file is null ? null : new PreparedDownload(file.Id, file.Owner, file.Kind, file.Key, file.DownloadName, "", file.CreatedUtc);
    }

    /// <summary>A kept file of <paramref name="kind"/>, whoever made it (the endpoint that serves it checks the policy).</summary>
    public async Task<PreparedDownload?> FindKeptAsync(Guid id, string kind, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var file = await db.PreparedFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id && f.Kind == kind && f.Kept, ct);
        return file is null ? null : new PreparedDownload(file.Id, file.Owner, file.Kind, file.Key, file.DownloadName, "", file.CreatedUtc);
    }

    /// <summary>Marks a published file as kept (a report the reports history lists).</summary>
    public async Task KeepAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.PreparedFiles.Where(f => f.Id == id).ExecuteUpdateAsync(u => u.SetProperty(f => f.Kept, true), ct);
    }

    /// <summary>Writes a published file to <paramref name="target"/> chunk by chunk (one chunk in memory at a time).</summary>
    public async Task CopyToAsync(PreparedDownload file, Stream target, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var keyId = await db.PreparedFiles.Where(f => f.Id == file.Id).Select(f => f.KeyId).FirstOrDefaultAsync(ct);
        for (var index = 0; ; index++)
        {
            var i = index;
            var bytes = await db.PreparedFileChunks.AsNoTracking().Where(c => c.FileId == file.Id && c.Index == i)
                .Select(c => c.Bytes).FirstOrDefaultAsync(ct);
            if (bytes is null) return;
            if (keyId is not null) bytes = personalData.RevealBytes(keyId, bytes, ChunkPlace(file.Id, index));
            await target.WriteAsync(bytes, ct);
        }
    }

    /// <summary>What a sealed chunk is bound to: its file and its index (a chunk moved or reordered fails to decrypt).</summary>
    private static byte[] ChunkPlace(Guid fileId, int index) => [.. fileId.ToByteArray(), .. BitConverter.GetBytes(index)];

    /// <summary>Removes the local temp file of a download that was not (or is already) published.</summary>
    public void Discard(PreparedDownload file)
    {
        PrivateTempFiles.Delete(file.Path);
    }

    /// <summary>Deletes the files older than <see cref="Lifetime"/> (their chunks go with them); returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var expired = clock.GetUtcNow().UtcDateTime - Lifetime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.PreparedFileChunks.Where(c => db.PreparedFiles.Any(f => f.Id == c.FileId && f.CreatedUtc < expired && !f.Kept)).ExecuteDeleteAsync(ct);
        return await db.PreparedFiles.Where(f => f.CreatedUtc < expired && !f.Kept).ExecuteDeleteAsync(ct);
    }

    private async Task SweepInBackground()
    {
        try { await SweepAsync(); }
        catch (Exception e) { log.LogWarning(e, "过期下载文件清理失败，下次生成时再试"); }
    }
}

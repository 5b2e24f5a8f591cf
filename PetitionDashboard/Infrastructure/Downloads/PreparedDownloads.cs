using System.Collections.Concurrent;
using PetitionDashboard.Infrastructure.Files;

namespace PetitionDashboard.Infrastructure.Downloads;

/// <summary>A file generated in the background for one user, waiting to be downloaded through an authorized endpoint.</summary>
public sealed record PreparedDownload(Guid Id, string Owner, string Kind, string Key, string DownloadName, string Path, DateTime CreatedUtc);

/// <summary>
/// Files a page generated off the circuit (a report, an import's error list), kept in the private temp folder
/// (<see cref="PrivateTempFiles"/>: 0600 files in a 0700 folder, swept at start-up) for
/// <see cref="Lifetime"/> and handed out only to the user who made them. The browser fetches them with a plain GET, so the
/// bytes never travel through SignalR.
/// </summary>
public sealed class PreparedDownloads(TimeProvider clock, PrivateTempFiles temps) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    private readonly ConcurrentDictionary<Guid, PreparedDownload> _files = new();

    /// <summary>
    /// Reserves a file for <paramref name="owner"/>; write it with <see cref="PrivateTempFiles.Create"/>, then
    /// <see cref="Publish"/> it.
    /// </summary>
    public PreparedDownload Reserve(string owner, string kind, string key, string downloadName)
    {
        Sweep();
        var id = Guid.NewGuid();
        return new PreparedDownload(id, owner, kind, key, downloadName, temps.NewPath("download", ".xlsx"), clock.GetUtcNow().UtcDateTime);
    }

    public void Publish(PreparedDownload file) => _files[file.Id] = file;

    /// <summary>The file, if it exists, is still fresh, and belongs to <paramref name="owner"/>.</summary>
    public PreparedDownload? Find(Guid id, string? owner, string kind)
    {
        if (!_files.TryGetValue(id, out var file) || file.Owner != owner || file.Kind != kind) return null;
        if (clock.GetUtcNow().UtcDateTime - file.CreatedUtc > Lifetime || !File.Exists(file.Path)) return null;
        return file;
    }

    public void Discard(PreparedDownload file)
    {
        _files.TryRemove(file.Id, out _);
        PrivateTempFiles.Delete(file.Path);
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var file in _files.Values.Where(f => now - f.CreatedUtc > Lifetime)) Discard(file);
    }

    /// <summary>At shutdown the waiting files go; one still being read is left to the next start-up's sweep.</summary>
    public void Dispose()
    {
        foreach (var file in _files.Values) Discard(file);
    }
}
